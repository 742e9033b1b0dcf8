/**
 * The fourth holdout set, made before the corpus grew drum-machine, timbre and groove rows, because the third showed
 * where the analysis fails (machine kits, basses on other instruments, boomy half-time) and those rows are tuned on
 * the same kinds. Same kinds as the corpus, in material no tuning has heard:
 *  - bass and chords from voices synthesised here (tools/corpus/synthVoices.ts: acid, FM and reese basses; an FM
 *    electric piano, a detuned saw pad, a plucked string), which no soundfont has;
 *  - drums from a synthesised kit of struck membranes and band-passed noise, and its bit-crushed cut (a design of
 *    their own, unlike the drum machines' oscillator kits), and from font kits in combinations no earlier set plays;
 *  - font instruments on chord programs (10, 64, 69, 75, 96) that no earlier set, no corpus row and no chord-network
 *    training song uses, and bass programs (harpsichord, clavinet, church organ, timpani, sitar, shamisen) that none
 *    of them uses for anything but the network's chords;
 *  - seeds, progressions, tempi and variant placements of its own.
 *
 * Kept apart from all tuning until the fifth set was made; tuned on since, as the earlier sets are. The fifth set
 * (tools/corpus/holdout5.ts) is the one kept apart now. Its (font, kit) pairs and programs stay out of the
 * drum network's training (tools/drumnet/trainSongs.ts holdout4Pairs), and the fifth set reuses them for that.
 *   node dist/tools/eval-analysis.js --holdout4 [--song <substring>]
 */
import type { CorpusSet } from './corpus.js';
import { HOLDOUT2_SOUNDFONTS } from './holdout2.js';
import { HOLDOUT3_SOUNDFONTS } from './holdout3.js';
import { ch, sec, SOUNDFONTS, type SongSpec } from './songs.js';

export const HOLDOUT4_PREFIX = 'h4-';

/** Chord and bass programs that only this set plays (the corpus rows and their tests keep away from them). */
export const HOLDOUT4_CHORD_PROGRAMS = [10, 64, 69, 75, 96];
export const HOLDOUT4_BASS_PROGRAMS = [6, 7, 19, 47, 104, 106];

const F = { ...SOUNDFONTS, ...HOLDOUT2_SOUNDFONTS, ...HOLDOUT3_SOUNDFONTS };
const modal = { synthKit: 'modal' } as const;
const crushed = { synthKit: 'crushed' } as const;
const zeppelin = { soundfont: F.zeppelin, singleKit: true };
const pearl = { soundfont: F.pearl, singleKit: true };

export const HOLDOUT4_SONGS: SongSpec[] = [
  {
    name: 'h4-pop-modal',
    soundfont: F.fluid, drums: modal, voices: { bass: 'fmBass', chords: 'fmPiano' }, kit: 0, chordProgram: 64, bassProgram: 6,
    beatsPerBar: 4, subdivisions: 2, bpm: 98, swing: 0.5, voicingLowMidi: 45,
    progression: [ch(1, 'maj'), ch(6, 'maj', 1), ch(10, 'min'), ch(8, 'maj', 2)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(8, 'backbeat'), sec(4, 'none', true, false, 0.5), sec(8, 'backbeat', true, true, 1, true)],
    seed: 201,
  },
  {
    name: 'h4-waltz-monoRoom',
    soundfont: F.mono, kit: 8, chordProgram: 69, bassProgram: 47,
    beatsPerBar: 3, subdivisions: 2, bpm: 150, swing: 0.5, voicingLowMidi: 44,
    progression: [ch(11, 'maj'), ch(4, 'maj', 1), ch(6, '7'), ch(8, 'min7', 2), ch(1, 'min'), ch(6, '7', 3)],
    barsPerChord: 2,
    sections: [sec(2, 'none'), sec(28, 'waltz')],
    seed: 202,
  },
  {
    name: 'h4-jazzwaltz-gmbankJazz',
    soundfont: F.gmbank, kit: 32, chordProgram: 64, bassProgram: 104,
    beatsPerBar: 3, subdivisions: 2, bpm: 112, swing: 0.6, voicingLowMidi: 46,
    progression: [ch(5, 'min7'), ch(10, '7', 2), ch(3, 'maj7'), ch(0, '7', 1)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(20, 'waltz')],
    seed: 203,
  },
  {
    name: 'h4-swing-opl3Jazz',
    soundfont: F.opl3, kit: 32, chordProgram: 10, bassProgram: 7,
    beatsPerBar: 4, subdivisions: 2, bpm: 140, swing: 0.62, voicingLowMidi: 45,
    progression: [ch(6, 'maj7'), ch(3, 'min7', 1), ch(8, 'min7', 2), ch(1, '7')],
    barsPerChord: 1,
    sections: [sec(4, 'none'), sec(20, 'swingRide')],
    seed: 204,
  },
  {
    name: 'h4-dnb-half-crushed',
    soundfont: F.musescore, drums: crushed, voices: { bass: 'reese', chords: 'sawPad' }, kit: 0, chordProgram: 69, bassProgram: 7,
    beatsPerBar: 4, subdivisions: 2, bpm: 174, swing: 0.5, voicingLowMidi: 43,
    progression: [ch(2, 'min'), ch(10, 'maj', 2), ch(5, 'maj'), ch(7, 'min7', 1)],
    barsPerChord: 2,
    sections: [sec(8, 'offbeatHats', true, false, 0.7), sec(24, 'halftime', true, true, 0.9)],
    seed: 205,
  },
  {
    name: 'h4-dnb808-timgm',
    soundfont: F.timgm, kit: 25, chordProgram: 75, bassProgram: 19,
    beatsPerBar: 4, subdivisions: 2, bpm: 168, swing: 0.5, voicingLowMidi: 44,
    progression: [ch(9, 'min'), ch(4, 'min', 1), ch(5, 'maj'), ch(0, '7', 2)],
    barsPerChord: 2,
    sections: [sec(8, 'offbeatHats', true, false, 0.7), sec(24, 'halftime', true, true, 0.9)],
    seed: 206,
  },
  {
    name: 'h4-ramp-museRoom',
    soundfont: F.musescore, kit: 8, chordProgram: 96, bassProgram: 106,
    beatsPerBar: 4, subdivisions: 2, bpm: [100, 128], swing: 0.5, voicingLowMidi: 44,
    progression: [ch(3, 'maj'), ch(8, 'maj', 2), ch(0, 'min', 1), ch(10, '7')],
    barsPerChord: 1,
    sections: [sec(26, 'backbeat')],
    seed: 207,
  },
  {
    name: 'h4-six8-fluidPower',
    soundfont: F.fluid, kit: 16, chordProgram: 10, bassProgram: 6,
    beatsPerBar: 2, subdivisions: 3, bpm: 80, swing: 0.5, voicingLowMidi: 45,
    progression: [ch(7, 'min'), ch(3, 'maj', 2), ch(10, 'maj'), ch(2, '7', 1)],
    barsPerChord: 2,
    sections: [sec(24, 'sixEight')],
    seed: 208,
  },
  {
    name: 'h4-ambient-voices',
    soundfont: F.lite, voices: { bass: 'fmBass', chords: 'sawPad' }, kit: 0, chordProgram: 96, bassProgram: 47,
    beatsPerBar: 4, subdivisions: 2, bpm: 68, swing: 0.5, voicingLowMidi: 43,
    progression: [ch(9, 'maj7'), ch(6, 'min7', 2), ch(2, 'maj', 1), ch(4, '7')],
    barsPerChord: 2,
    sections: [sec(12, 'none', true, true, 0.6)],
    seed: 209,
  },
  {
    name: 'h4-edm-drop-modal',
    soundfont: F.mono, drums: modal, voices: { bass: 'acid', chords: 'pluck' }, kit: 0, chordProgram: 75, bassProgram: 7,
    beatsPerBar: 4, subdivisions: 2, bpm: 126, swing: 0.5, voicingLowMidi: 46,
    progression: [ch(10, 'min'), ch(6, 'maj', 1), ch(1, 'maj', 2), ch(8, 'min')],
    barsPerChord: 1,
    sections: [sec(8, 'offbeatHats', true, false, 0.6), sec(4, 'none', true, false, 0.45), sec(12, 'fourFloor', true, true, 1, true)],
    seed: 210,
  },
  {
    name: 'h4-rock-zepMuse',
    soundfont: F.musescore, drums: zeppelin, kit: 0, chordProgram: 69, bassProgram: 7,
    beatsPerBar: 4, subdivisions: 2, bpm: 120, swing: 0.5, voicingLowMidi: 41,
    progression: [ch(2, 'maj'), ch(7, 'maj', 2), ch(9, 'maj'), ch(11, 'min', 1)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(16, 'backbeat')],
    seed: 211,
  },
  {
    name: 'h4-swing-fast-crushed',
    soundfont: F.timgm, drums: crushed, voices: { bass: 'acid' }, kit: 0, chordProgram: 75, bassProgram: 106,
    beatsPerBar: 4, subdivisions: 2, bpm: 160, swing: 0.6, voicingLowMidi: 44,
    progression: [ch(11, 'maj7'), ch(8, 'min7', 2), ch(1, 'min7'), ch(6, '7', 1)],
    barsPerChord: 1,
    sections: [sec(4, 'none'), sec(24, 'swingRide')],
    seed: 212,
  },
];

const MIX_A: SongSpec = {
  name: 'h4-club-a', soundfont: F.fluid, drums: modal, voices: { bass: 'reese', chords: 'fmPiano' }, kit: 0, chordProgram: 96, bassProgram: 19,
  beatsPerBar: 4, subdivisions: 2, bpm: 121, swing: 0.5, voicingLowMidi: 44,
  progression: [ch(6, 'min7'), ch(2, 'maj7', 1), ch(9, 'maj'), ch(4, '7', 2)], barsPerChord: 2,
  sections: [sec(16, 'fourFloor', true, true, 0.9)], seed: 213,
};
const MIX_B: SongSpec = {
  name: 'h4-club-b', soundfont: F.gmbank, drums: pearl, kit: 0, chordProgram: 96, bassProgram: 19,
  beatsPerBar: 4, subdivisions: 2, bpm: 127, swing: 0.5, voicingLowMidi: 42,
  progression: [ch(0, 'min7'), ch(5, '7'), ch(10, 'maj7', 2), ch(3, 'min', 1)], barsPerChord: 2,
  sections: [sec(16, 'fourFloor', true, true, 0.9)], seed: 214,
};

export const HOLDOUT4: CorpusSet = {
  label: 'holdout 4',
  songs: HOLDOUT4_SONGS,
  variantOf: [
    ['h4-pop-modal', 'room'],
    ['h4-waltz-monoRoom', 'comp'],
    ['h4-swing-opl3Jazz', 'eq'],
    ['h4-dnb-half-crushed', 'noise'],
    ['h4-rock-zepMuse', 'room'],
  ],
  mix: { name: 'h4-club-mix-121-127', a: MIX_A, b: MIX_B, atS: 22, fadeS: 8 },
};
