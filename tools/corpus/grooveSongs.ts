/**
 * Corpus rows: songs that test the meter and tempo where drums are thin or misleading (click-less kicks, half-time, broken beats, hats alone). Part of the corpus the analysis is tuned on (tools/corpus/corpus.ts).
 */
import type { CorpusRows } from './songs.js';

export const GROOVE_SONGS: CorpusRows = {
  songs: [],
  variantOf: [],
};
