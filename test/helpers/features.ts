import type { Features } from '../../src/contracts/features.js';

/**
 * One analysis record of silence at time `t`: every level 0, no events, 120 BPM at no confidence. Tests override
 * only the fields they are about, so the record's other fields stay out of the way.
 */
export function quietFeatures(t: number, over: Partial<Features> = {}): Features {
  return {
    t,
    chroma: new Float32Array(12),
    bassChroma: new Float32Array(12),
    onset: { all: 0, kick: 0, snare: 0, hats: 0 },
    events: [],
    rms: 0,
    rmsSlow: 0,
    bandRms: { low: 0, mid: 0, high: 0 },
    novelty: 0,
    section: 0,
    tempo: { bpm: 120, beatPhase: 0, barPhase: 0, confidence: 0, source: 'analysis' },
    ...over,
  };
}
