import type { PacingClock } from '../../src/audio/clock.js';

/** Virtual time for pacing tests: timers fire when the test advances the clock, optionally late by `lateMs()`. */
export class VirtualClock implements PacingClock {
  now = 0;
  private timers: Array<{ at: number; fn: () => void; live: boolean; seq: number }> = [];
  private seq = 0;
  constructor(private readonly lateMs: () => number = () => 0) {}
  nowMs(): number {
    return this.now;
  }
  setTimer(fn: () => void, delayMs: number): () => void {
    const t = { at: this.now + Math.max(0, delayMs) + this.lateMs(), fn, live: true, seq: this.seq++ };
    this.timers.push(t);
    return () => {
      t.live = false;
    };
  }
  liveTimers(): number {
    return this.timers.filter((t) => t.live).length;
  }
  /** Runs every timer due up to `endMs`, in time order, moving the clock to each. */
  runUntil(endMs: number): void {
    for (;;) {
      this.timers = this.timers.filter((t) => t.live);
      const due = this.timers.filter((t) => t.at <= endMs).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.live = false;
      this.now = Math.max(this.now, due.at);
      due.fn();
    }
    this.now = Math.max(this.now, endMs);
  }
}
