/**
 * Rolling generator statistics: frames per second over a time window, median and p95 inference time over the
 * most recent frames, and the count of params that were never rendered (replaced while inference was busy, or
 * lost to a failed run). Fixed-size rings, so recording a frame allocates nothing.
 */
import type { GeneratorStats } from '../../contracts/stages.js';

export class RollingStats {
  private readonly endMs: Float64Array;
  private readonly inferMs: Float64Array;
  private readonly scratch: Float64Array;
  private count = 0;
  private next = 0;
  private firstMs = 0;
  dropped = 0;
  frames = 0;
  ep = 'none';

  constructor(
    private readonly capacity = 256,
    /** Window over which fps is measured. */
    private readonly windowMs = 5000,
  ) {
    this.endMs = new Float64Array(capacity);
    this.inferMs = new Float64Array(capacity);
    this.scratch = new Float64Array(capacity);
  }

  record(inferMs: number, atMs: number): void {
    if (this.frames === 0) this.firstMs = atMs;
    this.endMs[this.next] = atMs;
    this.inferMs[this.next] = inferMs;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count += 1;
    this.frames += 1;
  }

  drop(n = 1): void {
    this.dropped += n;
  }

  summary(nowMs: number): GeneratorStats {
    let inWindow = 0;
    for (let i = 0; i < this.count; i++) if (nowMs - this.endMs[i]! <= this.windowMs) inWindow += 1;
    // Frames in the window over the window's length (or the time since the first frame, when younger), so a
    // stalled generator's fps falls toward 0 instead of freezing at its last rate.
    const spanMs = Math.min(this.windowMs, nowMs - this.firstMs);
    const fps = inWindow > 0 && spanMs > 0 ? (inWindow * 1000) / spanMs : 0;
    const n = this.count;
    for (let i = 0; i < n; i++) this.scratch[i] = this.inferMs[i]!;
    const s = this.scratch.subarray(0, n).sort();
    return {
      fps,
      msMedian: quantile(s, 0.5),
      msP95: quantile(s, 0.95),
      dropped: this.dropped,
      ep: this.ep,
    };
  }
}

/** Nearest-rank quantile of sorted values. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const idx = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  return sorted[idx]!;
}

export function formatStats(s: GeneratorStats): string {
  return `${s.fps.toFixed(1)} fps, inference median ${s.msMedian.toFixed(1)} ms, p95 ${s.msP95.toFixed(1)} ms, dropped ${s.dropped}, ep ${s.ep}`;
}
