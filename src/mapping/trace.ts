import type { HeldFeatures } from '../contracts/stages.js';
import type { ResolvedState } from './compile.js';

/** One line of `latentvj trace`: the frame, its time, and every resolved target by name. */
export interface TraceRecord extends ResolvedState {
  frame: number;
  t: number;
  /** What the analysis said at this frame (null before the first hop): to read a mapping against its input. */
  barPhase: number | null;
  bpm: number | null;
  /** Events held since the previous frame (kick, snare, beat …), sorted. */
  events: string[];
}

/** Compact, deterministic JSON: numbers rounded to 6 decimals (−0 printed as 0). */
export function traceLine(r: TraceRecord): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 + 0 : v));
}

/** The trace line of one evaluated frame: its number and time, what it heard, and the mapper's resolved state. */
export function traceRecord(f: { frame: number; t: number; features: HeldFeatures | null }, mapper: { resolved(): ResolvedState }): TraceRecord {
  const tempo = f.features?.latest.tempo;
  return {
    frame: f.frame,
    t: f.t,
    ...mapper.resolved(),
    barPhase: tempo ? tempo.barPhase : null,
    bpm: tempo ? tempo.bpm : null,
    events: f.features ? [...f.features.events].sort() : [],
  };
}
