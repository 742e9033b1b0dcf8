/** Contracts of the audio stage: sources emit AudioBlocks, everything downstream consumes them. */

export type { AudioBlock, AudioSpec, AudioSourceInfo } from '../contracts/audio.js';

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
