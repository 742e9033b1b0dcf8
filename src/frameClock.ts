import { Observable } from 'rxjs';

export interface Tick {
  /** Frame number, counting every tick slot since start (missed slots included). */
  frame: number;
  /** Scheduled time of this tick (ms, performance.now clock). */
  scheduledMs: number;
  /** When the tick actually fired. */
  firedMs: number;
  /** Total ticks skipped so far because the event loop was late by more than a period. */
  missed: number;
}

export interface FrameClockOptions {
  fps: number;
  /** Injected time source (tests, offline rendering). */
  now?: () => number;
}

/**
 * A steady, drift-free frame clock: tick n is scheduled at start + n·period, not "period after the last
 * tick", so timer lateness never accumulates. When the loop was blocked for more than a period, the slots that
 * passed are counted as missed and skipped (a late frame is dropped, never delayed).
 */
export function frameClock(options: FrameClockOptions): Observable<Tick> {
  const { fps } = options;
  if (!(fps > 0 && fps <= 1000)) throw new RangeError(`frameClock: fps must be in (0, 1000], got ${fps}`);
  const now = options.now ?? (() => performance.now());
  const periodMs = 1000 / fps;
  return new Observable<Tick>((subscriber) => {
    const startMs = now();
    let frame = 0;
    let missed = 0;
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      const target = startMs + frame * periodMs;
      timer = setTimeout(fire, Math.max(0, target - now()));
    };
    const fire = () => {
      const t = now();
      // Slots whose time has fully passed are skipped, never replayed.
      const due = Math.floor((t - startMs) / periodMs);
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
    return () => clearTimeout(timer);
  });
}
