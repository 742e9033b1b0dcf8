/**
 * Offline sections for a render: the laplacian segmentation of the whole track replaces the causal section
 * tracker's guesses. Each hop's Features get the section index and label of the time it stands for, and the
 * `section` event fires on the first hop of every new section (the causal ones are dropped), so mappings keep
 * using the `section` / `sectionLabel` sources and `event.section` unchanged.
 */
import type { FeatureEvent, Features } from '../analysis/types.js';
import { segmentTrack, type Segmentation } from '../analysis/offline/segment.js';

export function applySections(features: readonly Features[], seg: Segmentation): Features[] {
  let s = 0;
  const out: Features[] = [];
  for (const f of features) {
    let events: FeatureEvent[] = f.events.filter((e) => e !== 'section');
    let changed = false;
    while (s + 1 < seg.sections.length && f.t >= seg.sections[s + 1]!.startS) {
      s++;
      changed = true;
    }
    if (changed) events = [...events, 'section'];
    out.push({ ...f, events, section: s, sectionLabel: seg.sections[s]!.label });
  }
  return out;
}

export function withOfflineSections(features: readonly Features[], track: { durationS: number }): { features: Features[]; segmentation: Segmentation } {
  const segmentation = segmentTrack(features, track.durationS);
  return { features: applySections(features, segmentation), segmentation };
}
