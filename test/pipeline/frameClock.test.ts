import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameClock, type Tick } from '../../src/pipeline/frameClock.js';
import { VirtualClock } from '../audio/clock.js';

test('ticks are scheduled on a fixed grid: lateness never accumulates into drift', () => {
  // Every timer fires 3 ms late.
  const clock = new VirtualClock(() => 3);
  const ticks: Tick[] = [];
  const sub = frameClock({ fps: 250, clock }).subscribe((t) => ticks.push(t));
  clock.runUntil(48);
  sub.unsubscribe();
  const period = 1000 / 250;
  assert.deepEqual(
    ticks.map((t) => t.frame),
    Array.from({ length: 12 }, (_, k) => k),
  );
  for (const t of ticks) {
    assert.equal(t.scheduledMs, t.frame * period);
    assert.equal(t.firedMs, t.scheduledMs + 3, 'each tick is late by its own timer only');
  }
  assert.equal(clock.liveTimers(), 0, 'unsubscribing cancels the pending timer');
});

test('a blocked loop counts the missed slots and skips them instead of bursting', () => {
  // The third timer fires 35 ms late (a blocked event loop): slots 2 … 9 pass while it waits.
  let n = 0;
  const clock = new VirtualClock(() => (n++ === 2 ? 35 : 0));
  const ticks: Tick[] = [];
  const sub = frameClock({ fps: 100, clock }).subscribe((t) => ticks.push(t));
  clock.runUntil(120);
  sub.unsubscribe();
  assert.deepEqual(
    ticks.map((t) => [t.frame, t.missed]),
    [
      [0, 0],
      [1, 0],
      [5, 3],
      [6, 3],
      [7, 3],
      [8, 3],
      [9, 3],
      [10, 3],
      [11, 3],
      [12, 3],
    ],
  );
});

test('rejects a nonsensical fps', () => {
  assert.throws(() => frameClock({ fps: 0 }), /fps must be in/);
});
