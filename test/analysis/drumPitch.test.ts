/**
 * The kick's pitch learnt from the rise at detected kicks (src/analysis/drumPitch.ts), on semitone frames made here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DrumPitch } from '../../src/analysis/drumPitch.js';

const NOTES = 21;
const RISE_AT = 16;
const BEFORE = 10;

/**
 * Frames every 2 hops, a kick every 60 hops (reported at the kick), `sound(m, hopsSinceKick, kickIndex)` giving the
 * energy of semitone m; returns the semitones the learner holds for the kick's after `kicks` kicks.
 */
function learn(sound: (m: number, age: number, k: number) => number, kicks: number): number[] {
  const kp = new DrumPitch(NOTES, RISE_AT, 2, BEFORE, 3);
  const semis = new Float64Array(NOTES + 12);
  for (let hop = 0; hop < kicks * 60; hop += 2) {
    const k = Math.floor(hop / 60);
    for (let m = 0; m < semis.length; m++) semis[m] = sound(m, hop % 60, k);
    kp.observe(semis, hop, k * 60);
  }
  return [...kp.isDrum].flatMap((v, m) => (v ? [m] : []));
}

test('a bare low sine that rises at every kick is the kick’s pitch; a held bass note with its octave is not', () => {
  // Semitone 6: the kick (no octave), decaying from each kick; semitones 2 and 14: a bass note and its octave, held.
  const sound = (m: number, age: number): number => (m === 6 ? Math.exp(-age / 20) : m === 2 ? 0.3 : m === 14 ? 0.2 : 0.001);
  assert.deepEqual(learn(sound, 20), [6]);
  // From the third kick on; two are too few to tell.
  assert.deepEqual(learn(sound, 3), [6]);
  assert.deepEqual(learn(sound, 2), []);
});

test('a bass note struck with every kick is not the kick’s, nor is its octave partial', () => {
  // The bass note (semitone 4) struck with each kick, its octave (16) as loud and its double octave (28) weak: the
  // octave rises at every kick without its own octave rising, as the kick's sine does, but its fundamental rises
  // an octave below.
  const struck = (age: number): number => Math.exp(-age / 40);
  const sound = (m: number, age: number): number =>
    m === 6 ? Math.exp(-age / 20) : m === 4 ? struck(age) : m === 16 ? struck(age) : m === 28 ? 0.05 * struck(age) : 0.001;
  assert.deepEqual(learn(sound, 20), [6]);
});
