/** What every audio source emits and every later stage consumes. */

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
