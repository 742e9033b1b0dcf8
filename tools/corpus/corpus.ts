/**
 * The evaluation corpus: the song table, rendered with Debian's fluidsynth and three soundfonts (FluidR3_GM,
 * TimGM6mb, MuseScore_General), variants made with sox (room reverb, compression, noise, mic EQ) and a DJ crossfade
 * between two tempi mixed here. Audio goes to a cache outside the repository (LATENTVJ_CORPUS_DIR or
 * ~/.cache/latentvj/corpus), keyed by a hash of the song's definition, so a changed song renders again and an
 * unchanged one is read back. Everything is deterministic: the MIDI is written by us, sox runs without dither.
 *   node dist/tools/corpus/corpus.js          renders what is missing and lists the corpus
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { encodeWav, readWavFile, type DecodedAudio } from '../../src/audio/wav.js';
import { run, synthesise } from './synthesise.js';
import { GROOVE_SONGS } from './grooveSongs.js';
import { MACHINE_SONGS } from './machineSongs.js';
import { SLOW_SONGS } from './slowSongs.js';
import { ch, checkSoundfonts, scoreSong, sec, SOUNDFONTS, type SongSpec, type SongTruth } from './songs.js';
import { TIMBRE_SONGS } from './timbreSongs.js';

export { ch, sec, SOUNDFONTS };

/** The songs (C=0 … B=11). Instruments and kits differ from the tests' fixtures on purpose. */
export const SONGS: SongSpec[] = [
  {
    name: 'pop-fluid',
    soundfont: SOUNDFONTS.fluid, kit: 0, chordProgram: 0, bassProgram: 33,
    beatsPerBar: 4, subdivisions: 2, bpm: 118, swing: 0.5, voicingLowMidi: 40,
    progression: [ch(0, 'maj', 1), ch(9, 'min7'), ch(5, 'maj7', 2), ch(7, '7')],
    barsPerChord: 1,
    sections: [sec(4, 'none'), sec(8, 'backbeat'), sec(4, 'none', true, false, 0.5), sec(8, 'backbeat', true, true, 1, true)],
    seed: 11,
  },
  {
    name: 'waltz-timgm',
    soundfont: SOUNDFONTS.timgm, kit: 0, chordProgram: 48, bassProgram: 32,
    beatsPerBar: 3, subdivisions: 2, bpm: 138, swing: 0.5, voicingLowMidi: 43,
    progression: [ch(7, 'maj'), ch(2, '7', 1), ch(4, 'min'), ch(0, 'maj', 2), ch(9, 'min7'), ch(2, '7')],
    barsPerChord: 2,
    sections: [sec(4, 'none'), sec(24, 'waltz')],
    seed: 12,
  },
  {
    name: 'swing-musescore',
    soundfont: SOUNDFONTS.musescore, kit: 32, chordProgram: 4, bassProgram: 32,
    beatsPerBar: 4, subdivisions: 2, bpm: 104, swing: 0.667, voicingLowMidi: 45,
    progression: [ch(2, 'min7'), ch(7, '7', 3), ch(0, 'maj7'), ch(9, '7', 1)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(18, 'swingRide')],
    seed: 13,
  },
  {
    name: 'dnb-halftime-fluid',
    soundfont: SOUNDFONTS.fluid, kit: 16, chordProgram: 89, bassProgram: 38,
    beatsPerBar: 4, subdivisions: 2, bpm: 174, swing: 0.5, voicingLowMidi: 48,
    progression: [ch(9, 'min'), ch(5, 'maj7'), ch(0, 'maj', 1), ch(7, 'maj')],
    barsPerChord: 2,
    sections: [sec(8, 'offbeatHats', true, false, 0.7), sec(24, 'halftime', true, true, 0.9)],
    seed: 14,
  },
  {
    name: 'ramp-room-fluid',
    soundfont: SOUNDFONTS.fluid, kit: 8, chordProgram: 16, bassProgram: 34,
    beatsPerBar: 4, subdivisions: 2, bpm: [100, 130], swing: 0.5, voicingLowMidi: 41,
    progression: [ch(5, 'maj'), ch(0, 'maj', 1), ch(2, 'min'), ch(10, 'maj', 2)],
    barsPerChord: 1,
    sections: [sec(26, 'backbeat')],
    seed: 15,
  },
  {
    name: 'six8-musescore',
    soundfont: SOUNDFONTS.musescore, kit: 0, chordProgram: 24, bassProgram: 32,
    beatsPerBar: 2, subdivisions: 3, bpm: 72, swing: 0.5, voicingLowMidi: 40,
    progression: [ch(4, 'min'), ch(0, 'maj7'), ch(7, 'maj', 1), ch(11, '7')],
    barsPerChord: 2,
    sections: [sec(24, 'sixEight')],
    seed: 16,
  },
  {
    name: 'ambient-fluid',
    soundfont: SOUNDFONTS.fluid, kit: 0, chordProgram: 89, bassProgram: 39,
    beatsPerBar: 4, subdivisions: 2, bpm: 70, swing: 0.5, voicingLowMidi: 43,
    progression: [ch(2, 'min7'), ch(10, 'maj7', 1), ch(5, 'maj'), ch(0, '7', 2)],
    barsPerChord: 2,
    sections: [sec(12, 'none', true, true, 0.6)],
    seed: 17,
  },
  {
    name: 'edm-drop-timgm',
    soundfont: SOUNDFONTS.timgm, kit: 0, chordProgram: 81, bassProgram: 38,
    beatsPerBar: 4, subdivisions: 2, bpm: 128, swing: 0.5, voicingLowMidi: 48,
    progression: [ch(9, 'min'), ch(5, 'maj'), ch(0, 'maj'), ch(7, 'maj', 1)],
    barsPerChord: 1,
    sections: [sec(8, 'offbeatHats', true, false, 0.6), sec(8, 'none', true, false, 0.45), sec(12, 'fourFloor', true, true, 1, true)],
    seed: 18,
  },
  // Tempo and meter kinds beyond the first rows: fast swing behind a drumless intro (a triplet-swung ride makes
  // the half tempo look strong), a faster 6/8 and pop at other tempi and kits.
  {
    name: 'swing-fast-fluid',
    soundfont: SOUNDFONTS.fluid, kit: 32, chordProgram: 0, bassProgram: 32,
    beatsPerBar: 4, subdivisions: 2, bpm: 136, swing: 0.667, voicingLowMidi: 43,
    progression: [ch(5, 'maj7'), ch(2, 'min7', 1), ch(7, 'min7'), ch(0, '7', 3)],
    barsPerChord: 1,
    sections: [sec(6, 'none', true, true, 0.7), sec(24, 'swingRide', true, true, 0.85)],
    seed: 51,
  },
  {
    name: 'swing-brisk-musescore',
    soundfont: SOUNDFONTS.musescore, kit: 0, chordProgram: 26, bassProgram: 33,
    beatsPerBar: 4, subdivisions: 2, bpm: 127, swing: 0.62, voicingLowMidi: 41,
    progression: [ch(10, 'maj7'), ch(7, '7', 1), ch(0, 'min7'), ch(5, '7')],
    barsPerChord: 2,
    sections: [sec(4, 'none', true, true, 0.6), sec(20, 'swingRide', true, true, 0.9)],
    seed: 52,
  },
  {
    name: 'six8-brisk-timgm',
    soundfont: SOUNDFONTS.timgm, kit: 8, chordProgram: 1, bassProgram: 34,
    beatsPerBar: 2, subdivisions: 3, bpm: 92, swing: 0.5, voicingLowMidi: 42,
    progression: [ch(2, 'maj'), ch(11, 'min', 1), ch(7, 'maj7'), ch(9, '7')],
    barsPerChord: 2,
    sections: [sec(4, 'none', true, true, 0.6), sec(28, 'sixEight', true, true, 0.85)],
    seed: 53,
  },
  {
    name: 'pop-power-musescore',
    soundfont: SOUNDFONTS.musescore, kit: 16, chordProgram: 29, bassProgram: 34,
    beatsPerBar: 4, subdivisions: 2, bpm: 96, swing: 0.5, voicingLowMidi: 44,
    progression: [ch(7, 'maj'), ch(4, 'min', 2), ch(0, 'maj7'), ch(2, '7', 1)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(8, 'backbeat', true, true, 0.85), sec(2, 'none', true, false, 0.5), sec(8, 'backbeat', true, true, 1, true)],
    seed: 54,
  },
  {
    name: 'pop-fast-timgm',
    soundfont: SOUNDFONTS.timgm, kit: 24, chordProgram: 4, bassProgram: 38,
    beatsPerBar: 4, subdivisions: 2, bpm: 142, swing: 0.5, voicingLowMidi: 40,
    progression: [ch(9, 'min', 1), ch(0, 'maj'), ch(7, 'maj', 2), ch(5, 'maj7')],
    barsPerChord: 2,
    sections: [sec(4, 'none', true, true, 0.7), sec(28, 'backbeat', true, true, 0.9)],
    seed: 55,
  },
  // Kits whose hits carry less of the standard kit's cues: the TR-808 (a long low sine sweep with almost no beater
  // click, noise-burst snares and claps), the jazz kit (soft, low-level snares) and the power kit.
  {
    name: 'dnb808-fluid',
    soundfont: SOUNDFONTS.fluid, kit: 25, chordProgram: 88, bassProgram: 38,
    beatsPerBar: 4, subdivisions: 2, bpm: 170, swing: 0.5, voicingLowMidi: 47,
    progression: [ch(4, 'min'), ch(0, 'maj7'), ch(2, 'maj', 1), ch(11, 'min7')],
    barsPerChord: 2,
    sections: [sec(4, 'offbeatHats', true, false, 0.7), sec(26, 'halftime', true, true, 0.9)],
    seed: 71,
  },
  {
    name: 'dnb808-musescore',
    soundfont: SOUNDFONTS.musescore, kit: 25, chordProgram: 81, bassProgram: 39,
    beatsPerBar: 4, subdivisions: 2, bpm: 176, swing: 0.5, voicingLowMidi: 44,
    progression: [ch(1, 'min'), ch(9, 'maj'), ch(4, 'maj', 2), ch(11, '7')],
    barsPerChord: 2,
    sections: [sec(2, 'none', true, true, 0.6), sec(28, 'halftime', true, true, 0.85)],
    seed: 72,
  },
  {
    name: 'waltz-jazz-musescore',
    soundfont: SOUNDFONTS.musescore, kit: 32, chordProgram: 0, bassProgram: 32,
    beatsPerBar: 3, subdivisions: 2, bpm: 126, swing: 0.5, voicingLowMidi: 42,
    progression: [ch(5, 'maj'), ch(0, '7', 1), ch(10, 'maj7'), ch(2, 'min')],
    barsPerChord: 2,
    sections: [sec(2, 'none'), sec(22, 'waltz', true, true, 0.75)],
    seed: 73,
  },
  {
    name: 'waltz-jazz-timgm',
    soundfont: SOUNDFONTS.timgm, kit: 32, chordProgram: 46, bassProgram: 33,
    beatsPerBar: 3, subdivisions: 2, bpm: 152, swing: 0.5, voicingLowMidi: 45,
    progression: [ch(10, 'maj'), ch(3, 'maj', 1), ch(7, 'min7'), ch(5, '7')],
    barsPerChord: 2,
    sections: [sec(24, 'waltz', true, true, 0.8)],
    seed: 74,
  },
  {
    name: 'backbeat-power-timgm',
    soundfont: SOUNDFONTS.timgm, kit: 16, chordProgram: 30, bassProgram: 34,
    beatsPerBar: 4, subdivisions: 2, bpm: 96, swing: 0.5, voicingLowMidi: 43,
    progression: [ch(11, 'min'), ch(7, 'maj'), ch(2, 'maj', 1), ch(9, 'maj')],
    barsPerChord: 1,
    sections: [sec(2, 'none', true, true, 0.6), sec(16, 'backbeat', true, true, 0.9)],
    seed: 75,
  },
];

/** Two house tracks at different tempi, for the DJ crossfade (rendered on their own, mixed here). */
const MIX_A: SongSpec = {
  name: 'house-a', soundfont: SOUNDFONTS.fluid, kit: 24, chordProgram: 90, bassProgram: 38,
  beatsPerBar: 4, subdivisions: 2, bpm: 124, swing: 0.5, voicingLowMidi: 45,
  progression: [ch(2, 'min7'), ch(7, '7'), ch(0, 'maj7'), ch(9, 'min7')], barsPerChord: 2,
  sections: [sec(16, 'fourFloor', true, true, 0.9)], seed: 21,
};
const MIX_B: SongSpec = {
  name: 'house-b', soundfont: SOUNDFONTS.musescore, kit: 25, chordProgram: 5, bassProgram: 39,
  beatsPerBar: 4, subdivisions: 2, bpm: 130, swing: 0.5, voicingLowMidi: 40,
  progression: [ch(4, 'min'), ch(0, 'maj', 1), ch(7, 'maj'), ch(2, 'maj', 2)], barsPerChord: 2,
  sections: [sec(16, 'fourFloor', true, true, 0.9)], seed: 22,
};

/** A DJ crossfade: B starts at atS, the equal-power fade runs over fadeS; the truth switches at its middle. */
export interface DjMix {
  name: string;
  a: SongSpec;
  b: SongSpec;
  atS: number;
  fadeS: number;
}

/** sox effect chains of the variants (after rendering; each ends normalised to −1 dBFS peak). */
export const VARIANTS: Record<string, string[]> = {
  room: ['reverb', '55', '50', '80', '100', '10', '0'],
  comp: ['compand', '0.005,0.1', '6:-40,-40,-25,-15,0,-8', '-4', '-30', '0.05'],
  noise: [],
  eq: ['highpass', '110', 'lowpass', '7000', 'equalizer', '2500', '1q', '6', 'bass', '-4', '300'],
};
/** A set of songs to render and score: the song table, which song gets which variant, and one DJ mix. */
export interface CorpusSet {
  /** What the table header calls the set. */
  label: string;
  songs: SongSpec[];
  variantOf: Array<[string, keyof typeof VARIANTS]>;
  mix: DjMix;
}

/** Which song each variant is applied to. */
const VARIANT_OF: Array<[string, keyof typeof VARIANTS]> = [
  ['pop-fluid', 'room'],
  ['waltz-timgm', 'comp'],
  ['swing-musescore', 'noise'],
  ['dnb-halftime-fluid', 'eq'],
  ['edm-drop-timgm', 'room'],
];

const ROWS = [MACHINE_SONGS, TIMBRE_SONGS, GROOVE_SONGS, SLOW_SONGS];

/** The corpus the analysis is tuned on. */
export const CORPUS: CorpusSet = {
  label: 'corpus',
  songs: [...SONGS, ...ROWS.flatMap((r) => r.songs)],
  variantOf: [...VARIANT_OF, ...ROWS.flatMap((r) => r.variantOf)],
  mix: { name: 'house-mix-124-130', a: MIX_A, b: MIX_B, atS: 23.2, fadeS: 7.5 },
};

export interface CorpusItem {
  name: string;
  audio: DecodedAudio;
  wavPath: string;
  truth: SongTruth;
}

export function corpusDir(): string {
  return process.env.LATENTVJ_CORPUS_DIR ?? join(homedir(), '.cache', 'latentvj', 'corpus');
}

export function hashOf(x: unknown): string {
  return createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 12);
}

/**
 * Renders a song (cached in `dir`): fluidsynth at 44.1 kHz, normalised to −1 dBFS, then an optional sox variant
 * (a name of VARIANTS, or an effect chain of its own).
 */
export function renderSong(spec: SongSpec, variant: string | null, dir = corpusDir(), fx: string[] | null = variant ? VARIANTS[variant] ?? null : null): { wav: string; truth: SongTruth } {
  mkdirSync(dir, { recursive: true });
  const score = scoreSong(spec);
  // v 2: songs mixed from stems are guarded against clipping (tools/corpus/synthesise.ts), so they render anew.
  const key = hashOf({ spec, variant, fx, v: spec.drums ? 2 : 1 });
  const name = variant ? `${spec.name}+${variant}` : spec.name;
  const wav = join(dir, `${name}-${key}.wav`);
  if (!existsSync(wav)) {
    checkSoundfonts(spec, existsSync);
    const raw = join(dir, `${name}-${key}.raw.wav`);
    synthesise(spec, score, join(dir, `${name}-${key}`), raw);
    const tmp = join(dir, `${name}-${key}.tmp.wav`);
    if (variant === 'noise') {
      // Pink noise 30 dB under the programme, from sox's own seeded generator.
      const noise = join(dir, `${name}-${key}.noise.wav`);
      const len = String(score.truth.durationS + 2);
      run('sox', ['-D', '-R', '-n', '-r', '44100', '-c', '2', noise, 'synth', len, 'pinknoise', 'gain', '-n', '-31']);
      const norm = join(dir, `${name}-${key}.norm.wav`);
      run('sox', ['-D', raw, norm, 'gain', '-n', '-1']);
      run('sox', ['-D', '-m', norm, noise, tmp, 'trim', '0', len, 'gain', '-n', '-1']);
    } else {
      run('sox', ['-D', '-R', raw, tmp, ...(fx ?? []), 'gain', '-n', '-1']);
    }
    renameSync(tmp, wav);
  }
  return { wav, truth: score.truth };
}

function shift(ts: number[], by: number, from = -Infinity, to = Infinity): number[] {
  return ts.map((t) => t + by).filter((t) => t >= from && t < to);
}

/** A DJ mix: A, then B entering at atS with an equal-power crossfade; truth switches mid-fade (drums: both). */
function renderMix(mix: DjMix): CorpusItem {
  const { atS, fadeS } = mix;
  const a = renderSong(mix.a, null);
  const b = renderSong(mix.b, null);
  const A = readWavFile(a.wav);
  const B = readWavFile(b.wav);
  const sr = A.sampleRate;
  const at = Math.round(atS * sr);
  const fade = Math.round(fadeS * sr);
  const n = at + B.channels[0]!.length;
  const out = [new Float32Array(n), new Float32Array(n)];
  for (let c = 0; c < 2; c++) {
    const xa = A.channels[Math.min(c, A.channels.length - 1)]!;
    const xb = B.channels[Math.min(c, B.channels.length - 1)]!;
    for (let i = 0; i < n; i++) {
      const f = Math.min(1, Math.max(0, (i - at) / fade));
      const va = i < xa.length ? xa[i]! * Math.cos((f * Math.PI) / 2) : 0;
      const vb = i >= at ? xb[i - at]! * Math.sin((f * Math.PI) / 2) : 0;
      out[c]![i] = 0.9 * (va + vb);
    }
  }
  const mid = atS + fadeS / 2;
  const endA = atS + fadeS;
  const ta = a.truth;
  const tb = b.truth;
  const truth: SongTruth = {
    durationS: n / sr,
    beatsPerBar: 4,
    kick: [...shift(ta.kick, 0, 0, endA), ...shift(tb.kick, atS)].sort((x, y) => x - y),
    snare: [...shift(ta.snare, 0, 0, endA), ...shift(tb.snare, atS)].sort((x, y) => x - y),
    hats: [...shift(ta.hats, 0, 0, endA), ...shift(tb.hats, atS)].sort((x, y) => x - y),
    beats: [...shift(ta.beats, 0, 0, mid), ...shift(tb.beats, atS, mid)],
    downbeats: [...shift(ta.downbeats, 0, 0, mid), ...shift(tb.downbeats, atS, mid)],
    harmony: [
      ...ta.harmony.filter((h) => h.end <= atS),
      ...tb.harmony.map((h) => ({ ...h, start: h.start + atS, end: h.end + atS })).filter((h) => h.start >= endA),
    ],
    drumless: [],
    drops: [],
    ambient: false,
  };
  const wav = join(corpusDir(), `${mix.name}-${hashOf({ MIX_AT_S: atS, MIX_FADE_S: fadeS, a: a.wav, b: b.wav })}.wav`);
  return { name: mix.name, audio: { sampleRate: sr, channels: out }, wavPath: wav, truth };
}

/** One song of the table as rendered (no variant, into `dir`), by its exact name: what tests of later stages play. */
export function loadSong(name: string, dir = corpusDir()): CorpusItem {
  const spec = CORPUS.songs.find((s) => s.name === name);
  if (!spec) throw new Error(`no corpus song '${name}'; the songs are ${CORPUS.songs.map((s) => s.name).join(', ')}`);
  const r = renderSong(spec, null, dir);
  return { name, audio: readWavFile(r.wav), wavPath: r.wav, truth: r.truth };
}

/** Renders what is missing and returns a set (songs, variants, the DJ mix); `only` keeps the names containing it. */
export function loadCorpus(only?: string, set: CorpusSet = CORPUS): CorpusItem[] {
  const items: CorpusItem[] = [];
  const want = (name: string): boolean => !only || name.includes(only);
  for (const s of set.songs) {
    if (!want(s.name)) continue;
    const r = renderSong(s, null);
    items.push({ name: s.name, audio: readWavFile(r.wav), wavPath: r.wav, truth: r.truth });
  }
  for (const [song, v] of set.variantOf) {
    const name = `${song}+${v}`;
    if (!want(name)) continue;
    const spec = set.songs.find((s) => s.name === song);
    if (!spec) throw new Error(`${set.label}: variant '${v}' names song '${song}', which the set does not have`);
    const r = renderSong(spec, v);
    items.push({ name, audio: readWavFile(r.wav), wavPath: r.wav, truth: r.truth });
  }
  if (want(set.mix.name)) {
    const mix = renderMix(set.mix);
    if (!existsSync(mix.wavPath)) writeStereoWav(mix.wavPath, mix.audio);
    items.push(mix);
  }
  return items;
}

/** 32-bit float WAV (for the peers, which read files). */
function writeStereoWav(path: string, a: DecodedAudio): void {
  writeFileSync(path + '.tmp', encodeWav(a, 'float32'));
  renameSync(path + '.tmp', path);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const it of loadCorpus(process.argv[2])) {
    const t = it.truth;
    console.log(`${it.name.padEnd(28)} ${t.durationS.toFixed(1).padStart(5)} s  ${t.kick.length} kicks ${t.snare.length} snares ${t.beats.length} beats ${t.harmony.length} chord bars  ${it.wavPath}`);
  }
}
