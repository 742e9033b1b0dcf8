/**
 * The drum pulse (drumPulse.ts) on a pulse of hats alone whose hits leak into the kick envelope (an FM or recorded
 * kit's hats, read by a kick normaliser that has heard no kick yet): with no kick events it is an intro's off-beat
 * hats (the beat half a beat from them); kick events on it, or a kickless groove's snare events on every other hit,
 * keep the beat on it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DrumPulse, type DrumPulseCue } from '../../src/analysis/drumPulse.js';
import { periodSearch } from '../../src/analysis/periodicity.js';

// 100 hops/s, 47 hops a beat (127.7 BPM); the pulse's hits on hop 0 of each beat.
const PERIOD = 47;
const HOPS = 10 * PERIOD + 5;

function pulseOf(cueAt: (n: number, beat: number, onHit: boolean) => DrumPulseCue): DrumPulse {
  const dp = new DrumPulse(403, Math.exp(-1 / 400), periodSearch(30, 100, 100, 120));
  for (let n = 0; n < HOPS; n++) dp.push(cueAt(n, Math.floor(n / PERIOD), n % PERIOD === 0));
  return dp;
}

/** The hats on every beat, leaking 0.35 of themselves into the kick and low envelopes. */
const leakyHats = (onHit: boolean): DrumPulseCue => {
  const hats = onHit ? 0.6 : 0;
  return { drums: hats, kick: 0.35 * hats, low: 0.35 * hats, snare: 0.1 * hats, hats };
};
const sinceHit = (HOPS - 1) % PERIOD;

test('hats alone on every beat, leaking into the kick envelope, no kick events: the beat lies between them', () => {
  const dp = pulseOf((_n, _b, on) => leakyHats(on));
  assert.equal(dp.beatOffset(sinceHit, PERIOD), 0.5);
});

test('one stray kick event among them (a false kick on a chord attack) does not make the leak a kick', () => {
  const dp = pulseOf((n, _b, on) => ({ ...leakyHats(on), kickEvent: n === 6 * PERIOD }));
  assert.equal(dp.beatOffset(sinceHit, PERIOD), 0.5);
});

test('the same envelopes with kick events on the hits (hats over a kick on every beat): the beat is on them', () => {
  const dp = pulseOf((_n, beat, on) => ({ ...leakyHats(on), kickEvent: on && beat % 2 === 0 }));
  assert.equal(dp.beatOffset(sinceHit, PERIOD), 0);
});

test('the same envelopes with snare events on every other hit (a kickless groove: snare on 2 and 4), or on two hits of three beside a kick event (a waltz whose kick the detector mostly misses): the beat is on them', () => {
  const dp = pulseOf((_n, beat, on) => ({ ...leakyHats(on), snareEvent: on && beat % 2 === 1 }));
  assert.equal(dp.beatOffset(sinceHit, PERIOD), 0);
  const waltz = pulseOf((n, beat, on) => ({ ...leakyHats(on), snareEvent: on && beat % 3 !== 0, kickEvent: n === 9 * PERIOD }));
  assert.equal(waltz.beatOffset(sinceHit, PERIOD), 0);
});

test('snare events on hits in a row (the hats leaking into the snare band too) are no snare pattern: the beat lies between them', () => {
  const dp = pulseOf((_n, beat, on) => ({ ...leakyHats(on), snareEvent: on && beat >= 6 }));
  assert.equal(dp.beatOffset(sinceHit, PERIOD), 0.5);
});
