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
