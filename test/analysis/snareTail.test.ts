/**
 * A snare candidate's tail: a plucked string's darkens within 30 ms while its partials at 1–8 kHz ring on, a snare's
 * wires fade alike at every frequency (SnareTail); after a plucked tail, a snare event that comes after a span
 * without one waits for its own (DrumMerge), so the chords of a pluck fire no snares while a snare still does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnareTail, TAIL_DRUM, TAIL_HOPS, TAIL_PLUCKED } from '../../src/analysis/snareTail.js';
import { analyseSignal, eventTimes } from '../../src/analysis/evaluation.js';
import { lcg, scaleToPeak } from '../../src/analysis/synth.js';
import { Biquad } from '../../src/analysis/filters.js';

const SR = 44100;
const BIN_HZ = SR / 2048;
const BINS = 1025;

/** Quiet hops, then a rise whose level at 1–6 kHz and above 6 kHz follows `mid(k)` and `hi(k)` on hop k from 0. */
function tailOf(mid: (k: number) => number, hi: (k: number) => number): number {
  const t = new SnareTail(BIN_HZ, BINS, [1000, 8000], [6000, 16000]);
  const rnd = lcg(5);
  const floor = new Float32Array(BINS).fill(1e-4);
  for (let i = 0; i < 6; i++) t.push(floor);
  for (let k = 0; k <= TAIL_HOPS; k++) {
    const g = [mid(k), hi(k)];
    t.push(floor.map((v, b) => v + (b * BIN_HZ >= 6000 ? g[1]! : g[0]!) * (0.5 + rnd())));
  }
  return t.darkening();
}

test('a rise that keeps its 1–6 kHz part while the part above 6 kHz goes is a plucked tail; one that fades alike is a drum\'s', () => {
  // A pluck: the top falls to a tenth in 30 ms, the middle keeps 90 %.
  const pluck = tailOf((k) => (k === 0 ? 1 : 0.9), (k) => Math.pow(0.45, k));
  assert.ok(pluck < TAIL_PLUCKED, `pluck ${pluck.toFixed(2)}`);
  // A snare's wires: both fall by 8 % a hop, the middle keeping over half its rise's energy.
  const wires = tailOf((k) => Math.pow(0.92, k), (k) => Math.pow(0.92, k));
  assert.ok(wires >= TAIL_DRUM, `wires ${wires.toFixed(2)}`);
  // A short snare (an FM kit's): everything gone within 30 ms, the top first: no tail to read, a drum's.
  assert.equal(tailOf((k) => Math.pow(0.4, k), (k) => Math.pow(0.2, k)), Infinity);
});

/** A Karplus–Strong pluck of `hz` (a noise burst circulating in a damped delay line), `lengthS` long. */
function pluck(hz: number, lengthS: number, rnd: () => number): Float32Array {
  const period = Math.round(SR / hz);
  const line = Float32Array.from({ length: period }, () => rnd() * 2 - 1);
  const out = new Float32Array(Math.round(lengthS * SR));
  for (let i = 0; i < out.length; i++) {
    const j = i % period;
    const y = line[j]!;
    line[j] = 0.996 * 0.5 * (y + line[(j + 1) % period]!);
    out[i] = y;
  }
  return out;
}

/** A snare: noise band-passed to 1–8 kHz fading over 60 ms, over a 200 Hz body fading over 40 ms. */
function snare(rnd: () => number): Float32Array {
  const hp1 = Biquad.highpass(1000, 0.707, SR);
  const hp2 = Biquad.highpass(1000, 0.707, SR);
  const lp = Biquad.lowpass(8000, 0.707, SR);
  const out = new Float32Array(Math.round(0.25 * SR));
  for (let i = 0; i < out.length; i++) {
    const t = i / SR;
    const wires = lp.process(hp2.process(hp1.process(rnd() * 2 - 1)));
    out[i] = 0.5 * Math.sin(2 * Math.PI * 200 * t) * Math.exp(-t / 0.04) + 1.2 * wires * Math.exp(-t / 0.06);
  }
  return out;
}

test('the chords of a plucked string, no drums playing, fire no snares after the first; a snare after them still fires on time', () => {
  const rnd = lcg(11);
  const barS = 1.9;
  const chords = [[58, 62, 65], [54, 58, 61], [61, 65, 68], [56, 60, 63], [58, 62, 65]];
  const snaresS = [10.5, 11.45];
  const out = new Float32Array(Math.round(12.5 * SR));
  chords.forEach((c, k) => {
    const at = Math.round((0.5 + k * barS) * SR);
    for (const midi of c) {
      const p = pluck(440 * 2 ** ((midi - 69) / 12), barS, rnd);
      for (let i = 0; i < p.length && at + i < out.length; i++) out[at + i]! += 0.4 * p[i]!;
    }
  });
  for (const s of snaresS) {
    const x = snare(rnd);
    const at = Math.round(s * SR);
    for (let i = 0; i < x.length; i++) out[at + i]! += x[i]!;
  }
  scaleToPeak(out, -1);
  const snares = eventTimes(analyseSignal([out], SR), 'snare');
  const onChords = snares.filter((t) => t < snaresS[0]! - 0.1);
  assert.ok(onChords.length <= 1, `snares on the chords at ${onChords.map((t) => t.toFixed(2)).join(', ')}`);
  for (const s of snaresS) assert.ok(snares.some((t) => t >= s && t <= s + 0.05), `a snare at ${s} s: events ${snares.map((t) => t.toFixed(2)).join(', ')}`);
});
