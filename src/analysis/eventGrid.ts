/**
 * The newest events of one drum and the intervals two of them span, for the merge's expectations (drumMerge.ts):
 * where a groove's own events say the next comes (a backbeat's half bar or bar, a swing's two beats, a drum'n'bass
 * bar's second kick).
 */
import { EXPECTED_INTERVAL_S, EXPECTED_TOLERANCE_S } from './drumMergeThresholds.js';

const NONE = -1e9;

export class EventGrid {
  /** Hops of the newest events, oldest first (NONE where none yet). */
  private readonly hops: Float64Array;
  /** How far (hops) from an expected time a hop may come: EXPECTED_TOLERANCE_S. */
  readonly toleranceHops: number;
  private readonly minHops: number;
  readonly maxHops: number;

  /** `count`: the events it keeps. */
  constructor(hopRateHz: number, count: number) {
    this.hops = new Float64Array(count).fill(NONE);
    this.toleranceHops = Math.round(EXPECTED_TOLERANCE_S * hopRateHz);
    this.minHops = Math.round(EXPECTED_INTERVAL_S[0] * hopRateHz);
    this.maxHops = Math.round(EXPECTED_INTERVAL_S[1] * hopRateHz);
  }

  /** An event at `hop`. */
  push(hop: number): void {
    this.hops.copyWithin(0, 1);
    this.hops[this.hops.length - 1] = hop;
  }

  /** The hop of the event `back` before the newest (0: the newest; NONE where there are fewer). */
  newest(back = 0): number {
    return this.hops[this.hops.length - 1 - back]!;
  }

  /**
   * Whether one of `from` (the events themselves unless given) lies an interval back from `hop` that two of the events
   * span (EXPECTED_INTERVAL_S), within EXPECTED_TOLERANCE_S. NONE entries lie too far back to span or match anything.
   */
  expects(hop: number, from: ArrayLike<number> = this.hops): boolean {
    const h = this.hops;
    for (let a = 0; a < h.length; a++) {
      for (let b = a + 1; b < h.length; b++) {
        const span = h[b]! - h[a]!;
        if (span < this.minHops || span > this.maxHops) continue;
        for (let c = 0; c < from.length; c++) if (Math.abs(hop - from[c]! - span) <= this.toleranceHops) return true;
      }
    }
    return false;
  }
}
