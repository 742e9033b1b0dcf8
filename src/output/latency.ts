import type { LatencySummary } from './protocol.js';

/** A fixed window of the last N samples (ms) with median and p95; no allocation per sample. */
export class RollingSamples {
  private readonly values: Float64Array;
  private readonly scratch: Float64Array;
  private count = 0;
  private next = 0;
  private lastValue = 0;

  constructor(size = 240) {
    this.values = new Float64Array(size);
    this.scratch = new Float64Array(size);
  }

  push(v: number): void {
    if (!Number.isFinite(v)) return;
    this.values[this.next] = v;
    this.next = (this.next + 1) % this.values.length;
    if (this.count < this.values.length) this.count += 1;
    this.lastValue = v;
  }

  /** Called a few times per second (state snapshots), not per sample. */
  summary(): LatencySummary {
    const n = this.count;
    if (n === 0) return { n: 0, last: 0, median: 0, p95: 0 };
    const s = this.scratch.subarray(0, n);
    s.set(this.values.subarray(0, n));
    s.sort();
    return { n, last: this.lastValue, median: quantileSorted(s, 0.5), p95: quantileSorted(s, 0.95) };
  }

  clear(): void {
    this.count = 0;
    this.next = 0;
  }
}

/** Nearest-rank quantile of sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** Events per second over the last second, from a ring of timestamps (ms). */
export class RateMeter {
  private readonly times: Float64Array;
  private next = 0;
  private count = 0;

  constructor(capacity = 512) {
    this.times = new Float64Array(capacity);
  }

  mark(tMs: number): void {
    this.times[this.next] = tMs;
    this.next = (this.next + 1) % this.times.length;
    if (this.count < this.times.length) this.count += 1;
  }

  /** Events in (nowMs − 1000, nowMs]. */
  perSecond(nowMs: number): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (nowMs - this.times[i]! < 1000) n += 1;
    return n;
  }
}

/**
 * Maps audio time (s) to the engine clock (ms). Features arrive when their audio has been captured and
 * analysed, so `arrivalMs − t·1000` is an upper bound of the offset; the smallest value seen is the best
 * estimate. A jump of more than `resetMs` upwards (audio restarted or ran slower than real time) resets it.
 */
export class AudioClock {
  private offsetMs: number | null = null;

  constructor(private readonly resetMs = 500) {}

  observe(audioT: number, arrivalMs: number): void {
    const candidate = arrivalMs - audioT * 1000;
    if (this.offsetMs === null || candidate < this.offsetMs || candidate - this.offsetMs > this.resetMs) {
      this.offsetMs = candidate;
    }
  }

  /** Engine ms at which audio time `audioT` was captured, or null before any features arrived. */
  engineMsAt(audioT: number): number | null {
    return this.offsetMs === null ? null : this.offsetMs + audioT * 1000;
  }
}
