import type { Observable } from 'rxjs';
import type { Features } from '../analysis/types.js';
import { emptyControlState, type ControlState } from '../control/types.js';
import { FeatureHold } from '../featureHold.js';
import type { Mapper } from './index.js';
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

export interface TraceOptions {
  fps: number;
  /** Audio duration (s): frames run until here even after the last feature. */
  durationS: number;
  controls?: ControlState;
}

/**
 * Runs a mapper over a feature stream on a virtual clock: frame k happens at k/fps and sees exactly the
 * Features that had become available by then (their `t` includes the analyser's latency), with the peaks and
 * events held since the previous frame — the same hold the live engine uses. No generator runs.
 */
export function traceMapper(features$: Observable<Features>, mapper: Mapper, opts: TraceOptions, onRecord: (r: TraceRecord) => void): Promise<number> {
  const hold = new FeatureHold();
  const controls: ControlState = opts.controls ?? emptyControlState();
  const dt = 1 / opts.fps;
  let frame = 0;
  let latest: Features | null = null;
  const emitFrame = (): void => {
    const t = frame / opts.fps;
    const held = hold.take();
    mapper.frame({ frame, t, dt, features: held, controls });
    const tempo = latest?.tempo;
    onRecord({ frame, t, ...mapper.resolved(), barPhase: tempo ? tempo.barPhase : null, bpm: tempo ? tempo.bpm : null, events: held ? [...held.events].sort() : [] });
    frame += 1;
  };
  return new Promise((resolve, reject) => {
    features$.subscribe({
      next(f) {
        while (frame / opts.fps < f.t) emitFrame();
        hold.push(f);
        latest = f;
      },
      error: reject,
      complete() {
        while (frame / opts.fps <= opts.durationS) emitFrame();
        resolve(frame);
      },
    });
  });
}

/** Compact, deterministic JSON: numbers rounded to 6 decimals (−0 printed as 0). */
export function traceLine(r: TraceRecord): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 + 0 : v));
}
