import type { Features } from '../contracts/features.js';

export interface ClockOptions {
  fallbackBpm: number;
  minConfidence: number;
}

/**
 * The musical clock of the mapper: continuous beat and bar counts. While a tempo source is confident, the
 * fractional parts are its beat and bar phases (extrapolated from the feature's time to the frame's) and the
 * integer parts are chosen to keep the count continuous, so loops stay locked to the bar; without a tempo it
 * free-runs at the last tempo. A bar is the tempo source's `beatsPerBar` beats (4 when it does not say). It outlives hot reloads, so a loop does not jump when a mapping is saved.
 */
export class MusicalClock {
  beats = 0;
  bars = 0;
  bpm: number;
  /** Beats per bar of the tempo source (2, 3 or 4); the last one heard while free-running. */
  beatsPerBar = 4;
  locked = false;
  beatTick = false;
  barTick = false;
  /** Change of `bars` since the previous frame (loops integrate it). */
  dBars = 0;
  dBeats = 0;
  private started = false;

  constructor(private opts: ClockOptions) {
    this.bpm = opts.fallbackBpm;
  }

  setOptions(opts: ClockOptions): void {
    if (!this.locked && this.bpm === this.opts.fallbackBpm) this.bpm = opts.fallbackBpm;
    this.opts = opts;
  }

  update(t: number, dt: number, f: Features | null): void {
    const prevBeats = this.beats;
    const prevBars = this.bars;
    const tempo = f?.tempo;
    // A NaN phase would make beats/bars NaN for good (they integrate): such a record is treated as no tempo.
    const ok =
      !!tempo &&
      Number.isFinite(tempo.bpm) &&
      tempo.bpm > 0 &&
      Number.isFinite(tempo.beatPhase) &&
      Number.isFinite(tempo.barPhase) &&
      tempo.confidence >= this.opts.minConfidence;
    if (ok) {
      this.bpm = tempo.bpm;
      const perBar = tempo.beatsPerBar;
      if (perBar !== undefined && Number.isFinite(perBar) && perBar >= 1) this.beatsPerBar = perBar;
      const barBeats = 60 * this.beatsPerBar;
      const ahead = Math.max(0, t - f!.t);
      const beatPhase = frac(tempo.beatPhase + (ahead * tempo.bpm) / 60);
      const barPhase = frac(tempo.barPhase + (ahead * tempo.bpm) / barBeats);
      const predBeats = this.beats + (dt * this.bpm) / 60;
      const predBars = this.bars + (dt * this.bpm) / barBeats;
      this.beats = Math.round(predBeats - beatPhase) + beatPhase;
      this.bars = Math.round(predBars - barPhase) + barPhase;
      if (!this.started) {
        // The very first frame: start counting from the phase itself.
        this.beats = beatPhase;
        this.bars = barPhase;
      }
      this.locked = true;
    } else {
      this.locked = false;
      this.beats += (dt * this.bpm) / 60;
      this.bars += (dt * this.bpm) / (60 * this.beatsPerBar);
    }
    this.dBeats = this.started ? this.beats - prevBeats : 0;
    this.dBars = this.started ? this.bars - prevBars : 0;
    this.beatTick = this.started && Math.floor(this.beats) !== Math.floor(prevBeats);
    this.barTick = this.started && Math.floor(this.bars) !== Math.floor(prevBars);
    this.started = true;
  }
}

function frac(x: number): number {
  return x - Math.floor(x);
}
