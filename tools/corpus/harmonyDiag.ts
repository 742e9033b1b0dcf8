/**
 * Where the chord and bass chromas fail on the corpus: per song, the share of wrong frames by what the section plays
 * (bass line or not), by time since the chord change and since the last true kick, and which pitch class wins instead
 * (as an interval above the true root: 7 = the fifth, 4 = the major third …); for the chord chroma, which chord tones
 * are missing and which foreign pitch classes take their place.
 *   npx tsc -p . && node dist/tools/corpus/harmonyDiag.js [song substring] [--holdout | … | --holdout5] [--frames]
 *     [--rate Hz] [--limit dB] [--gain dB] [--hum dBFS [--mains 50|60]] (played as eval-analysis plays them)
 * --frames lists every wrong frame (time, truth, what the chroma holds); --summary prints only the scored figures
 * (chord top-k, chord estimate, bass top-1 per song and their means), as the corpus table scores them.
 * Last, over all songs read: the share of wrong chord frames by time since the chord changed (0.15–0.2 s, the first
 * the scoring counts, … 1 s and later), how fast the chroma follows a change.
 */
import { analyseSignal, argmax, topK } from '../../src/analysis/evaluation.js';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { loadCorpus } from './corpus.js';
import { played } from './playback.js';
import { playbackOfArgs, setOfArgs, songOfArgs } from './sets.js';
import type { HarmonySegment, SongTruth } from './songs.js';
import { meanOf, scoreOurs } from './score.js';

const CHORD_EXCLUDE_S = 0.15;
const listFrames = process.argv.includes('--frames');
const summary = process.argv.includes('--summary');
const sums: number[][] = [];
/** Upper ends (s) of the bins of time since the chord changed (the first starts at CHORD_EXCLUDE_S). */
const SINCE_BINS_S = [0.2, 0.25, 0.3, 0.4, 0.6, 1, Infinity];
const binLabel = (i: number): string => {
  const lo = i === 0 ? CHORD_EXCLUDE_S : SINCE_BINS_S[i - 1]!;
  return SINCE_BINS_S[i] === Infinity ? `≥${lo}s` : `${lo}–${SINCE_BINS_S[i]}s`;
};
const sinceLabel = (since: number): string => binLabel(SINCE_BINS_S.findIndex((b) => since < b));
const only = songOfArgs(process.argv.slice(2));
const PC = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** Whether each harmony segment's bar has a bass line (segments follow the bars that have chords or bass). */
function bassFlags(name: string, truth: SongTruth): boolean[] {
  const spec = set.songs.find((s) => name.startsWith(s.name));
  if (!spec) return truth.harmony.map(() => true);
  const flags: boolean[] = [];
  for (const sec of spec.sections) for (let i = 0; i < sec.bars; i++) if (sec.chords || sec.bass) flags.push(sec.bass);
  return flags;
}

class Tally {
  readonly counts = new Map<string, [number, number]>();
  add(key: string, ok: boolean): void {
    const c = this.counts.get(key) ?? [0, 0];
    c[0]++;
    if (!ok) c[1]++;
    this.counts.set(key, c);
  }
  line(): string {
    return [...this.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, [n, bad]]) => `${k}: ${bad}/${n} wrong`)
      .join('   ');
  }
}

function top(m: Map<string, number>, n = 8): string {
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
}

const bump = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

const set = setOfArgs(process.argv);
const sinceChange = new Tally();
const playback = playbackOfArgs(process.argv);
for (const it of loadCorpus(only, set).map((item) => played(item, playback))) {
  const feats = analyseSignal(it.audio.channels, it.audio.sampleRate, analysisConfigSchema.parse({}), 512);
  const truth = it.truth;
  if (summary) {
    const s = scoreOurs(feats, truth);
    sums.push([s.chordTopK, s.chordEstimate, s.bassTop1]);
    console.log(`${it.name.padEnd(26)} ${[s.chordTopK, s.chordEstimate, s.bassTop1].map((x) => x.toFixed(3)).join('  ')}`);
    continue;
  }
  const flags = bassFlags(it.name, truth);
  const bassBy = new Tally();
  const bassSince = new Tally();
  const bassKick = new Tally();
  const chordBy = new Tally();
  const chordSince = new Tally();
  const bassWins = new Map<string, number>();
  const chordMissing = new Map<string, number>();
  const chordExtra = new Map<string, number>();
  const chordByChord = new Map<string, [number, number]>();
  const chordStart = truth.harmony.map((h) => h.start);
  for (let i = 1; i < truth.harmony.length; i++) {
    const a = truth.harmony[i - 1]!;
    const b = truth.harmony[i]!;
    if (a.root === b.root && a.quality === b.quality && Math.abs(a.end - b.start) < 1e-6) chordStart[i] = chordStart[i - 1]!;
  }
  let seg = 0;
  for (const f of feats) {
    while (seg < truth.harmony.length && f.t >= truth.harmony[seg]!.end) seg++;
    const h: HarmonySegment | undefined = truth.harmony[seg];
    if (!h || f.t < h.start + CHORD_EXCLUDE_S) continue;
    const hasBass = flags[seg] ?? true;
    const since = f.t - h.start;
    let lastKick = -Infinity;
    for (const k of truth.kick) if (k <= f.t) lastKick = k;
    const kickAgo = f.t - lastKick;
    const b = argmax(f.bassChroma);
    const bOk = b === h.bassPc;
    bassBy.add(hasBass ? 'bass line' : 'no bass line', bOk);
    bassSince.add(since < 0.4 ? 'change<0.4s' : since < 1 ? 'change<1s' : 'later', bOk);
    bassKick.add(kickAgo < 0.15 ? 'kick<0.15s' : kickAgo < 0.35 ? 'kick<0.35s' : 'kick older', bOk);
    if (!bOk) bump(bassWins, `${hasBass ? '' : 'nb:'}+${(b - h.root + 12) % 12}`);
    const k = h.chordPcs.length;
    const got = topK(f.chroma, k);
    const want = new Set(h.chordPcs);
    const cOk = got.every((pc) => want.has(pc)) && got.length === k;
    chordBy.add(hasBass ? 'bass line' : 'no bass line', cOk);
    // Time since the chord was struck (a chord held over several bars spans several segments): decaying tones.
    const struck = chordStart[seg]!;
    const held = f.t - struck;
    chordSince.add(held < 0.4 ? 'struck<0.4s' : held < 1.5 ? 'struck<1.5s' : held < 3 ? 'struck<3s' : 'struck≥3s', cOk);
    sinceChange.add(sinceLabel(held), cOk);
    const name = `${PC[h.root]}${h.quality}`;
    const cc = chordByChord.get(name) ?? [0, 0];
    cc[0]++;
    if (!cOk) {
      cc[1]++;
      for (const pc of h.chordPcs) if (!got.includes(pc)) bump(chordMissing, `${name}-${(pc - h.root + 12) % 12}`);
      for (const pc of got) if (!want.has(pc)) bump(chordExtra, `${name}+${(pc - h.root + 12) % 12}`);
    }
    chordByChord.set(name, cc);
    if (listFrames && (!bOk || !cOk)) {
      const chroma = [...f.chroma].map((v, i) => `${PC[i]}${v.toFixed(2)}`).filter((_, i) => f.chroma[i]! > 0.3);
      console.log(
        `  ${f.t.toFixed(2)} ${name} bass ${PC[h.bassPc]}${hasBass ? '' : '(none)'} got ${PC[b]}${bOk ? ' ok' : ' BAD'} | chord ${cOk ? 'ok ' : 'BAD'} top ${got.map((p) => PC[p]).join(',')} | ${chroma.join(' ')} | kick ${kickAgo.toFixed(2)} s ago`,
      );
    }
  }
  console.log(`${it.name}`);
  console.log(`  bass  by section: ${bassBy.line()}`);
  console.log(`        by change:  ${bassSince.line()}`);
  console.log(`        by kick:    ${bassKick.line()}`);
  console.log(`        winner (interval above root; nb: no bass line): ${top(bassWins)}`);
  console.log(`  chord by section: ${chordBy.line()}`);
  console.log(`        by struck:  ${chordSince.line()}`);
  console.log(`        per chord:  ${[...chordByChord.entries()].map(([k, [n, bad]]) => `${k} ${bad}/${n}`).join('  ')}`);
  console.log(`        missing (interval): ${top(chordMissing)}`);
  console.log(`        extra (interval):   ${top(chordExtra)}`);
}
if (!summary) {
  const bins = SINCE_BINS_S.map((_, i) => {
    const k = binLabel(i);
    const [n, bad] = sinceChange.counts.get(k) ?? [0, 0];
    return `${k}: ${n ? ((100 * bad) / n).toFixed(0) : '–'} % of ${n}`;
  });
  console.log(`chord frames wrong by time since the change: ${bins.join('   ')}`);
} else console.log(`${'mean'.padEnd(26)} ${[0, 1, 2].map((i) => meanOf(sums.map((r) => r[i]!)).toFixed(3)).join('  ')}`);
