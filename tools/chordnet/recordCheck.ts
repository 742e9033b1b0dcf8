/**
 * Chord top-k of the record's chroma on the chord net's validation songs (training songs with index ≡ 9 mod 10,
 * which the net is not trained on; never the evaluation corpus nor the kept-apart sets), scored as the corpus is
 * (every hop inside a chord, the first 0.15 s after a change left out): the record's chroma as it is, and the short
 * mean of the net's activations alone (the record without the held chord mean, heldChord.ts), from the same run;
 * and the chord estimate (root and quality).
 *   node dist/tools/chordnet/recordCheck.js [songs=500]
 */
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { FeatureExtractor } from '../../src/analysis/extractor.js';
import { topK } from '../../src/analysis/evaluation.js';
import { readWavFile } from '../../src/audio/wav.js';
import { checkTrainSoundfonts, renderTrainSong, trainSong } from './trainSongs.js';

const CHORD_EXCLUDE_S = 0.15;
const n = Number(process.argv[2] ?? 500);
checkTrainSoundfonts();
const right = (v: ArrayLike<number>, pcs: number[]): boolean => {
  const top = topK(v, pcs.length);
  return top.every((pc) => pcs.includes(pc));
};
let sumRecord = 0;
let sumShort = 0;
let sumEstimate = 0;
let songs = 0;
for (let i = 9; i < n; i += 10) {
  const { spec, fx } = trainSong(i);
  const r = renderTrainSong({ spec, fx });
  const audio = readWavFile(r.wav);
  const ex = new FeatureExtractor(analysisConfigSchema.parse({}), audio.sampleRate);
  // The short mean is the net stage's own state (read here for the comparison only).
  const short = (ex.netChords as unknown as { mean: Float32Array } | null)?.mean;
  if (!short) throw new Error('the chord net is off in the default configuration');
  const harmony = r.truth.harmony;
  let h = 0;
  let frames = 0;
  let okRecord = 0;
  let okShort = 0;
  let okEstimate = 0;
  ex.push(audio.channels, (f) => {
    while (h < harmony.length && harmony[h]!.end <= f.t) h++;
    const seg = harmony[h];
    if (!seg || f.t < seg.start + CHORD_EXCLUDE_S) return;
    frames++;
    if (right(f.chroma, seg.chordPcs)) okRecord++;
    if (right(short, seg.chordPcs)) okShort++;
    if (f.chord && f.chord.root === seg.root && f.chord.quality === seg.quality) okEstimate++;
  });
  const a = frames ? okRecord / frames : NaN;
  const b = frames ? okShort / frames : NaN;
  const e = frames ? okEstimate / frames : NaN;
  sumRecord += a;
  sumShort += b;
  sumEstimate += e;
  songs++;
  console.log(`${spec.name.padEnd(40)} record ${a.toFixed(3)}  short mean only ${b.toFixed(3)}  estimate ${e.toFixed(3)}${a < b - 0.02 ? '  (worse)' : ''}`);
}
console.log(`${'mean'.padEnd(40)} record ${(sumRecord / songs).toFixed(3)}  short mean only ${(sumShort / songs).toFixed(3)}  estimate ${(sumEstimate / songs).toFixed(3)}  (${songs} songs)`);
