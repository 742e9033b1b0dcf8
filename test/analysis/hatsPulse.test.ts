/**
 * The hats pulse alone: its envelope's square root lets quiet hats count, and what lies under its floor (a quiet
 * line-in's grain) counts for nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HatsPulse } from '../../src/analysis/hatsPulse.js';
import { periodSearch } from '../../src/analysis/periodicity.js';

const HOP_RATE = 100;
const search = periodSearch((60 / 200) * HOP_RATE, (60 / 60) * HOP_RATE, HOP_RATE, 120);
const pulse = (): HatsPulse => new HatsPulse(Math.exp(-1 / (4 * HOP_RATE)), search);

/** `seconds` of hats at `level` on every beat of 120 BPM (one hop each), nothing between. */
function feed(p: HatsPulse, level: number, seconds: number): void {
  for (let n = 0; n < seconds * HOP_RATE; n++) p.push(n % 50 === 0 ? level : 0);
}

test('hats on every beat, however quiet over the floor, give their tempo; under the floor they give none', () => {
  for (const level of [1, 0.05, 0.012]) {
    const p = pulse();
    feed(p, level, 10);
    const got = p.tempo(50);
    assert.ok(got !== null && Math.abs(got.periodHops - 50) < 1, `hats at ${level}: ${JSON.stringify(got)}`);
  }
  // A grain of 0.008 on every beat (a quiet line-in's, correlated with the music) is no pulse.
  const p = pulse();
  feed(p, 0.008, 10);
  assert.equal(p.tempo(50), null);
});

test('the snare\'s share of the hats band takes the hats out (a snare that fills the band is no hat)', () => {
  const p = pulse();
  for (let n = 0; n < 10 * HOP_RATE; n++) p.push(n % 50 === 0 ? 1 : 0, n % 50 === 0 ? 1 : 0);
  assert.equal(p.tempo(50), null);
});

test('sixteenth hats take a period an octave up from 150 BPM only: 87 → 174 (half-time DnB), 68 and 74 stay (R&B)', () => {
  for (const [bpm, up] of [[87, true], [80, true], [74, false], [68, false]] as const) {
    const p = pulse();
    const periodHops = (60 * HOP_RATE) / bpm;
    // Sixteenths, the on-beat ones accented, one hop each (on the nearest hop of their time).
    const hits = new Map<number, number>();
    for (let k = 0; k * (periodHops / 4) < 12 * HOP_RATE; k++) {
      hits.set(Math.round(k * (periodHops / 4)), k % 4 === 0 ? 0.6 : 0.45);
    }
    for (let n = 0; n < 12 * HOP_RATE; n++) p.push(hits.get(n) ?? 0);
    const got = p.levelUp(periodHops);
    const what = `${bpm} BPM: period ${got.toFixed(1)} of ${periodHops.toFixed(1)} hops`;
    assert.equal(got, up ? periodHops / 2 : periodHops, what);
  }
});
