/** What the analysis hears: one Features record per analysis hop (produced by src/analysis, read by every later stage). */

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
  /** 0..1 position inside the current bar (`beatsPerBar` beats; 4 when not known). */
  barPhase: number;
  /** 0..1 how sure the tracker is. */
  confidence: number;
  /** Which source leads: analysis, midi-clock, osc, tap, link. */
  source: string;
  /**
   * False while the analysis has no rhythmic evidence (before the first drums, in drumless passages, ambient
   * music): no beat or downbeat events fire; the phases run on at the tracker's estimate (which may follow the
   * harmony's pulse meanwhile), so loops keep moving. Absent from other sources (their tempo is always known).
   */
  known?: boolean;
  /** Beats per bar of the detected meter (2, 3 or 4; absent from sources that do not say). */
  beatsPerBar?: number;
}

export type ChordQuality = 'maj' | 'min' | '7' | 'maj7' | 'min7' | 'none';

/**
 * The chord qualities in a fixed order with their intervals above the root (semitones). The order is the number a
 * mapping reads as `chord.quality` (maj 0, min 1, 7 2, maj7 3, min7 4; 'none' −1), so it only ever grows at the end.
 */
export const CHORD_QUALITIES: ReadonlyArray<readonly [Exclude<ChordQuality, 'none'>, readonly number[]]> = [
  ['maj', [0, 4, 7]],
  ['min', [0, 3, 7]],
  ['7', [0, 4, 7, 10]],
  ['maj7', [0, 4, 7, 11]],
  ['min7', [0, 3, 7, 10]],
];

/** A chord quality as a number: its index in CHORD_QUALITIES (maj 0 … min7 4), −1 for 'none' or no estimate. */
export function chordQualityNumber(q: ChordQuality | undefined): number {
  if (q === undefined || q === 'none') return -1;
  return CHORD_QUALITIES.findIndex(([name]) => name === q);
}

/** The chord heard now, from the chord and bass chroma. */
export interface ChordEstimate {
  /** Root pitch class, 0 = C; −1 when no chord is heard (silence, drums only). */
  root: number;
  quality: ChordQuality;
  /** 0..1: how far the best chord template beats the runner-up and fits the chroma. */
  confidence: number;
}

/** Live section energy: now against the recent past (no absolute level). */
export interface SectionEnergy {
  /**
   * Energy of the last bar or so relative to the last 16–30 s, in dB-like units scaled to −1..1: > 0 louder, fuller
   * and more percussive than the recent past (a drop), < 0 thinner (a breakdown).
   */
  contrast: number;
  /** 'drop' after a drop event until a breakdown, 'breakdown' after one, 'steady' before either. */
  state: 'steady' | 'drop' | 'breakdown';
}

/** A section-energy state as a number (what mappings and OSC out send): breakdown −1, steady 0, drop 1. */
export const ENERGY_STATE_NUMBER: Readonly<Record<SectionEnergy['state'], number>> = { breakdown: -1, steady: 0, drop: 1 };

/**
 * Every event the analysis fires. 'onset': any onset (all bands together), before it is classified; 'drop' /
 * 'breakdown': the live section energy jumped up / fell against the recent past (see SectionEnergy).
 */
export const FEATURE_EVENTS = ['kick', 'snare', 'hats', 'onset', 'beat', 'downbeat', 'section', 'drop', 'breakdown'] as const;
export type FeatureEvent = (typeof FEATURE_EVENTS)[number];

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
  /** Chord estimate (always set by the analysis; optional so replays and other producers stay valid). */
  chord?: ChordEstimate;
  /** Live drop/breakdown detector (always set by the analysis; optional like `chord`). */
  energy?: SectionEnergy;
}
