import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CausalHpss } from '../../src/analysis/hpss.js';

/** The ninther from its definition: med3 of the med3s of bins k−4s…k−2s, k−s…k+s, k+2s…k+4s, mirrored. */
function ninther(x: Float32Array, lo: number, hi: number, s: number, k: number): number {
  const at = (i: number): number =>
    x[i < lo ? Math.min(hi - 1, 2 * lo - i) : i >= hi ? Math.max(lo, 2 * (hi - 1) - i) : i]!;
  const med = (a: number, b: number, c: number): number => [a, b, c].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0))[1]!;
  const group = (c: number): number => med(at(c - s), at(c), at(c + s));
  return med(group(k - 3 * s), group(k), group(k + 3 * s));
}

/** A seeded spectrum: a noise floor with a few narrow peaks (what the onset and chord paths see). */
function spectrum(bins: number, seed: number): Float32Array {
  let r = seed;
  const rnd = (): number => ((r = (r * 1103515245 + 12345) % 2147483648) / 2147483648);
  const x = new Float32Array(bins);
  for (let k = 0; k < bins; k++) x[k] = 0.01 * rnd() ** 2 + (rnd() < 0.03 ? rnd() : 0);
  return x;
}

test('the percussive path is min(X, the ninther across frequency), mirrored at the edges, for both strides', () => {
  // Radius 5 (stride 1) is the onset path's kernel at 2048 points, radius 9 (stride 2) the chord path's at 4096.
  for (const [radius, lo, hi] of [
    [5, 1, 745],
    [9, 40, 600],
  ] as const) {
    const bins = 1025;
    const h = new CausalHpss(bins, lo, hi, radius, 1, 0);
    const s = Math.max(1, Math.round(radius / 4));
    for (let seed = 1; seed <= 5; seed++) {
      const x = spectrum(bins, seed);
      h.processPercussive(x);
      for (let k = lo; k < hi; k++) {
        const want = Math.min(x[k]!, ninther(x, lo, hi, s, k));
        assert.equal(h.percussive[k], want, `radius ${radius} seed ${seed} bin ${k}`);
      }
      assert.equal(h.percussive[lo - 1] ?? 0, 0, 'bins below lo stay 0');
    }
  }
});

test('the medians are exact over the whole range of magnitudes: zeros, subnormals, ties and the largest floats', () => {
  // The medians compare the magnitudes' bit patterns as integers: their difference must not overflow, and ties and
  // zeros must order as the floats do.
  const bins = 1025;
  const lo = 1;
  const hi = 745;
  const h = new CausalHpss(bins, lo, hi, 5, 1, 0);
  const values = [0, 1e-45, 1.2e-38, 1e-20, 0.5, 0.5, 1, 3.4e38, 3.4028234663852886e38, 1e10, Infinity];
  let r = 12345;
  for (let round = 0; round < 5; round++) {
    const x = new Float32Array(bins);
    for (let k = 0; k < bins; k++) x[k] = values[(r = (r * 1103515245 + 12345) % 2147483648) % values.length]!;
    h.processPercussive(x);
    for (let k = lo; k < hi; k++) {
      assert.equal(h.percussive[k], Math.min(x[k]!, ninther(x, lo, hi, 1, k)), `round ${round} bin ${k}`);
    }
  }
});

test('with one frame of history the masks split each bin by the ninther median exactly, for both strides used', () => {
  // One frame: the harmonic median is the bin itself (H = X), so the Wiener masks are X²/(X²+P²) and P²/(X²+P²).
  for (const [radius, lo, hi] of [
    [5, 1, 745],
    [9, 40, 600],
  ] as const) {
    const h = new CausalHpss(1025, lo, hi, radius, 1, 0);
    const s = Math.max(1, Math.round(radius / 4));
    const x = spectrum(1025, 7);
    h.process(x);
    for (let k = lo; k < hi; k++) {
      const v = x[k]!;
      const p = Math.fround(ninther(x, lo, hi, s, k));
      const den = v * v + p * p;
      const perc = den > 1e-30 ? Math.fround(((v < p ? v : p) * (p * p)) / den) : 0;
      const harm = den > 1e-30 ? Math.fround((v * (v * v)) / den) : 0;
      assert.equal(h.percussive[k], perc, `radius ${radius} bin ${k}: percussive`);
      assert.equal(h.harmonic[k], harm, `radius ${radius} bin ${k}: harmonic`);
    }
  }
});

test('a steady tone goes to the harmonic part and a broadband hit to the percussive part', () => {
  const bins = 512;
  const frames = 5;
  const h = new CausalHpss(bins, 1, bins, 5, frames, 0);
  const tone = new Float32Array(bins).fill(0.001);
  tone[100] = 1;
  for (let i = 0; i < frames; i++) h.process(tone);
  assert.ok(h.harmonic[100]! > 0.99, `the held tone's bin is harmonic (${h.harmonic[100]})`);
  assert.ok(h.percussive[100]! < 0.01, `and hardly percussive (${h.percussive[100]})`);
  const hit = new Float32Array(bins).fill(0.5);
  hit[100] = 1;
  h.process(hit);
  // Away from the tone the hit is all new: its past frames held the floor only.
  assert.ok(h.percussive[300]! > 0.49, `a broadband hit is percussive (${h.percussive[300]})`);
  assert.ok(h.harmonic[300]! < 0.01, `and not harmonic (${h.harmonic[300]})`);
  assert.ok(h.harmonic[100]! > 0.7, `the tone under the hit stays mostly harmonic (${h.harmonic[100]})`);
});

test('a new note is kept out of the percussive part although its causal harmonic median is still silent', () => {
  const bins = 256;
  const h = new CausalHpss(bins, 1, bins, 5, 5, 0);
  const quiet = new Float32Array(bins).fill(0.001);
  for (let i = 0; i < 5; i++) h.process(quiet);
  const note = Float32Array.from(quiet);
  note[80] = 1;
  h.process(note);
  // H ≈ 0 there (four of five past frames were quiet): the plain mask would call it percussive, min(X, P) does not.
  assert.ok(h.percussive[80]! < 0.002, `the note's onset bin is not percussive (${h.percussive[80]})`);
});
