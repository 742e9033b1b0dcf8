/**
 * The coordinator's view of a farm: frames done (finished chunks plus each running chunk's last report), every
 * worker's own rate as it reports it, and the ETA at the farm's rate since the first frame came in. A bar redrawn
 * in place on a TTY; the coordinator logs `line()` once per finished chunk otherwise.
 */
import { barLine, clock, type ProgressSink } from '../render/progress.js';

export class FarmProgress {
  private readonly t0 = performance.now();
  private finished = 0;
  private readonly running = new Map<number, number>();
  private readonly fps = new Map<string, number>();
  private lastDrawMs = -Infinity;

  constructor(
    private readonly sink: ProgressSink,
    readonly total: number,
    /** Frames already rendered by an earlier run: shown, not counted in the rate. */
    private readonly already: number,
  ) {}

  progress(chunk: number, worker: string, frames: number, fps: number): void {
    this.running.set(chunk, frames);
    if (Number.isFinite(fps)) this.fps.set(worker, fps);
    this.draw();
  }

  /** A chunk that went back to the queue: its frames so far no longer count. */
  restart(chunk: number): void {
    this.running.delete(chunk);
    this.draw();
  }

  done(chunk: number, frames: number, _worker: string): void {
    this.running.delete(chunk);
    this.finished += frames;
    this.draw();
  }

  framesDone(): number {
    let n = this.already + this.finished;
    for (const f of this.running.values()) n += f;
    return n;
  }

  /** Frames per second of the whole farm in this run. */
  rate(): number {
    const s = (performance.now() - this.t0) / 1000;
    return s > 0 ? (this.framesDone() - this.already) / s : 0;
  }

  workerFps(name: string): number {
    return this.fps.get(name) ?? 0;
  }

  line(): string {
    const done = this.framesDone();
    const rate = this.rate();
    const workers = [...this.fps].map(([n, f]) => `${n} ${f.toFixed(1)}`).join(', ');
    return `${done}/${this.total} frames, ${rate.toFixed(1)} fps, ETA ${clock(rate > 0 ? (this.total - done) / rate : Infinity)}${workers ? `; fps per worker: ${workers}` : ''}`;
  }

  private draw(): void {
    if (!this.sink.isTTY) return;
    const now = performance.now();
    if (now - this.lastDrawMs < 100) return;
    this.lastDrawMs = now;
    const workers = [...this.fps].map(([n, f]) => `${n} ${f.toFixed(1)}`).join('  ');
    const cols = this.sink.columns ?? 80;
    const bar = barLine(this.framesDone(), this.total, this.rate(), Math.min(cols, 72));
    this.sink.write(`\r${`${bar}  ${workers}`.slice(0, cols - 1)}\x1b[K`);
  }

  end(): void {
    if (this.sink.isTTY) this.sink.write('\n');
  }
}
