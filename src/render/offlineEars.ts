/**
 * What a render may hear that live cannot: the whole file is known before the first frame.
 *  - Onsets without detection latency: each hop's record becomes available when its audio happened instead of
 *    `ONSET_LATENCY_S` later (the picture moves on the frame where the kick sounds, not the next); the tempo's
 *    beat and bar phases, which already stand for the record's availability time, are moved back with it.
 *  - A global tempo and beat grid (analysis/offline/grid.ts) from the first frame on, for steady tracks: beat and
 *    bar phases, beat and downbeat events from it instead of the tracker's lock-in and wobble.
 *  - Sections from the structural segmentation of the whole track (sections.ts) instead of causal novelty.
 * `render --causal` skips both and renders what live would have shown.
 */
import type { Features } from '../analysis/types.js';
import { ONSET_LATENCY_S } from '../analysis/extractor.js';
import type { Segmentation } from '../analysis/offline/segment.js';
import { applyGrid, globalGrid, type GlobalGrid } from '../analysis/offline/grid.js';
import { withOfflineSections } from './sections.js';

const wrap = (x: number): number => x - Math.floor(x);

export function withoutDetectionLatency(features: readonly Features[], latencyS = ONSET_LATENCY_S): Features[] {
  return features.map((f) => {
    const bpm = f.tempo.bpm;
    const beats = bpm > 0 ? (latencyS * bpm) / 60 : 0;
    return {
      ...f,
      t: Math.max(0, f.t - latencyS),
      tempo: { ...f.tempo, beatPhase: wrap(f.tempo.beatPhase - beats), barPhase: wrap(f.tempo.barPhase - beats / 4) },
    };
  });
}

export function withOfflineEars(features: readonly Features[], track: { durationS: number }): { features: Features[]; segmentation: Segmentation; grid: GlobalGrid | null } {
  // The grid comes from the tracker's beat events as they were stamped (the tracker already predicts beats ahead of
  // its onset latency), then lies over the records moved back by that latency.
  const grid = globalGrid(features);
  const early = withoutDetectionLatency(features);
  const gridded = grid?.steady ? applyGrid(early, grid) : early;
  return { ...withOfflineSections(gridded, track), grid: grid?.steady ? grid : null };
}
