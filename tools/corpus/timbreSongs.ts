/**
 * Corpus rows: songs whose bass and chords sound on timbres the rest of the corpus does not use (plucked, bowed, blown, keyed and synthetic basses). Part of the corpus the analysis is tuned on (tools/corpus/corpus.ts).
 */
import type { CorpusRows } from './songs.js';

export const TIMBRE_SONGS: CorpusRows = {
  songs: [],
  variantOf: [],
};
