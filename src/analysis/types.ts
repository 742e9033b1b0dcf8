/** Contracts of the analysis stage: one Features record per analysis hop. */

export interface OnsetEnvelopes {
  /** All bands together, 0..1 (adaptively normalised). */
  all: number;
  kick: number;
  snare: number;
  hats: number;
}

export interface Tempo {
  bpm: number;
  /** 0..1 position inside the current beat. */
  beatPhase: number;
  /** 0..1 position inside the current 4/4 bar. */
  barPhase: number;
  /** 0..1 how sure the tracker is. */
  confidence: number;
  /** Which source leads: analysis, midi-clock, osc, tap, link. */
  source: string;
}

export type FeatureEvent = 'kick' | 'snare' | 'hats' | 'onset' | 'beat' | 'downbeat' | 'section';

export interface Features {
  /** Audio time in seconds at which this record became available (analysis latency included). */
  t: number;
  /** Chord chroma from the harmonic part, 12 values, index 0 = C, normalised per frame. */
  chroma: Float32Array;
  /** Bass chroma from the low band, 12 values, index 0 = C. */
  bassChroma: Float32Array;
  onset: OnsetEnvelopes;
  /** Events that fired in this hop. */
  events: FeatureEvent[];
  /** RMS, adaptively normalised 0..1. */
  rms: number;
  /** Slow moving average of rms (seconds), 0..1. */
  rmsSlow: number;
  /** Per-band RMS (low, mid, high), 0..1. */
  bandRms: { low: number; mid: number; high: number };
  /** Causal novelty used for section changes, 0..1. */
  novelty: number;
  /** Index of the current section (increments on each section event). */
  section: number;
  /** Offline only (render): the current section's label from the structural segmentation; equal labels repeat. */
  sectionLabel?: number;
  tempo: Tempo;
}
