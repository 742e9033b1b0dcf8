/**
 * The third holdout set, made because the second (tools/corpus/holdout2.ts) informed a decision (whether FM kits'
 * kicks may fire at the price of false hits in walking-bass intros). Same kinds as the corpus, in material no tuning
 * has heard:
 *  - instruments from MuseScore_General_Lite (Debian's musescore-general-soundfont-small: a smaller, lossy cut of
 *    the MuseScore font the corpus uses, so related to its samples, not equal to them), on chord programs that
 *    neither the earlier sets nor the chord network's training use, and bass programs the training does not use;
 *  - drums from that font's kits, none of which an earlier set plays with it, and from two drum machines of our
 *    own (tools/corpus/drumMachine.ts: synthesised analog-style voices, unlike any font's samples or the tests'
 *    synthetic drums);
 *  - seeds, progressions, tempi and variant placements of their own.
 *
 * Never used to tune or train anything; run it to report, before and after a change, and make a fourth set rather
 * than tune on this one.
 *   node dist/tools/eval-analysis.js --holdout3 [--song <substring>]
 */
import { ch, sec, type CorpusSet } from './corpus.js';
import type { SongSpec } from './songs.js';

export const HOLDOUT3_PREFIX = 'h3-';

/** Soundfonts of this set (Debian: musescore-general-soundfont-small). */
export const HOLDOUT3_SOUNDFONTS = {
  lite: '/usr/share/sounds/sf3/MuseScore_General_Lite.sf3',
} as const;

const LITE = HOLDOUT3_SOUNDFONTS.lite;
const tight = { machine: 'tight' } as const;
const boom = { machine: 'boom' } as const;

export const HOLDOUT3_SONGS: SongSpec[] = [
  {
    name: 'h3-pop-tight',
    soundfont: LITE, drums: tight, kit: 0, chordProgram: 23, bassProgram: 0,
    beatsPerBar: 4, subdivisions: 2, bpm: 104, swing: 0.5, voicingLowMidi: 44,
    progression: [ch(2, 'maj'), ch(9, 'maj', 1), ch(11, 'min'), ch(7, 'maj', 2)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(8, 'backbeat'), sec(4, 'none', true, false, 0.5), sec(8, 'backbeat', true, true, 1, true)],
    seed: 101,
  },
  {
    name: 'h3-waltz-liteRoom',
    soundfont: LITE, kit: 8, chordProgram: 42, bassProgram: 61,
    beatsPerBar: 3, subdivisions: 2, bpm: 138, swing: 0.5, voicingLowMidi: 43,
    progression: [ch(10, 'maj'), ch(3, 'maj', 1), ch(5, '7'), ch(7, 'min7', 2), ch(0, 'min'), ch(5, '7', 3)],
    barsPerChord: 2,
    sections: [sec(2, 'none'), sec(26, 'waltz')],
    seed: 102,
  },
  {
    name: 'h3-jazzwaltz-liteJazz',
    soundfont: LITE, kit: 32, chordProgram: 71, bassProgram: 45,
    beatsPerBar: 3, subdivisions: 2, bpm: 118, swing: 0.6, voicingLowMidi: 45,
    progression: [ch(7, 'min7'), ch(0, '7', 1), ch(5, 'maj7'), ch(2, '7', 2)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(22, 'waltz')],
    seed: 103,
  },
  {
    name: 'h3-swing-liteJazz',
    soundfont: LITE, kit: 32, chordProgram: 65, bassProgram: 24,
    beatsPerBar: 4, subdivisions: 2, bpm: 132, swing: 0.63, voicingLowMidi: 44,
    progression: [ch(10, 'maj7'), ch(7, 'min7', 2), ch(0, 'min7'), ch(5, '7', 3)],
    barsPerChord: 1,
    sections: [sec(4, 'none'), sec(20, 'swingRide')],
    seed: 104,
  },
  {
    name: 'h3-dnb-half-tight',
    soundfont: LITE, drums: tight, kit: 0, chordProgram: 97, bassProgram: 81,
    beatsPerBar: 4, subdivisions: 2, bpm: 172, swing: 0.5, voicingLowMidi: 46,
    progression: [ch(6, 'min'), ch(2, 'maj', 1), ch(4, 'maj'), ch(11, 'min7', 1)],
    barsPerChord: 2,
    sections: [sec(8, 'offbeatHats', true, false, 0.7), sec(24, 'halftime', true, true, 0.9)],
    seed: 105,
  },
  {
    name: 'h3-dnb808-boom',
    soundfont: LITE, drums: boom, kit: 0, chordProgram: 102, bassProgram: 81,
    beatsPerBar: 4, subdivisions: 2, bpm: 170, swing: 0.5, voicingLowMidi: 43,
    progression: [ch(1, 'min'), ch(9, 'maj', 2), ch(11, 'maj', 1), ch(8, '7')],
    barsPerChord: 2,
    sections: [sec(8, 'offbeatHats', true, false, 0.7), sec(24, 'halftime', true, true, 0.9)],
    seed: 106,
  },
  {
    name: 'h3-ramp-liteRoom',
    soundfont: LITE, kit: 8, chordProgram: 73, bassProgram: 16,
    beatsPerBar: 4, subdivisions: 2, bpm: [96, 122], swing: 0.5, voicingLowMidi: 45,
    progression: [ch(5, 'maj'), ch(0, 'maj', 1), ch(2, 'min', 2), ch(10, 'maj7')],
    barsPerChord: 1,
    sections: [sec(26, 'backbeat')],
    seed: 107,
  },
  {
    name: 'h3-six8-liteElectronic',
    soundfont: LITE, kit: 24, chordProgram: 68, bassProgram: 48,
    beatsPerBar: 2, subdivisions: 3, bpm: 76, swing: 0.5, voicingLowMidi: 44,
    progression: [ch(4, 'maj'), ch(1, 'min', 1), ch(9, 'maj'), ch(11, '7', 2)],
    barsPerChord: 2,
    sections: [sec(24, 'sixEight')],
    seed: 108,
  },
  {
    name: 'h3-ambient-lite',
    soundfont: LITE, kit: 0, chordProgram: 98, bassProgram: 44,
    beatsPerBar: 4, subdivisions: 2, bpm: 66, swing: 0.5, voicingLowMidi: 42,
    progression: [ch(6, 'maj7'), ch(3, 'min7', 1), ch(11, 'maj', 2), ch(1, '7')],
    barsPerChord: 2,
    sections: [sec(12, 'none', true, true, 0.6)],
    seed: 109,
  },
  {
    name: 'h3-edm-drop-tight',
    soundfont: LITE, drums: tight, kit: 0, chordProgram: 83, bassProgram: 81,
    beatsPerBar: 4, subdivisions: 2, bpm: 125, swing: 0.5, voicingLowMidi: 45,
    progression: [ch(5, 'min'), ch(1, 'maj', 1), ch(8, 'maj'), ch(3, 'maj', 2)],
    barsPerChord: 1,
    sections: [sec(8, 'offbeatHats', true, false, 0.6), sec(4, 'none', true, false, 0.45), sec(12, 'fourFloor', true, true, 1, true)],
    seed: 110,
  },
  {
    name: 'h3-rock-litePower',
    soundfont: LITE, kit: 16, chordProgram: 85, bassProgram: 1,
    beatsPerBar: 4, subdivisions: 2, bpm: 116, swing: 0.5, voicingLowMidi: 40,
    progression: [ch(9, 'maj'), ch(4, 'maj', 1), ch(6, 'min'), ch(2, 'maj', 2)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(16, 'backbeat')],
    seed: 111,
  },
  {
    name: 'h3-swing-fast-boom',
    soundfont: LITE, drums: boom, kit: 0, chordProgram: 66, bassProgram: 45,
    beatsPerBar: 4, subdivisions: 2, bpm: 164, swing: 0.6, voicingLowMidi: 43,
    progression: [ch(3, 'maj7'), ch(0, 'min7', 1), ch(5, 'min7'), ch(10, '7', 2)],
    barsPerChord: 1,
    sections: [sec(4, 'none'), sec(24, 'swingRide')],
    seed: 112,
  },
];

const MIX_A: SongSpec = {
  name: 'h3-club-a', soundfont: LITE, drums: tight, kit: 0, chordProgram: 40, bassProgram: 81,
  beatsPerBar: 4, subdivisions: 2, bpm: 122, swing: 0.5, voicingLowMidi: 44,
  progression: [ch(9, 'min'), ch(5, 'maj7'), ch(0, 'maj', 1), ch(7, '7')], barsPerChord: 2,
  sections: [sec(16, 'fourFloor', true, true, 0.9)], seed: 113,
};
const MIX_B: SongSpec = {
  name: 'h3-club-b', soundfont: LITE, drums: boom, kit: 0, chordProgram: 74, bassProgram: 0,
  beatsPerBar: 4, subdivisions: 2, bpm: 128, swing: 0.5, voicingLowMidi: 42,
  progression: [ch(2, 'min7'), ch(10, 'maj7', 1), ch(7, 'min'), ch(9, '7', 1)], barsPerChord: 2,
  sections: [sec(16, 'fourFloor', true, true, 0.9)], seed: 114,
};

export const HOLDOUT3: CorpusSet = {
  label: 'holdout 3',
  songs: HOLDOUT3_SONGS,
  variantOf: [
    ['h3-pop-tight', 'room'],
    ['h3-waltz-liteRoom', 'comp'],
    ['h3-swing-liteJazz', 'eq'],
    ['h3-dnb-half-tight', 'noise'],
    ['h3-rock-litePower', 'room'],
  ],
  mix: { name: 'h3-club-mix-122-128', a: MIX_A, b: MIX_B, atS: 22, fadeS: 8 },
};
