/**
 * Corpus rows: songs whose drums are our own drum machines (tools/corpus/drumMachine.ts), so that tuning hears machine kits beside the fonts' sampled ones. Part of the corpus the analysis is tuned on (tools/corpus/corpus.ts).
 */
import type { CorpusRows } from './songs.js';

export const MACHINE_SONGS: CorpusRows = {
  songs: [],
  variantOf: [],
};
