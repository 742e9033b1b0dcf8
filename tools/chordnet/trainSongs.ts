/**
 * Training songs of the chord-chroma network, KEPT APART from the evaluation corpus (tools/corpus/corpus.ts): the
 * network never hears an evaluation song. They are drawn from a seeded generator (seeds 5000 + i, none shared with
 * the corpus), with progressions, voicings (close, spread, doubled), tempi, meters and sections of their own, and
 * chord and bass instruments that no evaluation song uses. Two soundfonts the corpus never uses (Debian's
 * csound-soundfont and opl3-soundfont) carry most of them; FluidR3 and TimGM6mb (which the corpus uses, with other
 * programs) the rest, with kits the corpus has not (brush, orchestra). Some get sox room, EQ or compression chains
 * with settings unlike the corpus variants. The corpus rows added after these first kinds, and the holdout set, took
 * some of their GM programs (chord 1, 2, 11, 26, 29, 46, 50, 52, 62, 88, 91, 95; bass 35, 36, 37, 43, 87), mostly
 * in other soundfonts; the second kinds (from song FIRST_KINDS) share no program, seed or progression with either.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { lcg } from '../../src/analysis/synth.js';
import type { ChordSpec, DrumStyle, Quality, SectionSpec, SongSpec, SongTruth } from '../corpus/songs.js';
import { renderSong } from '../corpus/corpus.js';
import { MALLET_VOICES } from '../corpus/malletVoices.js';

const SF2 = '/usr/share/sounds/sf2/';
/** [soundfont, kits it may use]. */
const FONTS: Array<[string, number[]]> = [
  [SF2 + 'sf_GMbank.sf2', [0, 8, 16, 25, 40]],
  [SF2 + 'OPL-3_FM_128M.sf2', [0, 16, 24, 48]],
  [SF2 + 'sf_GMbank.sf2', [0, 24, 32, 48]],
  [SF2 + 'FluidR3_GM.sf2', [40, 48]],
  [SF2 + 'TimGM6mb.sf2', [40, 48]],
];
/**
 * Chord instruments: pianos, electric pianos, clavinet, organs, guitars, strings, choir, brass, synth leads and
 * pads — none of the first corpus rows' chord programs (0, 4, 5, 16, 24, 48, 81, 89, 90).
 */
export const CHORD_PROGRAMS = [1, 2, 3, 6, 7, 11, 17, 18, 19, 20, 25, 26, 27, 29, 46, 49, 50, 51, 52, 56, 61, 62, 80, 82, 87, 88, 91, 92, 94, 95];
/** Bass instruments other than the corpus's (32, 33, 34, 38, 39). */
export const BASS_PROGRAMS = [35, 36, 37, 43, 87];
const QUALITIES: Quality[] = ['maj', 'maj', 'min', 'min', '7', 'maj7', 'min7'];
const STYLES: DrumStyle[] = ['none', 'backbeat', 'halftime', 'offbeatHats', 'fourFloor', 'swingRide'];
/** sox chains unlike the corpus variants (other reverb sizes, EQ corners, compression curves). */
const FX: Array<string[] | null> = [
  null,
  null,
  ['reverb', '35', '30', '60', '100', '5', '0'],
  ['reverb', '75', '60', '100', '100', '20', '0'],
  ['highpass', '160', 'lowpass', '5000', 'equalizer', '1200', '1q', '5'],
  ['compand', '0.01,0.2', '6:-50,-50,-30,-18,0,-6', '-3', '-40', '0.1'],
];

export const TRAIN_SOUNDFONT_PACKAGES = 'csound-soundfont opl3-soundfont fluid-soundfont-gm timgm6mb-soundfont musescore-general-soundfont-small';

export function trainDir(): string {
  return process.env.LATENTVJ_CHORDNET_DIR ?? join(homedir(), '.cache', 'latentvj', 'chordnet-train');
}

export interface TrainSong {
  spec: SongSpec;
  fx: string[] | null;
}

/** Songs 0 … FIRST_KINDS − 1 are the first kinds above; from there on the second kinds (secondKindSong). */
export const FIRST_KINDS = 240;

/**
 * Programs of the second kinds, none used by the evaluation corpus or the holdout set (whose chord programs are
 * 0, 1, 2, 4, 5, 11, 16, 24, 26, 29, 30, 46, 48, 50, 52, 62, 81, 88–91, 95 and bass programs 32–39, 43, 58, 87):
 * chord instruments that decay (clean and muted guitar, steel guitar, honky-tonk piano, harpsichord, clavinet,
 * dulcimer, marimba, pizzicato, banjo, koto) or hold (organs, accordion, slow strings, brass, voices, pads), and
 * bass instruments rich in upper partials (cello, trombone, baritone sax, bassoon, synth brass, square and charang
 * leads): a bass's 5th partial is a major third and its 7th a minor seventh over the root, which the net must tell
 * from a softer chord's own third and seventh.
 */
export const CHORD_PROGRAMS_2 = [3, 6, 7, 15, 12, 17, 18, 19, 21, 25, 27, 28, 45, 49, 53, 56, 61, 63, 92, 94, 105, 107];
/** Of those, the ones that die away within about a beat: struck on a comping rhythm, never held over a bar. */
const SHORT_PROGRAMS_2 = [12, 15, 28, 45, 105, 107];
export const BASS_PROGRAMS_2 = [42, 57, 63, 67, 70, 80, 84];
const FONTS_2 = [SF2 + 'sf_GMbank.sf2', SF2 + 'OPL-3_FM_128M.sf2', SF2 + 'FluidR3_GM.sf2', SF2 + 'TimGM6mb.sf2', '/usr/share/sounds/sf3/MuseScore_General.sf3'];
/** Room reverbs unlike the corpus's (55 50 80 100 10 0) and the first kinds'. */
const FX_2: Array<string[] | null> = [null, null, ['reverb', '45', '40', '70', '100', '15', '0'], ['reverb', '65', '70', '90', '80', '8', '0'], ['reverb', '25', '50', '40', '100', '25', '0']];

/**
 * The second kinds: a louder, brighter bass under softer chords voiced low, comping rhythms (every beat, a
 * charleston, a waltz's after-beats) as well as held chords, drop-2 jazz voicings, more 7th chords, 3/4 and 6/8,
 * one or two bars per chord at brisk tempi, and room reverbs.
 */
/** 4–8 chords of `qualities`, any root and inversion, drawn from `rnd` (the draw order is part of the dataset). */
function randomProgression(rnd: () => number, qualities: readonly Quality[]): ChordSpec[] {
  const progression: ChordSpec[] = [];
  const nChords = 4 + Math.floor(rnd() * 5);
  for (let c = 0; c < nChords; c++) {
    const quality = qualities[Math.floor(rnd() * qualities.length)]!;
    progression.push({ root: Math.floor(rnd() * 12), quality, inversion: Math.floor(rnd() * (quality.length > 3 || quality === '7' ? 4 : 3)) });
  }
  return progression;
}

/** 2–3 sections of 6–10 bars with the meter's drums; bass in `bassShare` of them, loudness `loudFloor` + `loudSpan`·u. */
function randomSections(rnd: () => number, beatsPerBar: number, subdivisions: number, bassShare: number, loudFloor: number, loudSpan: number): SectionSpec[] {
  const sections: SectionSpec[] = [];
  const nSec = 2 + Math.floor(rnd() * 2);
  for (let s = 0; s < nSec; s++) {
    let drums = STYLES[Math.floor(rnd() * STYLES.length)]!;
    if (beatsPerBar === 3 && drums !== 'none') drums = 'waltz';
    if (subdivisions === 3 && drums !== 'none') drums = 'sixEight';
    sections.push({ bars: 6 + Math.floor(rnd() * 5), drums, chords: true, bass: rnd() < bassShare, loud: loudFloor + loudSpan * rnd() });
  }
  return sections;
}

function secondKindSong(i: number): TrainSong {
  const seed = 5000 + i;
  const rnd = lcg(seed * 7919 + 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const soundfont = pick(FONTS_2);
  const meter = rnd();
  const [beatsPerBar, subdivisions] = meter < 0.3 ? [3, 2] : meter < 0.45 ? [2, 3] : [4, 2];
  const progression = randomProgression(rnd, ['maj', 'min', 'min', '7', '7', 'maj7', 'min7', 'min7']);
  const sections = randomSections(rnd, beatsPerBar, subdivisions, 0.85, 0.5, 0.5);
  const bpm = beatsPerBar === 2 ? 66 + 34 * rnd() : 100 + 70 * rnd();
  const chordProgram = pick(CHORD_PROGRAMS_2);
  const comp = pick(['sustain', 'sustain', 'beats', 'charleston', 'afterbeats'] as const);
  const spec: SongSpec = {
    name: `train-${String(i).padStart(3, '0')}`,
    soundfont,
    kit: pick([0, 8, 16, 24, 32, 40, 48]),
    chordProgram,
    bassProgram: pick(BASS_PROGRAMS_2),
    beatsPerBar,
    subdivisions,
    bpm: Math.round(bpm),
    swing: rnd() < 0.35 ? 0.58 + 0.09 * rnd() : 0.5,
    voicingLowMidi: 38 + Math.floor(rnd() * 12),
    progression,
    barsPerChord: rnd() < 0.6 ? 1 : 2,
    sections,
    seed,
    voicing: pick(['close', 'close', 'drop2', 'spread'] as const),
    comp: comp === 'sustain' && SHORT_PROGRAMS_2.includes(chordProgram) ? 'beats' : comp,
    chordVelocity: 0.4 + 0.25 * rnd(),
    bassVelocity: 0.7 + 0.3 * rnd(),
  };
  return { spec, fx: pick(FX_2) };
}

/**
 * Songs from THIRD_KINDS on are the third kinds (thirdKindSong); 340–419 are more of the second kinds (the bass net's
 * training reads chord-net songs 0–399, so the third kinds start after them).
 */
export const THIRD_KINDS = 420;
/**
 * Pitched percussion no evaluation set plays: glockenspiel, tubular bells, tinkle bell, steel drums (and the second
 * kinds' marimba and dulcimer). Their partials are not harmonics: a glockenspiel's bar rings at 2.76 and 5.4 times its
 * note, a bell a minor third over its note. Tine instruments (music box, kalimba) are left out on purpose (see
 * tools/corpus/malletVoices.ts).
 */
export const MALLET_PROGRAMS = [9, 14, 112, 114, 12, 15];

/**
 * The third kinds: chords on pitched percussion, half on the soundfonts' mallets and bells (MALLET_PROGRAMS), half on
 * the struck bars and bells synthesised in tools/corpus/malletVoices.ts; struck on comping rhythms or let ring, over
 * the second kinds' basses, meters, tempi and rooms.
 */
function thirdKindSong(i: number): TrainSong {
  const seed = 5000 + i;
  const rnd = lcg(seed * 7919 + 2);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const meter = rnd();
  const [beatsPerBar, subdivisions] = meter < 0.3 ? [3, 2] : meter < 0.45 ? [2, 3] : [4, 2];
  const progression = randomProgression(rnd, ['maj', 'min', 'min', '7', '7', 'maj7', 'min7', 'min7']);
  const sections = randomSections(rnd, beatsPerBar, subdivisions, 0.85, 0.5, 0.5);
  const bpm = beatsPerBar === 2 ? 66 + 34 * rnd() : 90 + 80 * rnd();
  const synthesised = rnd() < 0.5;
  const spec: SongSpec = {
    name: `train-${String(i).padStart(3, '0')}`,
    soundfont: pick(FONTS_2),
    kit: pick([0, 8, 16, 24, 32, 40, 48]),
    chordProgram: pick(MALLET_PROGRAMS),
    bassProgram: pick(BASS_PROGRAMS_2),
    beatsPerBar,
    subdivisions,
    bpm: Math.round(bpm),
    swing: rnd() < 0.35 ? 0.58 + 0.09 * rnd() : 0.5,
    voicingLowMidi: 40 + Math.floor(rnd() * 14),
    progression,
    barsPerChord: rnd() < 0.6 ? 1 : 2,
    sections,
    seed,
    voicing: pick(['close', 'close', 'drop2', 'spread'] as const),
    comp: pick(['sustain', 'beats', 'beats', 'charleston', 'afterbeats'] as const),
    chordVelocity: 0.5 + 0.35 * rnd(),
    bassVelocity: 0.6 + 0.3 * rnd(),
  };
  if (synthesised) spec.voices = { chords: pick(MALLET_VOICES) };
  return { spec, fx: pick(FX_2) };
}

/** The i-th training song (deterministic in i). */
export function trainSong(i: number): TrainSong {
  if (i >= THIRD_KINDS) return thirdKindSong(i);
  if (i >= FIRST_KINDS) return secondKindSong(i);
  const seed = 5000 + i;
  const rnd = lcg(seed * 7919);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const [soundfont, kits] = FONTS[i % FONTS.length]!;
  const meter = rnd();
  const [beatsPerBar, subdivisions] = meter < 0.2 ? [3, 2] : meter < 0.3 ? [2, 3] : [4, 2];
  const progression = randomProgression(rnd, QUALITIES);
  const sections = randomSections(rnd, beatsPerBar, subdivisions, 0.75, 0.45, 0.55);
  const bpm0 = beatsPerBar === 2 ? 60 + 30 * rnd() : 80 + 90 * rnd();
  const spec: SongSpec = {
    name: `train-${String(i).padStart(3, '0')}`,
    soundfont,
    kit: pick(kits),
    chordProgram: pick(CHORD_PROGRAMS),
    bassProgram: pick(BASS_PROGRAMS),
    beatsPerBar,
    subdivisions,
    bpm: rnd() < 0.15 ? [Math.round(bpm0), Math.round(bpm0 * (0.85 + 0.3 * rnd()))] : Math.round(bpm0),
    swing: rnd() < 0.2 ? 0.6 + 0.07 * rnd() : 0.5,
    voicingLowMidi: 36 + Math.floor(rnd() * 22),
    progression,
    barsPerChord: rnd() < 0.5 ? 1 : 2,
    sections,
    seed,
    voicing: pick(['close', 'close', 'spread', 'doubled'] as const),
  };
  return { spec, fx: pick(FX) };
}

/** Renders a chord-net training song as the chord net's dataset does (cached in trainDir). */
export function renderTrainSong({ spec, fx }: TrainSong): { wav: string; truth: SongTruth } {
  return renderSong(spec, fx ? 'fx' : null, trainDir(), fx);
}

/** Throws, naming the missing files and the Debian packages, when a training soundfont is not installed. */
export function checkTrainSoundfonts(): void {
  const missing = [...new Set([...FONTS.map(([f]) => f), ...FONTS_2])].filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`chordnet training needs ${missing.join(', ')} (apt-get install ${TRAIN_SOUNDFONT_PACKAGES})`);
}
