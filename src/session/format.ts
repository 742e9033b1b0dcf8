/**
 * The session folder format (docs/session.md): names, the header, the line types and the params record layout,
 * shared by the writer and the reader.
 */
import type { ControlInput } from '../control/index.js';
import type { Manifest } from '../generator/types.js';
import { frameLayout } from '../contracts/frameParams.js';
import type { FrameParams, PostParams } from '../visual/types.js';

export const SESSION_FORMAT = 'latentvj-session';
export const SESSION_VERSION = 1;

export const FILES = {
  header: 'session.json',
  audio: 'audio.wav',
  controls: 'controls.jsonl',
  mappings: 'mappings.jsonl',
  mappingDir: 'mappings',
  frames: 'frames.jsonl',
  params: 'params.f32',
} as const;

/** The params fields stored per frame, in record order. */
export const PARAM_FIELDS = ['ws', 'noiseMix', 'noiseStrength', 'noiseMask', 'bend', 'rewrite'] as const;
export type ParamField = (typeof PARAM_FIELDS)[number];
export type ParamsLayout = Record<ParamField, number>;

export interface SessionHeader {
  format: typeof SESSION_FORMAT;
  version: number;
  createdAt: string;
  writer: string;
  audio: { file: string; sampleRate: number; channels: number };
  fps: number;
  model: { dir: string; id: string; width: number; height: number };
  paramsLayout: ParamsLayout;
  config: unknown;
  /** The live engine's audio time (s) of this session's first sample; absent (0) when recorded from the start. */
  startS?: number;
  /** Absent while recording and in a session cut short. */
  ended?: { audioS: number; frames: number };
}

export interface ControlLine {
  t: number;
  event: ControlInput;
}

export interface MappingLine {
  t: number;
  version: number;
  /** Relative to the session folder. */
  file: string;
  /** The path live loaded it from. */
  source: string;
}

export interface FrameLine {
  frame: number;
  t: number;
  dt: number;
  truncation: number;
  scene: number | string;
  post: PostParams;
}

/** The layout the mapper writes for a model: the FrameParams lengths the generator's inputs take (contracts). */
export const layoutFor = (m: Manifest): ParamsLayout => frameLayout(m);

export const recordFloats = (l: ParamsLayout): number => PARAM_FIELDS.reduce((s, f) => s + l[f], 0);

/** A recorded frame: its line and its generator inputs. */
export interface RecordedFrame extends FrameLine {
  params: Pick<FrameParams, ParamField>;
}
