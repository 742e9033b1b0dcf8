/**
 * Downbeats (meter.ts) while no drum is heard: an intro's off-beat hats under noise, a chord struck every two bars,
 * and the kick envelope reading noise bursts on any beat with no kick or snare event from the detector. The chord
 * change must place beat 1 and the bar stay 4 beats long (read as drums, the bursts put 3 beats in the bar or beat 1
 * elsewhere for 5 of the 6 seeds); once drum events come, the envelopes count again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeterTracker } from '../../src/analysis/meter.js';
import { lcg } from '../../src/analysis/synth.js';

const HOP_RATE = 100;
const BEAT_HOPS = 35;
const CHORDS = [5, 1, 3, 0];

/** No bass plays: the bass chroma reads the noise, flat with a little jitter. */
function flatOf(jitter: () => number): Float32Array {
  const c = new Float32Array(12);
  for (let i = 0; i < 12; i++) c[i] = 0.3 + 0.1 * jitter();
  return c;
}

function chromaOf(pc: number, jitter: () => number): Float32Array {
  const c = new Float32Array(12);
  for (let i = 0; i < 12; i++) c[i] = 0.05 + 0.3 * jitter();
  for (const k of [0, 3, 7]) c[(pc + k) % 12]! += 1;
  return c;
}

/**
 * Runs `bars` bars of 4 and returns, per beat event from bar 11 on, whether it was right about being beat 1, and the
 * bar length then (the first two bars' noise counts as drums, see DRUMS_HEARD_BEATS, and the meter scores remember it
 * for ≈ 30 beats). `drums(beat, inBeat)`: the hop's kick and snare envelopes and events.
 */
interface Drums {
  kick: number;
  snare: number;
  kickEvent?: boolean;
  snareEvent?: boolean;
}

type DrumsAt = (beat: number, inBeat: number, rnd: () => number) => Drums;

function run(seed: number, bars: number, drums: DrumsAt): { right: boolean[]; bpb: number[] } {
  const rnd = lcg(seed);
  const meter = new MeterTracker(HOP_RATE);
  let chroma = chromaOf(CHORDS[0]!, rnd);
  let bass = flatOf(rnd);
  let count = 0;
  const right: boolean[] = [];
  const bpb: number[] = [];
  for (let n = 0; n < bars * 4 * BEAT_HOPS; n++) {
    const beat = Math.floor(n / BEAT_HOPS);
    const inBeat = n - beat * BEAT_HOPS;
    if (inBeat === 0) {
      chroma = chromaOf(CHORDS[Math.floor(beat / 8) % CHORDS.length]!, rnd);
      bass = flatOf(rnd);
    }
    meter.accumulate({ ...drums(beat, inBeat, rnd), chroma, bassChroma: bass }, BEAT_HOPS);
    if (inBeat === BEAT_HOPS - 1) {
      meter.closeBeat(count);
      count++;
      if (beat >= 10 * 4) {
        right.push(meter.barBeat(count) === 0 === (count % 4 === 0));
        bpb.push(meter.beatsPerBar);
      }
    }
  }
  return { right, bpb };
}

/** Noise bursts in the kick envelope, 0.1–0.7 on most beats, and a faint snare envelope: no drum event. */
function noise(): DrumsAt {
  let burst = 0;
  return (_beat, inBeat, rnd) => {
    if (inBeat === 0) burst = rnd() < 0.8 ? 0.1 + 0.6 * rnd() : 0;
    const at = inBeat === 2;
    return { kick: at ? burst : 0.02 * rnd(), snare: 0.05 + 0.1 * rnd(), kickEvent: false, snareEvent: false };
  };
}

test('no drum heard: noise in the kick envelope neither shortens the bar nor moves beat 1 off the chord change', () => {
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    const { right, bpb } = run(seed, 20, noise());
    const ok = right.filter(Boolean).length;
    assert.ok(ok >= 0.95 * right.length, `seed ${seed}: ${ok} of ${right.length} beats right about being beat 1`);
    assert.ok(bpb.every((b) => b === 4), `seed ${seed}: bar lengths ${bpb.join('')}`);
  }
});

test('drums heard: a kick on beat 1 (its event fired) places the bar without any chord change', () => {
  const kicks = (beat: number, inBeat: number): Drums => {
    const one = beat % 4 === 0;
    const snare = beat % 2 === 1;
    return {
      kick: one && inBeat < 3 ? 0.9 * (1 - inBeat / 3) : 0,
      snare: snare && inBeat < 3 ? 0.9 * (1 - inBeat / 3) : 0,
      kickEvent: one && inBeat === 0,
      snareEvent: snare && inBeat === 0,
    };
  };
  const rnd = lcg(5);
  const meter = new MeterTracker(HOP_RATE);
  const chroma = chromaOf(CHORDS[0]!, () => 0.5);
  let count = 0;
  const right: boolean[] = [];
  for (let n = 0; n < 8 * 4 * BEAT_HOPS; n++) {
    const beat = Math.floor(n / BEAT_HOPS);
    const inBeat = n - beat * BEAT_HOPS;
    const jittered = chroma.map((v) => v + 0.01 * rnd());
    meter.accumulate({ ...kicks(beat, inBeat), chroma: jittered, bassChroma: chroma }, BEAT_HOPS);
    if (inBeat === BEAT_HOPS - 1) {
      meter.closeBeat(count);
      count++;
      if (beat >= 4 * 4) right.push(meter.barBeat(count) === 0 === (count % 4 === 0));
    }
  }
  assert.ok(right.every(Boolean), `${right.filter(Boolean).length} of ${right.length} beats right about being beat 1`);
});
