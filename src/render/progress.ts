/**
 * Render progress: a bar redrawn in place on a TTY (frames, fps, ETA), and nothing but one summary line at the
 * end otherwise (logs and CI keep one line, not thousands of carriage returns).
 */
export interface ProgressSink {
  isTTY: boolean;
  columns?: number;
  write(s: string): void;
}

export const clock = (s: number): string => {
  if (!Number.isFinite(s) || s < 0) return '--:--';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
};

/** One bar line: done/total frames, the rate since the start (or resume) and the time left at that rate. */
export function barLine(done: number, total: number, fps: number, width: number): string {
  const etaS = fps > 0 ? (total - done) / fps : Infinity;
  const text = ` ${done}/${total} frames  ${fps.toFixed(1)} fps  ETA ${clock(etaS)}`;
  const barW = Math.max(10, Math.min(40, width - text.length - 3));
  const filled = total > 0 ? Math.round((done / total) * barW) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(barW - filled)}]${text}`;
}

export class Progress {
  private readonly t0 = performance.now();
  private lastDrawMs = -Infinity;
  private counted = 0;

  constructor(
    private readonly sink: ProgressSink,
    readonly total: number,
    /** Frames already done before this run (resumed): shown, but not counted in the rate. */
    private readonly already: number,
  ) {}

  /** Frames rendered in this run per second of wall time. */
  rate(): number {
    const s = (performance.now() - this.t0) / 1000;
    return s > 0 ? this.counted / s : 0;
  }

  update(doneThisRun: number): void {
    this.counted = doneThisRun;
    if (!this.sink.isTTY) return;
    const now = performance.now();
    if (now - this.lastDrawMs < 100 && doneThisRun + this.already < this.total) return;
    this.lastDrawMs = now;
    this.sink.write(`\r${barLine(this.already + doneThisRun, this.total, this.rate(), this.sink.columns || 80)}\x1b[K`);
  }

  /** Ends the bar's line (TTY) so log lines after it start clean. */
  end(): void {
    if (this.sink.isTTY) this.sink.write('\n');
  }
}
