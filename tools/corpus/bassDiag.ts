/**
 * Where the bass chroma fails: per song, wrong frames by time since the last detected kick and the last true kick,
 * and which pitch class wins instead (as an interval above the true bass: 7 = the fifth, 5 = the fourth …).
 *   npx tsc -b && node dist/tools/corpus/bassDiag.js [song substring] [--holdout | … | --holdout5] [--frames]
 *     [--rate Hz] [--limit dB] [--gain dB] [--hum dBFS [--mains 50|60]] (played as eval-analysis plays them)
 * --frames lists every wrong frame (time, truth, winner, the chroma's strong pitch classes, kick ages).
 */
import { analyseSignal, argmax } from '../../src/analysis/evaluation.js';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { loadCorpus } from './corpus.js';
import { played } from './playback.js';
import { playbackOfArgs, setOfArgs, songOfArgs } from './sets.js';

const PC = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const listFrames = process.argv.includes('--frames');
const only = songOfArgs(process.argv.slice(2));
const set = setOfArgs(process.argv);
const playback = playbackOfArgs(process.argv);
const AGE_BINS_S = [0.1, 0.2, 0.3, 0.4, 0.6, 1];
const binOf = (age: number): string => {
  const i = AGE_BINS_S.findIndex((b) => age < b);
  return i < 0 ? '≥1' : `<${AGE_BINS_S[i]}`;
};

for (const it of loadCorpus(only, set).map((item) => played(item, playback))) {
  const feats = analyseSignal(it.audio.channels, it.audio.sampleRate, analysisConfigSchema.parse({}), 512);
  const truth = it.truth;
  const byTrue = new Map<string, [number, number]>();
  const byDet = new Map<string, [number, number]>();
  const wins = new Map<string, number>();
  const add = (m: Map<string, [number, number]>, k: string, ok: boolean): void => {
    const c = m.get(k) ?? [0, 0];
    c[0]++;
    if (!ok) c[1]++;
    m.set(k, c);
  };
  let seg = 0;
  let lastDet = -Infinity;
  let n = 0;
  let bad = 0;
  for (const f of feats) {
    if (f.events.includes('kick')) lastDet = f.t;
    while (seg < truth.harmony.length && f.t >= truth.harmony[seg]!.end) seg++;
    const h = truth.harmony[seg];
    // The first 0.15 s of a segment are not scored (tools/corpus/score.ts), nor listed here.
    if (!h || f.t < h.start + 0.15) continue;
    let lastTrue = -Infinity;
    for (const k of truth.kick) if (k <= f.t) lastTrue = k;
    const b = argmax(f.bassChroma);
    const ok = b === h.bassPc;
    n++;
    if (!ok) bad++;
    add(byTrue, binOf(f.t - lastTrue), ok);
    add(byDet, binOf(f.t - lastDet), ok);
    if (!ok) wins.set(`+${(b - h.bassPc + 12) % 12}`, (wins.get(`+${(b - h.bassPc + 12) % 12}`) ?? 0) + 1);
    if (listFrames && !ok) {
      const strong = [...f.bassChroma].map((v, i) => `${PC[i]}${v.toFixed(2)}`).filter((_, i) => f.bassChroma[i]! > 0.3);
      console.log(
        `  ${f.t.toFixed(2)} want ${PC[h.bassPc]} got ${PC[b]} | ${strong.join(' ')} | true kick ${(f.t - lastTrue).toFixed(2)} det ${(f.t - lastDet).toFixed(2)} | seg +${(f.t - h.start).toFixed(2)}`,
      );
    }
  }
  const line = (m: Map<string, [number, number]>): string =>
    [...m.entries()].map(([k, [c, w]]) => `${k}:${w}/${c}`).join(' ');
  console.log(`${it.name}  bass1 ${((n - bad) / n).toFixed(3)}`);
  console.log(`  by true kick age: ${line(byTrue)}`);
  console.log(`  by det. kick age: ${line(byDet)}`);
  console.log(`  winner above bass: ${[...wins.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}×${v}`).join(' ')}`);
}
