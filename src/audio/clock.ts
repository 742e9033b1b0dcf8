/**
 * The wall clock that paces real-time sources, injectable so tests run on virtual time (no sleeping in tests).
 */
export interface PacingClock {
  /** Monotonic milliseconds. */
  nowMs(): number;
  /** Calls `fn` after about `delayMs`; returns a cancel function. */
  setTimer(fn: () => void, delayMs: number): () => void;
}

export const realClock: PacingClock = {
  nowMs: () => performance.now(),
  setTimer(fn, delayMs) {
    const h = setTimeout(fn, Math.max(0, delayMs));
    return () => clearTimeout(h);
  },
};

/**
 * A clock that runs `factor` times as fast as `base`: a file played through live at that multiple of real time.
 * Everything the engine stamps is audio time (sample counts, frame numbers), so a show on a paced clock records the
 * same session a real-time one would, sooner; only the wall-clock parts (timers, jitter figures) scale.
 */
export function pacedClock(factor: number, base: PacingClock = realClock): PacingClock {
  if (!(factor > 0 && Number.isFinite(factor))) throw new RangeError(`pacedClock: factor must be positive, got ${factor}`);
  const t0 = base.nowMs();
  return {
    nowMs: () => t0 + (base.nowMs() - t0) * factor,
    setTimer: (fn, delayMs) => base.setTimer(fn, delayMs / factor),
  };
}
