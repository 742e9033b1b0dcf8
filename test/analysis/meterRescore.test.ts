/**
 * A new track's bar after a tempo switch (meter.ts `rescore`): the beats it played before the tracker took its tempo
 * (a DJ crossfade's second half, while beat events still came on the old track's grid) are read again on its grid,
 * so its first downbeat after the switch is already right.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeterTracker } from '../../src/analysis/meter.js';

const HOP_RATE = 100;
/** Old track: 50 hops a beat (120 BPM); new one: 46 (130 BPM), from OLD_UNTIL on. */
const OLD_HOPS = 50;
const NEW_HOPS = 46;
const OLD_UNTIL = 800;
/** The tracker takes the new tempo at the start of the new track's seventh beat (its bar began two beats before). */
const SWITCH = OLD_UNTIL + 6 * NEW_HOPS;

/** A chord per bar of each track (its own bar line), a kick on every beat of it: only the chords place beat 1. */
function cueAt(n: number): { kick: number; snare: number; chroma: Float32Array; bassChroma: Float32Array } {
  const old = n < OLD_UNTIL;
  const hops = old ? OLD_HOPS : NEW_HOPS;
  const t = old ? n : n - OLD_UNTIL;
  const beat = Math.floor(t / hops);
  const chord = (old ? 0 : 5) + Math.floor(beat / 4);
  const c = new Float32Array(12).fill(0.02);
  c[(chord * 7) % 12] = 1;
  const kick = t - beat * hops < 3 ? 0.9 : 0;
  return { kick, snare: 0, chroma: c, bassChroma: c };
}

/** Downbeat flags of the beat events after the switch (`onSwitch` runs there, before the first new-grid hop). */
function downbeatsAfterSwitch(onSwitch: (meter: MeterTracker, beatCount: number) => void): boolean[] {
  const meter = new MeterTracker(HOP_RATE);
  let count = 0;
  const after: boolean[] = [];
  for (let n = 0; n < SWITCH + 12 * NEW_HOPS; n++) {
    if (n === SWITCH + 1) onSwitch(meter, count);
    const period = n <= SWITCH ? OLD_HOPS : NEW_HOPS;
    meter.accumulate(cueAt(n), period);
    const event = n < SWITCH ? n > 0 && n % OLD_HOPS === 0 : (n - SWITCH) % NEW_HOPS === 0;
    if (!event) continue;
    meter.closeBeat(count);
    count++;
    if (n >= SWITCH) after.push(meter.barBeat(count) === 0);
  }
  return after;
}

test('after a tempo switch, the new track\'s bar heard before it places beat 1 from the first bar on', () => {
  // The events from the switch on begin the new track's beats 6, 7, 8, …: beat 1 of its bars at 8, 12 and 16.
  const after = downbeatsAfterSwitch((meter, count) => meter.rescore(NEW_HOPS, 0, count));
  const want = after.map((_, k) => (6 + k) % 4 === 0);
  assert.deepEqual(after.slice(0, 11), want.slice(0, 11), 'downbeats of the events after the switch');
});
