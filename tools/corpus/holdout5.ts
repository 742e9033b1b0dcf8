/**
 * The fifth holdout set, made because the fourth (tools/corpus/holdout4.ts) is tuned on from now. Same kinds as the
 * corpus, in material no tuning has heard:
 *  - drums from a kit synthesised by phase modulation alone and its tape cut (tools/corpus/fmKit.ts: no noise
 *    generator, no oscillator bank, no membrane; unlike the fourth set's kits and the drum machines), on five tracks;
 *  - the other drums from font kits that the drum network's training leaves out (the fourth set's pairs,
 *    holdout4Pairs in tools/drumnet/trainSongs.ts), each under other instruments than there and, but for the one
 *    808 kit, on another kind of song;
 *  - bass and chords from a pulse bass and a drawbar organ synthesised here (tools/corpus/synthVoices.ts), or from
 *    font programs that only the fourth set played before (HOLDOUT4_CHORD_PROGRAMS, HOLDOUT4_BASS_PROGRAMS: the drum
 *    network's training plays none of them, the chord network's three of the bass ones, 6, 7 and 19, as chords
 *    only), mostly on other kinds of song than there;
 *  - seeds, progressions, tempi and variant placements of its own; the DJ mix crosses down in tempo;
 *  - three slow grooves with drums (66–88 BPM), added when the corpus got its own (tools/corpus/slowSongs.ts).
 *
 * Never used to tune or train anything; run it to report, before and after a change, and make a sixth set rather
 * than tune on this one.
 *   node dist/tools/eval-analysis.js --holdout5 [--song <substring>]
 */
import type { CorpusSet } from './corpus.js';
import { HOLDOUT2_SOUNDFONTS } from './holdout2.js';
import { HOLDOUT3_SOUNDFONTS } from './holdout3.js';
import { ch, sec, SOUNDFONTS, type SongSpec } from './songs.js';

export const HOLDOUT5_PREFIX = 'h5-';

const F = { ...SOUNDFONTS, ...HOLDOUT2_SOUNDFONTS, ...HOLDOUT3_SOUNDFONTS };
const fm = { synthKit: 'fm' } as const;
const fmTape = { synthKit: 'fmTape' } as const;
const pearl = { soundfont: F.pearl, singleKit: true };
const zeppelin = { soundfont: F.zeppelin, singleKit: true };

export const HOLDOUT5_SONGS: SongSpec[] = [
  {
    name: 'h5-pop-fm',
    soundfont: F.lite, drums: fm, voices: { bass: 'pulse' }, kit: 0, chordProgram: 69, bassProgram: 7,
    beatsPerBar: 4, subdivisions: 2, bpm: 106, swing: 0.5, voicingLowMidi: 44,
    progression: [ch(4, 'maj'), ch(11, 'maj', 1), ch(1, 'min7'), ch(9, 'maj', 2)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(8, 'backbeat', true, true, 0.85), sec(4, 'none', true, false, 0.5), sec(8, 'backbeat', true, true, 1, true)],
    seed: 301,
  },
  {
    name: 'h5-waltz-museRoom',
    soundfont: F.musescore, kit: 8, chordProgram: 75, bassProgram: 104,
    beatsPerBar: 3, subdivisions: 2, bpm: 144, swing: 0.5, voicingLowMidi: 43,
    progression: [ch(3, 'maj'), ch(10, '7', 1), ch(0, 'min'), ch(8, 'maj', 2), ch(5, 'min7'), ch(10, '7')],
    barsPerChord: 2,
    sections: [sec(3, 'none'), sec(24, 'waltz')],
    seed: 302,
  },
  {
    name: 'h5-jazzwaltz-opl3Jazz',
    soundfont: F.gmbank, drums: { soundfont: F.opl3 }, kit: 32, chordProgram: 10, bassProgram: 7,
    beatsPerBar: 3, subdivisions: 2, bpm: 120, swing: 0.62, voicingLowMidi: 45,
    progression: [ch(0, 'min7'), ch(5, '7', 1), ch(10, 'maj7'), ch(7, '7', 2)],
    barsPerChord: 2,
    sections: [sec(2, 'none'), sec(20, 'waltz')],
    seed: 303,
  },
  {
    name: 'h5-swing-organTrio',
    soundfont: F.mono, drums: { soundfont: F.gmbank }, voices: { chords: 'organ' }, kit: 32, chordProgram: 64, bassProgram: 19,
    beatsPerBar: 4, subdivisions: 2, bpm: 132, swing: 0.64, voicingLowMidi: 46,
    progression: [ch(8, 'maj7'), ch(5, 'min7', 2), ch(10, 'min7'), ch(3, '7', 1)],
    barsPerChord: 1,
    sections: [sec(4, 'none'), sec(20, 'swingRide')],
    seed: 304,
  },
  {
    name: 'h5-dnb-half-fmTape',
    soundfont: F.fluid, drums: fmTape, voices: { bass: 'pulse' }, kit: 0, chordProgram: 10, bassProgram: 7,
    beatsPerBar: 4, subdivisions: 2, bpm: 172, swing: 0.5, voicingLowMidi: 44,
    progression: [ch(11, 'min'), ch(7, 'maj', 1), ch(2, 'maj'), ch(9, 'min7', 2)],
    barsPerChord: 2,
    sections: [sec(8, 'offbeatHats', true, false, 0.7), sec(24, 'halftime', true, true, 0.9)],
    seed: 305,
  },
  {
    name: 'h5-dnb808-timgmLite',
    soundfont: F.lite, drums: { soundfont: F.timgm }, kit: 25, chordProgram: 69, bassProgram: 106,
    beatsPerBar: 4, subdivisions: 2, bpm: 166, swing: 0.5, voicingLowMidi: 42,
    progression: [ch(6, 'min'), ch(2, 'maj', 2), ch(9, 'maj'), ch(4, '7')],
    barsPerChord: 2,
    sections: [sec(4, 'offbeatHats', true, false, 0.7), sec(26, 'halftime', true, true, 0.9)],
    seed: 306,
  },
  {
    name: 'h5-ramp-monoRoom',
    soundfont: F.opl3, drums: { soundfont: F.mono }, kit: 8, chordProgram: 69, bassProgram: 47,
    beatsPerBar: 4, subdivisions: 2, bpm: [96, 124], swing: 0.5, voicingLowMidi: 45,
    progression: [ch(7, 'maj', 1), ch(0, 'maj'), ch(4, 'min', 2), ch(2, '7')],
    barsPerChord: 1,
    sections: [sec(24, 'backbeat')],
    seed: 307,
  },
  {
    name: 'h5-six8-pearl',
    soundfont: F.timgm, drums: pearl, kit: 0, chordProgram: 64, bassProgram: 6,
    beatsPerBar: 2, subdivisions: 3, bpm: 86, swing: 0.5, voicingLowMidi: 43,
    progression: [ch(1, 'min'), ch(9, 'maj', 1), ch(4, 'maj7'), ch(8, '7', 2)],
    barsPerChord: 2,
    sections: [sec(2, 'none', true, true, 0.6), sec(24, 'sixEight')],
    seed: 308,
  },
  {
    name: 'h5-ambient-organ',
    soundfont: F.mono, voices: { bass: 'pulse', chords: 'organ' }, kit: 0, chordProgram: 10, bassProgram: 47,
    beatsPerBar: 4, subdivisions: 2, bpm: 64, swing: 0.5, voicingLowMidi: 45,
    progression: [ch(0, 'maj7', 1), ch(5, 'maj7'), ch(9, 'min7', 2), ch(7, '7')],
    barsPerChord: 2,
    sections: [sec(12, 'none', true, true, 0.6)],
    seed: 309,
  },
  {
    name: 'h5-edm-drop-fm',
    soundfont: F.opl3, drums: fm, voices: { bass: 'pulse' }, kit: 0, chordProgram: 75, bassProgram: 6,
    beatsPerBar: 4, subdivisions: 2, bpm: 124, swing: 0.5, voicingLowMidi: 47,
    progression: [ch(5, 'min'), ch(1, 'maj', 2), ch(8, 'maj'), ch(3, 'maj', 1)],
    barsPerChord: 1,
    sections: [sec(8, 'offbeatHats', true, false, 0.6), sec(4, 'none', true, false, 0.45), sec(12, 'fourFloor', true, true, 1, true)],
    seed: 310,
  },
  {
    name: 'h5-rock-fluidPowerMuse',
    soundfont: F.musescore, drums: { soundfont: F.fluid }, kit: 16, chordProgram: 64, bassProgram: 7,
    beatsPerBar: 4, subdivisions: 2, bpm: 132, swing: 0.5, voicingLowMidi: 41,
    progression: [ch(9, 'maj'), ch(2, 'maj', 1), ch(4, 'maj'), ch(6, 'min', 2)],
    barsPerChord: 1,
    sections: [sec(2, 'none'), sec(16, 'backbeat')],
    seed: 311,
  },
  {
    name: 'h5-swing-fast-fm',
    soundfont: F.lite, drums: fm, kit: 0, chordProgram: 10, bassProgram: 104,
    beatsPerBar: 4, subdivisions: 2, bpm: 168, swing: 0.58, voicingLowMidi: 44,
    progression: [ch(3, 'maj7'), ch(0, '7', 1), ch(5, 'min7'), ch(10, '7', 3)],
    barsPerChord: 1,
    sections: [sec(4, 'none'), sec(24, 'swingRide')],
    seed: 312,
  },
  // Slow grooves with drums, added with the corpus's own (tools/corpus/slowSongs.ts): R&B under sixteenth hats, boom
  // bap, a ballad, on kits and instruments of this set.
  {
    name: 'h5-slow-rnb-pearl',
    soundfont: F.lite, drums: pearl, kit: 0, chordProgram: 10, bassProgram: 7,
    beatsPerBar: 4, subdivisions: 4, bpm: 72, swing: 0.5, voicingLowMidi: 44,
    progression: [ch(5, 'min7'), ch(10, '7', 1), ch(3, 'maj7'), ch(0, 'min7', 2)],
    barsPerChord: 1,
    sections: [sec(2, 'none', true, true, 0.6), sec(14, 'backbeat', true, true, 0.8)],
    seed: 315,
  },
  {
    name: 'h5-slow-boombap-fm',
    soundfont: F.mono, drums: fm, voices: { bass: 'pulse' }, kit: 0, chordProgram: 64, bassProgram: 7,
    beatsPerBar: 4, subdivisions: 2, bpm: 88, swing: 0.58, voicingLowMidi: 42,
    progression: [ch(9, 'min'), ch(5, 'maj7', 1), ch(0, 'maj'), ch(7, '7')],
    barsPerChord: 1,
    sections: [sec(2, 'none', true, true, 0.6), sec(18, 'boomBap', true, true, 0.85)],
    seed: 316,
  },
  {
    name: 'h5-slow-ballad-zeppelin',
    soundfont: F.musescore, drums: zeppelin, voices: { chords: 'organ' }, kit: 0, chordProgram: 10, bassProgram: 6,
    beatsPerBar: 4, subdivisions: 2, bpm: 66, swing: 0.5, voicingLowMidi: 43,
    progression: [ch(1, 'maj'), ch(10, 'min', 1), ch(6, 'maj7'), ch(8, '7', 2)],
    barsPerChord: 1,
    sections: [sec(2, 'none', true, true, 0.6), sec(12, 'backbeat', true, true, 0.75)],
    seed: 317,
  },
];

const MIX_A: SongSpec = {
  name: 'h5-club-a', soundfont: F.mono, drums: fmTape, voices: { bass: 'pulse', chords: 'organ' }, kit: 0, chordProgram: 10, bassProgram: 19,
  beatsPerBar: 4, subdivisions: 2, bpm: 123, swing: 0.5, voicingLowMidi: 43,
  progression: [ch(11, 'min7'), ch(4, '7', 1), ch(9, 'maj7'), ch(2, 'maj7', 2)], barsPerChord: 2,
  sections: [sec(16, 'fourFloor', true, true, 0.9)], seed: 313,
};
const MIX_B: SongSpec = {
  name: 'h5-club-b', soundfont: F.lite, drums: zeppelin, kit: 0, chordProgram: 10, bassProgram: 19,
  beatsPerBar: 4, subdivisions: 2, bpm: 118, swing: 0.5, voicingLowMidi: 41,
  progression: [ch(7, 'min7'), ch(0, '7'), ch(5, 'maj7', 1), ch(10, 'maj', 2)], barsPerChord: 2,
  sections: [sec(16, 'fourFloor', true, true, 0.9)], seed: 314,
};

export const HOLDOUT5: CorpusSet = {
  label: 'holdout 5',
  songs: HOLDOUT5_SONGS,
  variantOf: [
    ['h5-pop-fm', 'eq'],
    ['h5-waltz-museRoom', 'noise'],
    ['h5-six8-pearl', 'room'],
    ['h5-edm-drop-fm', 'comp'],
    ['h5-dnb808-timgmLite', 'room'],
    ['h5-slow-ballad-zeppelin', 'eq'],
  ],
  mix: { name: 'h5-club-mix-123-118', a: MIX_A, b: MIX_B, atS: 21, fadeS: 8 },
};
