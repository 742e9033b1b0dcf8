/** What the running pipeline reports about itself: for the log, the monitor and the control API. */

/** An error from any stage, as it arrives in the engine's one error stream. */
export interface StageError {
  stage: string;
  error: unknown;
  fatal: boolean;
}

/** Rolling per-stage timings (ms) and counters. */
export interface EngineStats {
  /** Frames the middle evaluated (every frame of audio time; none is skipped). */
  frames: number;
  /** Pacing-clock slots skipped because the event loop was late by more than a period (live only). */
  missedTicks: number;
  hops: number;
  audioBlocks: number;
  /** Audio seconds received. */
  audioT: number;
  mapperMsLast: number;
  mapperMsMax: number;
  framesOut: number;
  /**
   * Frame-time jitter (live): how far the wall time between two released frames strays from the frame period,
   * ms — the newest value and the largest over the last ~2 s. Offline both stay 0.
   */
  frameJitterMsLast: number;
  frameJitterMsMax: number;
}
