import type { Features } from '../analysis/types.js';
import type { DecodedTrack } from './frameSource.js';

export function withOfflineSections(features: Features[], _track: DecodedTrack): Features[] {
  return features;
}
