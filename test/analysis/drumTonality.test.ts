/**
 * The tonal-rise test of kick and snare candidates: a chord's or a bass note's attack rises at its partials, a drum's
 * over the whole band; where no cymbal is heard, the former fires no drum event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DrumTonality } from '../../src/analysis/drumTonality.js';
import { analyseSignal, eventTimes } from '../../src/analysis/evaluation.js';
import { addHarmonicTone, lcg, scaleToPeak } from '../../src/analysis/synth.js';

const BIN_HZ = 44100 / 2048;
const BINS = 1025;

/** Pushes `quiet` hops of a faint even spectrum, then one hop that adds `rise` (a function of the bin) to it. */
function riseOf(t: DrumTonality, rise: (bin: number) => number, hop0 = 0, cymbalAt = -1): number {
  const mag = new Float32Array(BINS).fill(1e-4);
  let hop = hop0;
  for (let i = 0; i < 4; i++, hop++) {
    t.push(mag);
    t.hats(hop === cymbalAt ? 1 : 0, hop);
  }
  const up = mag.map((v, k) => v + rise(k));
  t.push(up);
  t.hats(0, hop);
  return hop;
}

/** Partials of three notes (C5 E5 G5, 12 each), a Hann main lobe three bins wide at each. */
const chordRise = (bin: number): number => {
  let v = 0;
  for (const pc of [0, 4, 7])
    for (let h = 1; h <= 12; h++) {
      const d = Math.abs(bin - (523.25 * Math.pow(2, pc / 12) * h) / BIN_HZ);
      if (d < 1.5) v += (1 - d / 1.5) / h;
    }
  return v;
};

test('a chord struck with no cymbal heard rises tonally; a noise burst (a snare\'s wires) does not', () => {
  const rnd = lcg(9);
  const chord = new DrumTonality(BIN_HZ, BINS, 1000, 8000, 100);
  const hop = riseOf(chord, chordRise);
  assert.ok(chord.peakedness() > 3, `chord peakedness ${chord.peakedness().toFixed(2)}`);
  assert.equal(chord.tonal(hop), true);
  const noise = new DrumTonality(BIN_HZ, BINS, 1000, 8000, 100);
  const hop2 = riseOf(noise, () => 0.5 + rnd());
  assert.ok(noise.peakedness() < 1.3, `noise peakedness ${noise.peakedness().toFixed(2)}`);
  assert.equal(noise.tonal(hop2), false);
});

test('under a cymbal heard within the kit memory a tonal rise may be a drum; after it, not', () => {
  const recent = new DrumTonality(BIN_HZ, BINS, 1000, 8000, 100);
  const hop = riseOf(recent, chordRise, 0, 1);
  assert.equal(recent.tonal(hop), false);
  // 3 s at 100 hops a second: a cymbal 5 s before is forgotten.
  const old = new DrumTonality(BIN_HZ, BINS, 1000, 8000, 100);
  old.hats(1, 0);
  const hop2 = riseOf(old, chordRise, 500);
  assert.equal(old.tonal(hop2), true);
});

test('a drumless passage of struck chords over bass plucks fires no kick and no snare', () => {
  const sr = 44100;
  const durS = 6;
  const out = new Float32Array(durS * sr);
  const chords = [[0, 4, 7], [9, 0, 4], [5, 9, 0], [7, 11, 2]];
  const harm = [1, 0.6, 0.45, 0.3, 0.25, 0.2, 0.15, 0.12, 0.1, 0.08, 0.06, 0.05];
  for (let k = 0; 0.25 + (k + 1) * 0.5 <= durS; k++) {
    const at = Math.round((0.25 + k * 0.5) * sr);
    const n = Math.round(0.5 * sr);
    const c = chords[Math.floor(k / 2) % 4]!;
    // A hammer's or a pick's attack: 2–3 ms, the partials up to 6 kHz.
    for (const pc of c) addHarmonicTone(out, at, n, 261.63 * 2 ** (pc / 12), sr, harm, (i) => Math.min(1, i / (0.002 * sr)) * Math.exp(-i / (0.35 * sr)));
    addHarmonicTone(out, at, n, 65.41 * 2 ** (c[0]! / 12), sr, [1, 0.5, 0.3, 0.2, 0.1], (i) => 2.5 * Math.min(1, i / (0.003 * sr)) * Math.exp(-i / (0.3 * sr)));
  }
  scaleToPeak(out, -1);
  const feats = analyseSignal([out], sr);
  // Without the tonal test about half of these chords fire a kick and a snare.
  assert.deepEqual(eventTimes(feats, 'kick'), []);
  assert.deepEqual(eventTimes(feats, 'snare'), []);
});
