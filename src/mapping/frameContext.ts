import type { Features, OnsetEnvelopes } from '../contracts/features.js';
import { emptyControlState, type ControlState } from '../contracts/control.js';

/**
 * Everything a source may read at one frame. One instance lives as long as the mapper and is overwritten each
 * frame (no per-frame allocation); sources and modifiers read it, never keep it.
 */
export interface FrameContext {
  frame: number;
  /** Audio time (s) of this frame. */
  t: number;
  /** Seconds since the previous frame (> 0). */
  dt: number;
  /** Newest Features, or null before the first analysis hop (or without analysis). */
  features: Features | null;
  /** Peak of each onset envelope since the previous frame. */
  onsetMax: OnsetEnvelopes;
  /** Events that fired since the previous frame. */
  events: ReadonlySet<string>;
  controls: ControlState;
  /** The musical clock (see clock.ts): continuous beat and bar counts, true while locked to a tempo. */
  beats: number;
  bars: number;
  bpm: number;
  tempoLocked: boolean;
  /** True on the frame where a new beat / bar started. */
  beatTick: boolean;
  barTick: boolean;
}

const EMPTY_EVENTS: ReadonlySet<string> = new Set();

export function createFrameContext(): FrameContext {
  return {
    frame: 0,
    t: 0,
    dt: 1 / 30,
    features: null,
    onsetMax: { all: 0, kick: 0, snare: 0, hats: 0 },
    events: EMPTY_EVENTS,
    controls: emptyControlState(),
    beats: 0,
    bars: 0,
    bpm: 120,
    tempoLocked: false,
    beatTick: false,
    barTick: false,
  };
}

export { EMPTY_EVENTS };
