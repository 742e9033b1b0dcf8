import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstValueFrom, take, toArray } from 'rxjs';
import { frameClock } from '../../src/pipeline/frameClock.js';

test('ticks are scheduled on a fixed grid (no accumulated drift)', async () => {
  const ticks = await firstValueFrom(frameClock({ fps: 250 }).pipe(take(12), toArray()));
  const period = 1000 / 250;
  const start = ticks[0]!.scheduledMs - ticks[0]!.frame * period;
  for (const t of ticks) {
    // scheduled time is start + n·period exactly, however late the previous tick fired
    assert.ok(Math.abs(t.scheduledMs - (start + t.frame * period)) < 1e-9);
    // libuv timers have 1 ms granularity against a cached loop time, so a tick may fire up to ~1–2 ms early.
    assert.ok(t.firedMs >= t.scheduledMs - 2.5, 'never fires early by more than timer granularity');
  }
  for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i]!.frame > ticks[i - 1]!.frame);
});

test('a blocked event loop counts missed ticks and skips them instead of bursting', async () => {
  const fps = 100;
  const frames: number[] = [];
  let missed = 0;
  let missedAtFirst = -1;
  await new Promise<void>((resolve) => {
    const sub = frameClock({ fps }).subscribe((t) => {
      frames.push(t.frame);
      missed = t.missed;
      if (missedAtFirst < 0) missedAtFirst = t.missed;
      if (frames.length === 2) {
        const until = performance.now() + 80; // block for 8 periods
        while (performance.now() < until) {
          /* busy */
        }
      }
      if (frames.length === 5) {
        sub.unsubscribe();
        resolve();
      }
    });
  });
  missed -= missedAtFirst;
  assert.ok(missed >= 5, `expected the blocked periods to be counted as missed, got ${missed}`);
  // the tick after the block jumps ahead: frame numbers count slots, so the gap equals the missed count
  assert.ok(frames[2]! - frames[1]! > 1);
  assert.equal(frames[4]! - frames[0]! - (frames.length - 1), missed);
});

test('rejects a nonsensical fps', () => {
  assert.throws(() => frameClock({ fps: 0 }), /fps must be in/);
});
