/**
 * The stage interfaces the pipeline wires together. Each stage folder provides a factory that returns one of
 * these; the engine knows nothing else about them, so stages plug in without rewiring.
 */
import type { Observable } from '../rx.js';
import type { AudioBlock, AudioSourceInfo } from './audio.js';
import type { Features } from './features.js';
import type { ControlEvent, ControlState } from './control.js';
import type { FrameParams } from './frameParams.js';
import type { Frame } from './model.js';

export interface AudioSource {
  info: AudioSourceInfo;
  /** Hot or cold stream of blocks; completes when a file ends (unless looping); never errors for device loss. */
  blocks$: Observable<AudioBlock>;
}

/** Streaming analysis: AudioBlocks in, one Features record per hop out. */
export type AnalysisStage = (blocks$: Observable<AudioBlock>) => Observable<Features>;

/** Features gathered between two frames: the newest record plus everything that peaked or fired since the last frame. */
export interface HeldFeatures {
  latest: Features;
  /** Max of each onset envelope since the last frame (a kick between frames is never lost). */
  onsetMax: Features['onset'];
  /** Every event that fired since the last frame. */
  events: Set<string>;
}

export interface MapperInput {
  frame: number;
  /** Audio time (s) of this frame. */
  t: number;
  /** Seconds since the previous frame. */
  dt: number;
  features: HeldFeatures | null;
  controls: ControlState;
}

export interface MapperStage {
  /** Pure per-frame evaluation. */
  frame(input: MapperInput): FrameParams;
  /** Optional: resolved target values for state inspection (/api/state, monitor). */
  targets?(): Record<string, number>;
  close?(): Promise<void>;
}

export interface GeneratorStats {
  fps: number;
  msMedian: number;
  msP95: number;
  dropped: number;
  ep: string;
}

export interface GeneratorStage {
  width: number;
  height: number;
  /** Newest params win: when inference is busy, this replaces the pending params; nothing queues. */
  submit(params: FrameParams, paramsAtMs: number): void;
  frames$: Observable<Frame>;
  stats(): GeneratorStats;
  close(): Promise<void>;
}

export interface ControlStage {
  events$: Observable<ControlEvent>;
  /** Looks at the controls now (the monitor, /api/state, OSC out): consumes nothing, however often it is called. */
  state(): ControlState;
  /**
   * The controls for the frame at audio time `t` (s), called by the pipeline exactly once per frame: cues fired
   * since the previous take read 1 on this frame only, then 0.
   */
  take(t: number): ControlState;
  close(): Promise<void>;
}

export interface OutputStage {
  name: string;
  frame?(frame: Frame): void;
  features?(features: Features): void;
  params?(params: FrameParams): void;
  close?(): Promise<void>;
}
