/** Contracts of the audio stage: sources emit AudioBlocks, everything downstream consumes them. */

/** One block of audio. `t0` is the index of the first sample since the source started (the audio clock). */
export interface AudioBlock {
  sampleRate: number;
  /** Sample index of channels[*][0] since the source started. */
  t0: number;
  /** One Float32Array per channel, all of equal length, nominal range -1..1. */
  channels: Float32Array[];
}

/** Where the sound comes from. 'demo' is the built-in demo track; a path is an audio file; `device:<id|name>` a line-in. */
export type AudioSpec = string;

export interface AudioSourceInfo {
  /** Human-readable description for the log ("line-in: USB Audio CODEC (hw:1,0) 48000 Hz ch 1+2"). */
  description: string;
  kind: 'device' | 'file' | 'demo';
  sampleRate: number;
  channels: number;
}

/** Ground truth of the demo track (written beside it as JSON; used by analysis and mapping tests). Times in seconds. */
export interface DemoTruth {
  sampleRate: number;
  durationS: number;
  bpm: number;
  beatsPerBar: 4;
  /** True onset times per drum voice. */
  onsets: { kick: number[]; snare: number[]; hats: number[] };
  beats: number[];
  downbeats: number[];
  /** One entry per bar: bass pitch class and the chord's pitch classes (0 = C). */
  bars: Array<{ start: number; end: number; bassPc: number; chordPcs: number[]; chord: string }>;
  /** Section boundaries, e.g. [{start: 0, name: 'intro'}, {start: 16.0, name: 'main'}]. */
  sections: Array<{ start: number; name: string }>;
}
