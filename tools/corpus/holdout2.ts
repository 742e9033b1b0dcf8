/**
 * The second holdout set, made because the first (tools/corpus/holdout.ts) was once used to choose which kinds of
 * song the corpus lacked. Same kinds as the corpus, in material none of the tuning has heard:
 *  - drums from fonts the corpus and the first holdout never use: Debian's AVL Drumkits (two acoustic kits
 *    recorded from real drums, avldrums.lv2-soundfont), csound's GM bank and the OPL3 FM font (their kits);
 *  - instruments mostly from FluidR3Mono (fluidr3mono-gm-soundfont: MuseScore's mono, compressed cut of FluidR3,
 *    so related to the corpus's FluidR3 samples, not equal to them), with chord programs that neither the corpus,
 *    the first holdout nor the chord network's training songs use, and bass programs the training does not use;
 *    one song's instruments from csound's bank, which the chord network's training did use (other programs), so
 *    its chord figures say less;
 *  - seeds, progressions, tempi and variant placements of their own.
 *
 * Never used to tune or train anything; run it to report, before and after a change, and make a third set rather
 * than tune on this one.
 *   node dist/tools/eval-analysis.js --holdout2 [--song <substring>]
 */
import { ch, sec, type CorpusSet } from './corpus.js';
import type { SongSpec } from './songs.js';

export const HOLDOUT2_PREFIX = 'h2-';

/** Soundfonts of this set (Debian: fluidr3mono-gm-soundfont avldrums.lv2-soundfont csound-soundfont opl3-soundfont). */
export const HOLDOUT2_SOUNDFONTS = {
  mono: '/usr/share/sounds/sf3/FluidR3Mono_GM.sf3',
  gmbank: '/usr/share/sounds/sf2/sf_GMbank.sf2',
  opl3: '/usr/share/sounds/sf2/OPL-3_FM_128M.sf2',
  pearl: '/usr/share/sounds/sf2/Black_Pearl_4_LV2.sf2',
  zeppelin: '/usr/share/sounds/sf2/Red_Zeppelin_4_LV2.sf2',
} as const;
export const HOLDOUT2_PACKAGES = 'fluidr3mono-gm-soundfont avldrums.lv2-soundfont csound-soundfont opl3-soundfont';

const F = HOLDOUT2_SOUNDFONTS;
const pearl = { soundfont: F.pearl, singleKit: true };
const zeppelin = { soundfont: F.zeppelin, singleKit: true };

export const HOLDOUT2_SONGS: SongSpec[] = [
  {
    name: 'h2-pop-pearl',
    soundfont: F.mono, drums: pearl, kit: 0, chordProgram: 22, bassProgram: 33,
    beatsPerBar: 4, subdivisions: 2, bpm: 100, swing: 0.5, voicingLowMidi: 43,
    progression: [ch(9, 'min'), ch(5, 'maj', 1), ch(0, 'maj', 2), ch(7, '7', 1)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(8, 'backbeat'), sec(4, 'none', true, false, 0.5), sec(8, 'backbeat', true, true, 1, true)],
    seed: 81,
  },
  {
    name: 'h2-waltz-gmbank',
    soundfont: F.mono, drums: { soundfont: F.gmbank }, kit: 8, chordProgram: 44, bassProgram: 58,
    beatsPerBar: 3, subdivisions: 2, bpm: 150, swing: 0.5, voicingLowMidi: 46,
    progression: [ch(3, 'maj'), ch(8, 'maj', 2), ch(10, '7'), ch(0, 'min7', 1), ch(5, 'min'), ch(10, '7', 3)],
    barsPerChord: 2,
    sections: [sec(2, 'none'), sec(28, 'waltz')],
    seed: 82,
  },
  {
    name: 'h2-jazzwaltz-zeppelin',
    soundfont: F.mono, drums: zeppelin, kit: 0, chordProgram: 31, bassProgram: 32,
    beatsPerBar: 3, subdivisions: 2, bpm: 126, swing: 0.62, voicingLowMidi: 44,
    progression: [ch(2, 'min7'), ch(7, '7', 1), ch(0, 'maj7'), ch(9, '7', 2)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(22, 'waltz')],
    seed: 83,
  },
  {
    name: 'h2-swing-opl3',
    soundfont: F.mono, drums: { soundfont: F.opl3 }, kit: 0, chordProgram: 60, bassProgram: 32,
    beatsPerBar: 4, subdivisions: 2, bpm: 140, swing: 0.64, voicingLowMidi: 45,
    progression: [ch(5, 'maj7'), ch(2, 'min7', 2), ch(7, 'min7'), ch(0, '7', 3)],
    barsPerChord: 1,
    sections: [sec(4, 'none'), sec(20, 'swingRide')],
    seed: 84,
  },
  {
    name: 'h2-dnb-half-pearl',
    soundfont: F.mono, drums: pearl, kit: 0, chordProgram: 93, bassProgram: 39,
    beatsPerBar: 4, subdivisions: 2, bpm: 172, swing: 0.5, voicingLowMidi: 47,
    progression: [ch(11, 'min'), ch(7, 'maj', 1), ch(9, 'maj'), ch(4, 'min7', 1)],
    barsPerChord: 2,
    sections: [sec(8, 'offbeatHats', true, false, 0.7), sec(24, 'halftime', true, true, 0.9)],
    seed: 85,
  },
  {
    name: 'h2-dnb808-gmbank',
    soundfont: F.mono, drums: { soundfont: F.gmbank }, kit: 25, chordProgram: 59, bassProgram: 38,
    beatsPerBar: 4, subdivisions: 2, bpm: 176, swing: 0.5, voicingLowMidi: 42,
    progression: [ch(4, 'min'), ch(0, 'maj', 2), ch(2, 'maj', 1), ch(11, '7')],
    barsPerChord: 2,
    sections: [sec(8, 'offbeatHats', true, false, 0.7), sec(24, 'halftime', true, true, 0.9)],
    seed: 86,
  },
  {
    name: 'h2-ramp-zeppelin',
    soundfont: F.mono, drums: zeppelin, kit: 0, chordProgram: 41, bassProgram: 34,
    beatsPerBar: 4, subdivisions: 2, bpm: [100, 128], swing: 0.5, voicingLowMidi: 44,
    progression: [ch(7, 'maj'), ch(2, 'maj', 1), ch(4, 'min', 2), ch(0, 'maj7')],
    barsPerChord: 1,
    sections: [sec(26, 'backbeat')],
    seed: 87,
  },
  {
    name: 'h2-six8-gmbank',
    soundfont: F.gmbank, kit: 0, chordProgram: 8, bassProgram: 58,
    beatsPerBar: 2, subdivisions: 3, bpm: 72, swing: 0.5, voicingLowMidi: 45,
    progression: [ch(9, 'maj'), ch(6, 'min', 1), ch(2, 'maj'), ch(4, '7', 2)],
    barsPerChord: 2,
    sections: [sec(24, 'sixEight')],
    seed: 88,
  },
  {
    name: 'h2-ambient-mono',
    soundfont: F.mono, kit: 0, chordProgram: 99, bassProgram: 32,
    beatsPerBar: 4, subdivisions: 2, bpm: 60, swing: 0.5, voicingLowMidi: 41,
    progression: [ch(1, 'maj7'), ch(10, 'min7', 1), ch(6, 'maj', 2), ch(8, '7')],
    barsPerChord: 2,
    sections: [sec(12, 'none', true, true, 0.6)],
    seed: 89,
  },
  {
    name: 'h2-edm-drop-opl3',
    soundfont: F.mono, drums: { soundfont: F.opl3 }, kit: 24, chordProgram: 84, bassProgram: 38,
    beatsPerBar: 4, subdivisions: 2, bpm: 126, swing: 0.5, voicingLowMidi: 46,
    progression: [ch(0, 'min'), ch(8, 'maj', 1), ch(3, 'maj'), ch(10, 'maj', 2)],
    barsPerChord: 1,
    sections: [sec(8, 'offbeatHats', true, false, 0.6), sec(4, 'none', true, false, 0.45), sec(12, 'fourFloor', true, true, 1, true)],
    seed: 90,
  },
  {
    name: 'h2-rock-zeppelin',
    soundfont: F.mono, drums: zeppelin, kit: 0, chordProgram: 57, bassProgram: 33,
    beatsPerBar: 4, subdivisions: 2, bpm: 88, swing: 0.5, voicingLowMidi: 40,
    progression: [ch(4, 'maj'), ch(11, 'maj', 1), ch(1, 'min'), ch(9, 'maj', 2)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(16, 'backbeat')],
    seed: 91,
  },
  {
    name: 'h2-swing-fast-gmbank',
    soundfont: F.mono, drums: { soundfont: F.gmbank }, kit: 32, chordProgram: 13, bassProgram: 32,
    beatsPerBar: 4, subdivisions: 2, bpm: 156, swing: 0.6, voicingLowMidi: 43,
    progression: [ch(8, 'maj7'), ch(5, 'min7', 1), ch(10, 'min7'), ch(3, '7', 2)],
    barsPerChord: 1,
    sections: [sec(4, 'none'), sec(24, 'swingRide')],
    seed: 92,
  },
];

const MIX_A: SongSpec = {
  name: 'h2-club-a', soundfont: F.mono, drums: pearl, kit: 0, chordProgram: 100, bassProgram: 38,
  beatsPerBar: 4, subdivisions: 2, bpm: 118, swing: 0.5, voicingLowMidi: 45,
  progression: [ch(2, 'min'), ch(10, 'maj7'), ch(5, 'maj', 1), ch(0, '7')], barsPerChord: 2,
  sections: [sec(16, 'fourFloor', true, true, 0.9)], seed: 93,
};
const MIX_B: SongSpec = {
  name: 'h2-club-b', soundfont: F.mono, drums: { soundfont: F.opl3 }, kit: 25, chordProgram: 54, bassProgram: 39,
  beatsPerBar: 4, subdivisions: 2, bpm: 126, swing: 0.5, voicingLowMidi: 43,
  progression: [ch(7, 'min7'), ch(3, 'maj7', 1), ch(0, 'min'), ch(2, '7', 1)], barsPerChord: 2,
  sections: [sec(16, 'fourFloor', true, true, 0.9)], seed: 94,
};

export const HOLDOUT2: CorpusSet = {
  label: 'holdout 2',
  songs: HOLDOUT2_SONGS,
  variantOf: [
    ['h2-pop-pearl', 'comp'],
    ['h2-waltz-gmbank', 'room'],
    ['h2-swing-opl3', 'noise'],
    ['h2-dnb-half-pearl', 'eq'],
    ['h2-six8-gmbank', 'room'],
  ],
  mix: { name: 'h2-club-mix-118-126', a: MIX_A, b: MIX_B, atS: 22, fadeS: 8 },
};
