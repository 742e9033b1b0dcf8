/**
 * The holdout set: songs of the same kinds as the corpus (pop backbeat, waltz, swing with a drumless intro, half-time
 * DnB with an off-beat-hat intro, a tempo ramp, 6/8, drumless ambient, an EDM drop after a breakdown, a DJ crossfade
 * between tempi; room, compression, noise and mic-EQ variants) but other material: other seeds, progressions (roots,
 * qualities, inversions), voicing floors, tempi, GM programs, drum kits, and the soundfonts swapped between the kinds.
 *
 * These songs are never used to tune or train anything: the analysis is tuned on the corpus (tools/corpus/corpus.ts)
 * and a learned chord model is trained on its own renders. They only check whether the corpus figures carry over to
 * material the tuning never saw; a change made because a holdout figure was low turns the set into a second corpus.
 * When that happens, make a new holdout set (new seeds and material) rather than keep this one.
 *   node dist/tools/eval-analysis.js --holdout [--song <substring>]
 */
import { ch, sec, SOUNDFONTS, type CorpusSet } from './corpus.js';
import type { SongSpec } from './songs.js';

/** Every name starts with this, so no holdout song or file can be taken for a corpus one. */
export const HOLDOUT_PREFIX = 'ho-';

/** The songs (C=0 … B=11), each at most about 55 s, every tempo inside the analysis's search range (60–200 BPM). */
export const HOLDOUT_SONGS: SongSpec[] = [
  {
    name: 'ho-pop-musescore',
    soundfont: SOUNDFONTS.musescore, kit: 16, chordProgram: 1, bassProgram: 36,
    beatsPerBar: 4, subdivisions: 2, bpm: 96, swing: 0.5, voicingLowMidi: 42,
    progression: [ch(2, 'maj'), ch(11, 'min7', 1), ch(7, 'maj', 2), ch(9, '7', 3)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(8, 'backbeat'), sec(4, 'none', true, false, 0.5), sec(8, 'backbeat', true, true, 1, true)],
    seed: 31,
  },
  {
    name: 'ho-waltz-fluid',
    soundfont: SOUNDFONTS.fluid, kit: 32, chordProgram: 11, bassProgram: 32,
    beatsPerBar: 3, subdivisions: 2, bpm: 108, swing: 0.5, voicingLowMidi: 45,
    progression: [ch(5, 'maj'), ch(0, '7', 1), ch(2, 'min'), ch(10, 'maj7', 1), ch(7, 'min7'), ch(0, '7')],
    barsPerChord: 2,
    sections: [sec(3, 'none'), sec(24, 'waltz')],
    seed: 32,
  },
  {
    name: 'ho-swing-timgm',
    soundfont: SOUNDFONTS.timgm, kit: 0, chordProgram: 26, bassProgram: 33,
    beatsPerBar: 4, subdivisions: 2, bpm: 132, swing: 0.6, voicingLowMidi: 43,
    progression: [ch(10, 'maj7'), ch(7, 'min7', 1), ch(0, 'min7', 2), ch(5, '7', 1)],
    barsPerChord: 1,
    sections: [sec(4, 'none'), sec(20, 'swingRide')],
    seed: 33,
  },
  {
    name: 'ho-dnb-half-timgm',
    soundfont: SOUNDFONTS.timgm, kit: 25, chordProgram: 95, bassProgram: 87,
    beatsPerBar: 4, subdivisions: 2, bpm: 170, swing: 0.5, voicingLowMidi: 46,
    progression: [ch(6, 'min'), ch(2, 'maj', 1), ch(4, 'maj'), ch(1, 'min7', 2)],
    barsPerChord: 2,
    sections: [sec(8, 'offbeatHats', true, false, 0.7), sec(24, 'halftime', true, true, 0.9)],
    seed: 34,
  },
  {
    name: 'ho-ramp-musescore',
    soundfont: SOUNDFONTS.musescore, kit: 0, chordProgram: 2, bassProgram: 35,
    beatsPerBar: 4, subdivisions: 2, bpm: [134, 108], swing: 0.5, voicingLowMidi: 44,
    progression: [ch(4, 'maj'), ch(9, 'maj', 2), ch(1, 'min', 1), ch(11, '7')],
    barsPerChord: 1,
    sections: [sec(26, 'backbeat')],
    seed: 35,
  },
  {
    name: 'ho-six8-fluid',
    soundfont: SOUNDFONTS.fluid, kit: 8, chordProgram: 52, bassProgram: 58,
    beatsPerBar: 2, subdivisions: 3, bpm: 64, swing: 0.5, voicingLowMidi: 41,
    progression: [ch(2, 'min'), ch(10, 'maj', 1), ch(5, 'maj', 2), ch(9, '7')],
    barsPerChord: 2,
    sections: [sec(24, 'sixEight')],
    seed: 36,
  },
  {
    name: 'ho-ambient-musescore',
    soundfont: SOUNDFONTS.musescore, kit: 0, chordProgram: 88, bassProgram: 43,
    beatsPerBar: 4, subdivisions: 2, bpm: 64, swing: 0.5, voicingLowMidi: 42,
    progression: [ch(3, 'maj7'), ch(8, 'maj', 1), ch(0, 'min7', 3), ch(10, '7', 2)],
    barsPerChord: 2,
    sections: [sec(14, 'none', true, true, 0.6)],
    seed: 37,
  },
  {
    name: 'ho-edm-drop-fluid',
    soundfont: SOUNDFONTS.fluid, kit: 24, chordProgram: 62, bassProgram: 87,
    beatsPerBar: 4, subdivisions: 2, bpm: 122, swing: 0.5, voicingLowMidi: 47,
    progression: [ch(7, 'min'), ch(3, 'maj'), ch(10, 'maj', 1), ch(5, 'maj', 2)],
    barsPerChord: 1,
    sections: [sec(8, 'offbeatHats', true, false, 0.6), sec(4, 'none', true, false, 0.45), sec(12, 'fourFloor', true, true, 1, true)],
    seed: 38,
  },
];

/** The two tracks of the DJ crossfade (rendered on their own, mixed by the corpus code). */
const MIX_A: SongSpec = {
  name: 'ho-club-a', soundfont: SOUNDFONTS.timgm, kit: 16, chordProgram: 91, bassProgram: 37,
  beatsPerBar: 4, subdivisions: 2, bpm: 120, swing: 0.5, voicingLowMidi: 44,
  progression: [ch(5, 'min7'), ch(10, 'min7', 1), ch(3, '7'), ch(8, 'maj7', 2)], barsPerChord: 2,
  sections: [sec(16, 'fourFloor', true, true, 0.9)], seed: 41,
};
const MIX_B: SongSpec = {
  name: 'ho-club-b', soundfont: SOUNDFONTS.fluid, kit: 25, chordProgram: 50, bassProgram: 36,
  beatsPerBar: 4, subdivisions: 2, bpm: 127, swing: 0.5, voicingLowMidi: 40,
  progression: [ch(1, 'min'), ch(9, 'maj7', 1), ch(4, 'maj', 2), ch(11, 'maj')], barsPerChord: 2,
  sections: [sec(16, 'fourFloor', true, true, 0.9)], seed: 42,
};

/** The holdout set; each variant goes to another kind of song than in the corpus. */
export const HOLDOUT: CorpusSet = {
  label: 'holdout',
  songs: HOLDOUT_SONGS,
  variantOf: [
    ['ho-pop-musescore', 'eq'],
    ['ho-waltz-fluid', 'room'],
    ['ho-swing-timgm', 'comp'],
    ['ho-dnb-half-timgm', 'noise'],
    ['ho-ramp-musescore', 'room'],
  ],
  mix: { name: 'ho-club-mix-120-127', a: MIX_A, b: MIX_B, atS: 20, fadeS: 8 },
};
