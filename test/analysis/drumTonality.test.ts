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

test('a quiet cymbal counts as a hit by its fluxes: more above 6 kHz than under it and over a floor; a pitched attack or faint noise does not', () => {
  // A hats envelope far under CYMBAL_HIT (hats under a loud sub kick), at hop 1; the chord rises at hop 4.
  const heard = (hatsFlux: number, clickFlux: number): boolean => {
    const t = new DrumTonality(BIN_HZ, BINS, 1000, 8000, 100);
    const mag = new Float32Array(BINS).fill(1e-4);
    for (let hop = 0; hop < 4; hop++) {
      t.push(mag);
      t.hats(0.03, hop, hop === 1 ? hatsFlux : 0, hop === 1 ? clickFlux : 0);
    }
    t.push(mag.map((v, k) => v + chordRise(k)));
    t.hats(0, 4);
    return !t.tonal(4);
  };
  assert.equal(heard(8e-4, 2e-4), true, 'metal hats under a sub kick');
  assert.equal(heard(8e-4, 1e-3), false, 'a bright attack: more flux under 6 kHz');
  assert.equal(heard(1.5e-4, 0), false, 'noise-floor flux above 6 kHz');
});

test('sine-like thumps a beat apart that move in pitch (a walking bass) make no series: each stays vetoed', () => {
  // Thumps under 250 Hz with a tiny, single-bin rise in 1–8 kHz (tonal alone), a beat apart at 128 BPM.
  const run = (binsOf: (i: number) => [number, number]): number => {
    const t = new DrumTonality(BIN_HZ, BINS, 1000, 8000, 100);
    const quiet = new Float32Array(BINS).fill(1e-4);
    let vetoed = 0;
    for (let hop = 0, i = 0; hop < 500; hop++) {
      const on = hop % 47 === 10;
      const [a, b] = binsOf(i);
      t.push(on ? quiet.map((v, k) => (k >= a && k <= b ? 1 : k === 47 ? v + 0.02 : v)) : quiet);
      t.hats(0, hop);
      if (on) {
        if (t.tonal(hop, true)) vetoed++;
        i++;
      }
    }
    return vetoed;
  };
  assert.equal(run(() => [3, 4]), 2, 'one drum struck again: only the first two vetoed');
  const walk: Array<[number, number]> = [[3, 4], [5, 6], [8, 9], [4, 5]];
  assert.equal(run((i) => walk[i % walk.length]!), 11, 'a walking bass: every note vetoed');
});

test('steady noise above 6 kHz is no quiet cymbal: only flux well over the band\'s running mean counts', () => {
  const rnd = lcg(3);
  const chordAfter = (hatsFluxOf: (hop: number) => number): boolean => {
    const t = new DrumTonality(BIN_HZ, BINS, 1000, 8000, 100);
    const mag = new Float32Array(BINS).fill(1e-4);
    let hop = 0;
    for (; hop < 400; hop++) {
      t.push(mag);
      t.hats(0.01, hop, hatsFluxOf(hop), 0);
    }
    t.push(mag.map((v, k) => v + chordRise(k)));
    t.hats(0, hop);
    return t.tonal(hop);
  };
  // Noise whose flux wanders between 0 and 1e-3 every hop: over the floor, but never 4 times its mean.
  assert.equal(chordAfter(() => rnd() * 1e-3), true, 'noise: the chord is still vetoed');
  // The same flux as a hit every 47 hops over silence: a cymbal.
  assert.equal(chordAfter((h) => (h % 47 === 0 ? 8e-4 : 0)), false, 'hits: the kit is heard');
});

/** Cymbal hits every `gapHops` up to hop `lastHit`, a drum event at `drumAt` (none: −1), a chord at `chordAt`. */
function chordAfterCymbals(gapHops: number, lastHit: number, chordAt: number, drumAt = -1): boolean {
  const t = new DrumTonality(BIN_HZ, BINS, 1000, 8000, 100);
  const mag = new Float32Array(BINS).fill(1e-4);
  for (let hop = 0; hop < chordAt; hop++) {
    t.push(mag);
    t.hats(hop <= lastHit && (lastHit - hop) % gapHops === 0 ? 1 : 0, hop);
    if (hop === drumAt) t.drum(hop);
  }
  t.push(mag.map((v, k) => v + chordRise(k)));
  t.hats(0, chordAt);
  return t.tonal(chordAt);
}

test('after steady hats the kit is gone once four of their gaps pass without one, never under 1 s, never over 3 s', () => {
  // Eighth-note hats (0.3 s): 2 s after the last one a chord is no drum, though it is under the 3 s memory.
  assert.equal(chordAfterCymbals(30, 400, 600), true, 'a break 2 s after eighth-note hats');
  assert.equal(chordAfterCymbals(30, 400, 510), false, '1.1 s after them: four gaps not yet passed');
  // Sixteenths every 0.1 s: four gaps are 0.4 s, but the memory keeps 1 s.
  assert.equal(chordAfterCymbals(10, 400, 490), false, '0.9 s after sixteenths');
  assert.equal(chordAfterCymbals(10, 400, 520), true, '1.2 s after sixteenths');
  // A cymbal once a bar (2.5 s): four gaps would be 10 s; the memory stays 3 s.
  assert.equal(chordAfterCymbals(250, 500, 780), false, '2.8 s after a cymbal struck once a bar');
  assert.equal(chordAfterCymbals(250, 500, 820), true, '3.2 s after it');
});

test('a kick or snare event keeps a kit that has shown cymbals playing; with no cymbal ever heard it does not', () => {
  // Eighth-note hats stop at hop 400; a drum event at hop 550 keeps the kit heard at hop 600 (a DJ crossfade's kicks).
  assert.equal(chordAfterCymbals(30, 400, 600, 550), false, 'a drum event 0.5 s before');
  assert.equal(chordAfterCymbals(30, 400, 700, 550), true, 'a drum event 1.5 s before');
  // No cymbal at all (a drumless piece's false kick): the chord half a second later is still vetoed.
  assert.equal(chordAfterCymbals(30, -1, 600, 550), true, 'no kit ever heard');
});
