/**
 * The evaluation corpus (tools/corpus) scored with the hand-made chord chroma (`chordNet: false`) and with the chord
 * net, song by song, in one run: chord top-k, chord estimate and bass, and whether the drum, beat and tempo columns
 * moved. The net never trained on these songs (see trainSongs.ts).
 *   npx tsc -b tsconfig.json && node dist/tools/chordnet/compare.js [song substring]
 */
import { analyseSignal } from '../../src/analysis/evaluation.js';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { loadCorpus } from '../corpus/corpus.js';
import { meanOf, scoreOurs, type SongScore } from '../corpus/score.js';

const SAME: Array<keyof SongScore> = ['kickF', 'snareF', 'falsePerMin', 'beatF', 'downbeatF', 'tempoShare', 'dropFound', 'latencyMs'];
const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '  –  ').padStart(6);

const hand = analysisConfigSchema.parse({ chordNet: false });
const net = analysisConfigSchema.parse({ chordNet: true, ...(process.env.CHORDNET_EVERY ? { chordNetEveryFrames: Number(process.env.CHORDNET_EVERY) } : {}) });
console.log('song'.padEnd(26) + '  top-k hand → net   estimate hand → net   bass hand → net   other columns');
const rows: Array<[SongScore, SongScore]> = [];
for (const it of loadCorpus(process.argv[2])) {
  const a = scoreOurs(analyseSignal(it.audio.channels, it.audio.sampleRate, hand), it.truth);
  const b = scoreOurs(analyseSignal(it.audio.channels, it.audio.sampleRate, net), it.truth);
  rows.push([a, b]);
  const moved = SAME.filter((k) => !(a[k] === b[k] || (Number.isNaN(a[k]) && Number.isNaN(b[k]))));
  console.log(
    it.name.padEnd(26) +
      `  ${f2(a.chordTopK)} → ${f2(b.chordTopK)}   ${f2(a.chordEstimate)} → ${f2(b.chordEstimate)}     ${f2(a.bassTop1)} → ${f2(b.bassTop1)}   ` +
      (moved.length ? `moved: ${moved.map((k) => `${k} ${f2(a[k])}→${f2(b[k])}`).join(', ')}` : 'unchanged'),
  );
}
const mean = (i: 0 | 1, k: keyof SongScore): string => f2(meanOf(rows.map((r) => r[i][k])));
const pass = (i: 0 | 1): number => rows.filter((r) => r[i].chordTopK >= 0.9).length;
console.log(
  'mean'.padEnd(26) +
    `  ${mean(0, 'chordTopK')} → ${mean(1, 'chordTopK')}   ${mean(0, 'chordEstimate')} → ${mean(1, 'chordEstimate')}     ${mean(0, 'bassTop1')} → ${mean(1, 'bassTop1')}`,
);
console.log(`songs with top-k ≥ 0.90: hand ${pass(0)}/${rows.length}, net ${pass(1)}/${rows.length}`);
