/**
 * The tonal-rise test of kick and snare candidates: a chord's or a bass note's attack rises at its partials, a drum's
 * over the whole band; where no cymbal is heard, the former fires no drum event (the whole detector on such a passage:
 * onsets.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DrumTonality } from '../../src/analysis/drumTonality.js';
import { lcg } from '../../src/analysis/synth.js';

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
