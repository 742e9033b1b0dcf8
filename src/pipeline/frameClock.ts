import { Observable } from '../rx.js';
import { realClock, type PacingClock } from '../audio/clock.js';

export interface Tick {
  /** Slot number, counting every slot since start (missed slots included). */
  frame: number;
  /** Scheduled time of this tick (ms, on the pacing clock). */
  scheduledMs: number;
  /** When the tick actually fired. */
  firedMs: number;
  /** Total slots skipped so far because the event loop was late by more than a period. */
  missed: number;
}

export interface FrameClockOptions {
  fps: number;
  /** The wall clock and its timers; tests inject a virtual one (test/audio/clock.ts) and run it forward. */
  clock?: PacingClock;
}

/**
 * The live pacing clock: tick n is scheduled at start + n·period, not "period after the last tick", so timer
 * lateness never accumulates. When the loop was blocked for more than a period, the slots that passed are counted
 * as missed and skipped. It only paces: which frame a tick releases, and its audio time, is the pipeline's
 * business (see engine.ts), so a late tick never changes what a frame shows.
 */
export function frameClock(options: FrameClockOptions): Observable<Tick> {
  const { fps } = options;
  if (!(fps > 0 && fps <= 1000)) throw new RangeError(`frameClock: fps must be in (0, 1000], got ${fps}`);
  const clock = options.clock ?? realClock;
  const periodMs = 1000 / fps;
  return new Observable<Tick>((subscriber) => {
    const startMs = clock.nowMs();
    let frame = 0;
    let missed = 0;
    let cancel: (() => void) | undefined;
    const schedule = (): void => {
      const target = startMs + frame * periodMs;
      cancel = clock.setTimer(fire, Math.max(0, target - clock.nowMs()));
    };
    const fire = (): void => {
      const t = clock.nowMs();
      // Slots whose time has fully passed are skipped, never replayed.
      const due = Math.floor((t - startMs) / periodMs + 1e-9);
      if (due > frame) {
        missed += due - frame;
        frame = due;
      }
      subscriber.next({ frame, scheduledMs: startMs + frame * periodMs, firedMs: t, missed });
      frame += 1;
      // The subscriber may have unsubscribed from inside next() (take(n), a stop); schedule nothing then.
      if (!subscriber.closed) schedule();
    };
    schedule();
    return () => cancel?.();
  });
}
