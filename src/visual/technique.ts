/**
 * The one small interface every visual technique implements (latent mixer, pulls, loops, sections, noise,
 * bends, rewrites, post). A technique is built once against the model and the mapping; per frame it reads its
 * targets from the mapping's resolved values and writes its own part of FrameParams — nothing else.
 * src/mapping/compile.ts keeps the target layout and the routes, and runs the techniques in order.
 */
import type { ControlState } from '../contracts/control.js';
import type { FrameParams } from '../contracts/frameParams.js';

/** Where a target lives in the mapping's flat array of resolved values. */
export interface TargetSlot {
  offset: number;
  length: number;
}

/** The musical clock as techniques read it (src/mapping/clock.ts MusicalClock satisfies it). */
export interface TechniqueClock {
  bars: number;
  /** Change of beats / bars since the previous frame. */
  dBeats: number;
  dBars: number;
  /** True on the frame where a new beat / bar started. */
  beatTick: boolean;
  barTick: boolean;
}

/** What a technique may read at one frame besides its targets. */
export interface TechniqueFrame {
  /** The frame period (s). */
  dt: number;
  clock: TechniqueClock;
  controls: ControlState;
}

export interface Technique {
  /** One frame: `values` are the resolved targets (read only), `p` the params being written. */
  frame(values: Float64Array, f: TechniqueFrame, p: FrameParams): void;
}
