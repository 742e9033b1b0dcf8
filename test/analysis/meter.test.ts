/**
 * Downbeats (meter.ts) where beat 1 and beat 3 sound alike: kicks on both (of varying velocity), snares on 2 and 4,
 * the bass re-struck on the same root on 1 and 3, and a chord struck only every two bars. The chord change is the
 * one cue to beat 1, and it comes every eight beats: the slot scores must remember it from one to the next.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeterTracker } from '../../src/analysis/meter.js';
import { lcg } from '../../src/analysis/synth.js';

const HOP_RATE = 100;
const BEAT_HOPS = 65;
const CHORDS = [11, 7, 2, 9];

function chromaOf(pc: number, jitter: () => number): Float32Array {
  const c = new Float32Array(12);
  for (let i = 0; i < 12; i++) c[i] = 0.05 + 1.2 * jitter();
  for (const k of [0, 3, 7]) c[(pc + k) % 12]! += 1;
  return c;
}

test('a chord struck every two bars over kicks on 1 and 3 alike: beat 1 is placed on the chord change and stays there', () => {
  const rnd = lcg(407);
  const meter = new MeterTracker(HOP_RATE);
  const bars = 24;
  let count = 0;
  let kickVel = 0;
  let chroma = chromaOf(CHORDS[0]!, rnd);
  let bass = chromaOf(CHORDS[0]!, rnd);
  const onBeatOne: boolean[] = [];
  for (let n = 0; n < bars * 4 * BEAT_HOPS; n++) {
    const beat = Math.floor(n / BEAT_HOPS);
    const inBeat = n - beat * BEAT_HOPS;
    const slot = beat % 4;
    if (inBeat === 0) {
      kickVel = 0.6 + 0.4 * rnd();
      // The chord and the bass note change every two bars; between, the chroma moves with the kick's thump and the
      // chord's decay (at random, as much as a chord tone) on every beat: 55–58 of the 64 beats read right with slot
      // scores that keep ≈ 10 beats.
      const chord = CHORDS[Math.floor(beat / 8) % CHORDS.length]!;
      chroma = chromaOf(chord, rnd);
      bass = chromaOf(chord, rnd);
    }
    const hit = inBeat < 3 ? 1 - inBeat / 3 : 0;
    const kick = slot % 2 === 0 ? kickVel * hit : 0;
    const snare = slot % 2 === 1 ? 0.9 * hit : 0;
    meter.accumulate({ kick, snare, chroma, bassChroma: bass }, BEAT_HOPS);
    if (inBeat === BEAT_HOPS - 1) {
      meter.closeBeat(count);
      count++;
      // The beat event that begins beat `count`: is it beat 1 of a bar (every fourth from the first)?
      if (beat >= 8 * 4) onBeatOne.push(meter.barBeat(count) === 0 === (count % 4 === 0));
    }
  }
  const right = onBeatOne.filter(Boolean).length;
  assert.ok(right >= 0.97 * onBeatOne.length, `${right} of ${onBeatOne.length} beats from bar 9 on right about being beat 1`);
});
