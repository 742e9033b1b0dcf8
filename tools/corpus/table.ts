/**
 * The corpus table of tools/eval-analysis: one row per song for latentvj, aubio beside it, then the means. The same
 * table scores the holdout set (tools/corpus/holdout.ts), so the two sets' figures are made by the same code.
 */
import { basename } from 'node:path';
import { analyseSignal } from '../../src/analysis/evaluation.js';
import { analysisConfigSchema, type AnalysisConfig } from '../../src/analysis/config.js';
import type { Features } from '../../src/analysis/types.js';
import { CORPUS, loadCorpus, type CorpusItem, type CorpusSet } from './corpus.js';
import { played, type Playback } from './playback.js';
import { SKIP_S, meanOf, scoreAubio, scoreOurs, type PeerScore, type SongScore } from './score.js';

const COLS: Array<[keyof SongScore, string, 'f' | 'n' | 'ms']> = [
  ['kickF', 'kickF', 'f'],
  ['snareF', 'snarF', 'f'],
  ['falsePerMin', 'fls/m', 'n'],
  ['chordTopK', 'chrdK', 'f'],
  ['chordEstimate', 'chEst', 'f'],
  ['bassTop1', 'bass1', 'f'],
  ['beatF', 'beatF', 'f'],
  ['downbeatF', 'dbF', 'f'],
  ['tempoShare', 'tmp2%', 'f'],
  ['dropFound', 'drop', 'f'],
  ['dropEvents', 'drEv', 'n'],
  ['introBeatsPerMin', 'inB/m', 'n'],
  ['ambientBeats', 'ambB', 'n'],
  ['latencyMs', 'latMs', 'ms'],
];

/** The per-song targets the analysis is held to: a column, which way it must compare, and the bound. */
const TARGETS: Array<[keyof SongScore, '>=' | '<=', number]> = [
  ['kickF', '>=', 0.95],
  ['snareF', '>=', 0.95],
  ['falsePerMin', '<=', 2],
  ['chordTopK', '>=', 0.9],
  ['bassTop1', '>=', 0.9],
  ['beatF', '>=', 0.9],
  ['downbeatF', '>=', 0.85],
  ['tempoShare', '>=', 0.95],
  ['dropFound', '>=', 1],
  ['ambientBeats', '<=', 0],
  ['latencyMs', '<=', 30],
];

/** One line per target: how many of the songs it applies to meet it (as printed, two decimals), and the misses. */
export function targetLines(names: string[], scores: SongScore[]): string[] {
  return TARGETS.map(([key, op, bound]) => {
    const header = COLS.find(([k]) => k === key)!;
    const shown = (x: number): number => Number(cell(x, header[2]));
    const applies = scores.map((s, i) => [names[i]!, s[key]] as const).filter(([, x]) => Number.isFinite(x));
    const misses = applies.filter(([, x]) => (op === '>=' ? shown(x) < bound : shown(x) > bound));
    const list = misses.map(([n, x]) => `${n} ${cell(x, header[2]).trim()}`).join(', ');
    return `${header[1].padEnd(6)} ${op === '>=' ? '≥' : '≤'} ${bound}: ${applies.length - misses.length}/${applies.length}${list ? `  misses: ${list}` : ''}`;
  });
}

const cell = (x: number, kind: 'f' | 'n' | 'ms'): string =>
  (Number.isFinite(x) ? (kind === 'f' ? x.toFixed(2) : kind === 'ms' ? x.toFixed(1) : x.toFixed(1)) : '–').padStart(6);

/**
 * The analysis of `it` from `startS` on, as a fresh extractor hears a line-in from then: records on the song's clock
 * (as extractFeatures stamps a stream that starts mid-way).
 */
function analyseFrom(it: CorpusItem, startS: number, cfg: AnalysisConfig): Features[] {
  const s0 = Math.min(it.audio.channels[0]!.length, Math.round(startS * it.audio.sampleRate));
  const feats = analyseSignal(it.audio.channels.map((c) => c.subarray(s0)), it.audio.sampleRate, cfg, 512);
  for (const f of feats) f.t += s0 / it.audio.sampleRate;
  return feats;
}

/** The soundfonts a set renders with, by file name. */
function fontNames(set: CorpusSet): string {
  const tracks = [...set.songs, set.mix.a, set.mix.b];
  const files = new Set(tracks.flatMap((s) => [s.soundfont, s.drums?.machine ? `drum machine ${typeof s.drums.machine === 'string' ? s.drums.machine : 'of its own'}` : s.drums?.synthKit ? `synthesised kit ${s.drums.synthKit}` : (s.drums?.soundfont ?? s.soundfont)]).map((f) => basename(f).replace(/\.sf[23]$/, '')));
  return [...files].join('/');
}

export function corpusReport(
  only?: string,
  cfg: AnalysisConfig = analysisConfigSchema.parse({}),
  set: CorpusSet = CORPUS,
  playback: Playback = {},
): { ours: SongScore[]; aubio: Array<PeerScore | null> } {
  const items = loadCorpus(only, set).map((it) => played(it, playback));
  const { rateHz, limitDb, gainDb, humDb, mainsHz, restartS } = playback;
  console.log(
    `${set.label} (tools/corpus: fluidsynth + ${fontNames(set)}, sox variants, a DJ mix; truth from the MIDI)` +
      `${rateHz ? `, resampled to ${rateHz} Hz by sox` : ''}` +
      `${limitDb ? `, limited by ${limitDb} dB as a loud master by sox` : ''}` +
      `${gainDb ? `, played ${-gainDb} dB under the renders' level by sox` : ''}` +
      `${humDb !== undefined ? `, with ${mainsHz ?? 50} Hz mains hum at ${humDb} dBFS` : ''}` +
      `${restartS ? `; the analysis starts ${restartS} s into each song, scored from ${restartS + SKIP_S} s` : ''}` +
      `${restartS ? ' (aubio not run)' : ''}.\n` +
      'Peers: aubio 0.4.9 (aubiotrack, causal) on the same files. librosa, madmom and Essentia are not installable on this\n' +
      'machine (no PyPI, not packaged in Debian), so they are not run and no figures are given for them.',
  );
  const head = 'song'.padEnd(26) + COLS.map(([, h]) => h.padStart(6)).join('') + ' | aubio beatF tmp2% ambB';
  console.log(head);
  const ours: SongScore[] = [];
  const aubio: Array<PeerScore | null> = [];
  for (const it of items) {
    const feats = restartS
      ? analyseFrom(it, restartS, cfg)
      : analyseSignal(it.audio.channels, it.audio.sampleRate, cfg, 512);
    const s = scoreOurs(feats, it.truth, restartS ? restartS + SKIP_S : 0);
    // aubio has no restart: its figures would be the whole song's.
    const a = restartS ? null : scoreAubio(it.wavPath, it.truth);
    ours.push(s);
    aubio.push(a);
    const none = restartS ? '  (not run: restart)' : '  (aubio-tools not installed)';
    const peer = a ? `${cell(a.beatF, 'f')}${cell(a.tempoShare, 'f')}${cell(a.ambientBeats, 'n')}` : none;
    console.log(it.name.padEnd(26) + COLS.map(([k, , kind]) => cell(s[k], kind)).join('') + ' |     ' + peer);
  }
  const a2 = aubio.filter((a): a is PeerScore => a !== null);
  console.log(
    'mean'.padEnd(26) +
      COLS.map(([k, , kind]) => cell(meanOf(ours.map((s) => s[k])), kind)).join('') +
      ' |     ' +
      `${cell(meanOf(a2.map((a) => a.beatF)), 'f')}${cell(meanOf(a2.map((a) => a.tempoShare)), 'f')}${cell(meanOf(a2.map((a) => a.ambientBeats)), 'n')}`,
  );
  console.log(
    'columns: kick/snare F ±50 ms; fls/m kick+snare events a minute in drumless spans; chrdK top-3/4 chroma = chord;\n' +
      'chEst chord estimate root+quality; bass1 bass chroma argmax; beat/downbeat F ±70 ms after 8 s; tmp2% frames after\n' +
      '8 s within 2 % of the local tempo; drop: drops found within a bar; drEv drop events fired;\n' +
      'inB/m beat events a minute in drumless intros (before the first drums: no rhythmic evidence yet; drumless spans\n' +
      'after drums count in beatF, the beat carries through them); ambB beat events in ambient music; latMs median\n' +
      'kick+snare detection latency. Means are over the songs where a column applies.',
  );
  console.log('per-song targets met (songs where the column applies):');
  for (const line of targetLines(items.map((it) => it.name), ours)) console.log(`  ${line}`);
  return { ours, aubio };
}
