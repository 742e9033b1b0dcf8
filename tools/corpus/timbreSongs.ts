/**
 * Corpus rows: songs whose bass and chords sound on timbres the rest of the corpus does not use (plucked, bowed, blown, keyed and synthetic basses). Part of the corpus the analysis is tuned on (tools/corpus/corpus.ts).
 * The bass lines sit on programs outside the bass guitars and synth basses (GM 32–39), and none of them, nor the
 * chord programs, is one the chord net's second-kind training songs play (tools/chordnet/trainSongs.ts): a piano's, an organ's or a
 * saw lead's low notes carry strong upper harmonics over a weak fundamental, bowed and blown ones swell in slowly,
 * and drum machines whose kicks are long low sines put a pitched note under every kick.
 */
import { ch, sec, SOUNDFONTS, type CorpusRows } from './songs.js';

export const TIMBRE_SONGS: CorpusRows = {
  songs: [
    {
      name: 'tb-pop-piano-fluid',
      soundfont: SOUNDFONTS.fluid, kit: 0, chordProgram: 26, bassProgram: 0,
      beatsPerBar: 4, subdivisions: 2, bpm: 112, swing: 0.5, voicingLowMidi: 43,
      progression: [ch(4, 'min'), ch(0, 'maj', 1), ch(7, 'maj'), ch(2, '7', 2)],
      barsPerChord: 1,
      sections: [sec(2, 'none'), sec(10, 'backbeat', true, true, 0.85), sec(2, 'none', true, false, 0.5), sec(8, 'backbeat', true, true, 1, true)],
      seed: 421,
    },
    {
      name: 'tb-waltz-nylon-musescore',
      soundfont: SOUNDFONTS.musescore, kit: 32, chordProgram: 48, bassProgram: 24,
      beatsPerBar: 3, subdivisions: 2, bpm: 120, swing: 0.5, voicingLowMidi: 44,
      progression: [ch(3, 'maj'), ch(10, '7', 1), ch(0, 'min'), ch(8, 'maj7')],
      barsPerChord: 2,
      sections: [sec(2, 'none'), sec(24, 'waltz', true, true, 0.8)],
      seed: 422,
    },
    {
      name: 'tb-swing-upright-timgm',
      soundfont: SOUNDFONTS.timgm, kit: 32, chordProgram: 5, bassProgram: 43,
      beatsPerBar: 4, subdivisions: 2, bpm: 116, swing: 0.64, voicingLowMidi: 42,
      progression: [ch(7, 'maj7'), ch(4, 'min7', 1), ch(9, 'min7'), ch(2, '7', 3)],
      barsPerChord: 1,
      sections: [sec(4, 'none', true, true, 0.65), sec(20, 'swingRide', true, true, 0.85)],
      seed: 423,
    },
    {
      name: 'tb-dnb-saw-boom',
      soundfont: SOUNDFONTS.fluid, kit: 25, chordProgram: 91, bassProgram: 81,
      beatsPerBar: 4, subdivisions: 2, bpm: 172, swing: 0.5, voicingLowMidi: 45,
      progression: [ch(11, 'min'), ch(7, 'maj7'), ch(2, 'maj', 1), ch(9, 'maj')],
      barsPerChord: 2,
      sections: [sec(6, 'offbeatHats', true, false, 0.7), sec(26, 'halftime', true, true, 0.9)],
      seed: 424,
      drums: { machine: 'boom' },
    },
    {
      name: 'tb-dnb-organ-boom',
      soundfont: SOUNDFONTS.musescore, kit: 25, chordProgram: 90, bassProgram: 16,
      beatsPerBar: 4, subdivisions: 2, bpm: 168, swing: 0.5, voicingLowMidi: 47,
      progression: [ch(6, 'min'), ch(2, 'maj'), ch(9, 'maj', 2), ch(4, '7')],
      barsPerChord: 2,
      sections: [sec(2, 'none', true, true, 0.6), sec(28, 'halftime', true, true, 0.85)],
      seed: 425,
      drums: { machine: 'boom' },
    },
    {
      name: 'tb-edm-brass-timgm',
      soundfont: SOUNDFONTS.timgm, kit: 24, chordProgram: 81, bassProgram: 62,
      beatsPerBar: 4, subdivisions: 2, bpm: 126, swing: 0.5, voicingLowMidi: 46,
      progression: [ch(1, 'min'), ch(9, 'maj'), ch(4, 'maj'), ch(11, 'maj', 1)],
      barsPerChord: 1,
      sections: [sec(6, 'offbeatHats', true, false, 0.6), sec(6, 'none', true, false, 0.45), sec(12, 'fourFloor', true, true, 1, true)],
      seed: 426,
    },
    {
      name: 'tb-ambient-strings-fluid',
      soundfont: SOUNDFONTS.fluid, kit: 0, chordProgram: 95, bassProgram: 48,
      beatsPerBar: 4, subdivisions: 2, bpm: 66, swing: 0.5, voicingLowMidi: 44,
      progression: [ch(8, 'maj7'), ch(3, 'maj', 1), ch(5, 'min7'), ch(10, '7', 2)],
      barsPerChord: 2,
      sections: [sec(14, 'none', true, true, 0.5)],
      seed: 427,
      chordVelocity: 0.4,
    },
    {
      name: 'tb-pop-tuba-musescore',
      soundfont: SOUNDFONTS.musescore, kit: 8, chordProgram: 4, bassProgram: 58,
      beatsPerBar: 4, subdivisions: 2, bpm: 100, swing: 0.5, voicingLowMidi: 41,
      progression: [ch(10, 'maj'), ch(5, 'maj', 2), ch(7, 'min7'), ch(3, 'maj7', 1)],
      barsPerChord: 1,
      sections: [sec(2, 'none', true, true, 0.6), sec(20, 'backbeat', true, true, 0.9)],
      seed: 428,
    },
  ],
  variantOf: [
    ['tb-dnb-saw-boom', 'noise'],
    ['tb-pop-piano-fluid', 'room'],
  ],
};
