/**
 * Corpus rows: slow grooves with drums, 62–90 BPM (R&B, a ballad, hip-hop's boom bap on a room kit and on the
 * TR-808). At these tempi the hats' eighths or sixteenths hit as often as the beat of a fast song, so the tempo's
 * octave is the question. Part of the corpus the analysis is tuned on (tools/corpus/corpus.ts).
 */
import { ch, sec, SOUNDFONTS, type CorpusRows } from './songs.js';

export const SLOW_SONGS: CorpusRows = {
  songs: [
    // R&B at 68 BPM: a backbeat under sixteenth hats, an electric piano's seventh chords.
    {
      name: 'slow-rnb-fluid',
      soundfont: SOUNDFONTS.fluid, kit: 0, chordProgram: 4, bassProgram: 33,
      beatsPerBar: 4, subdivisions: 4, bpm: 68, swing: 0.5, voicingLowMidi: 45,
      progression: [ch(9, 'min7'), ch(2, '7', 1), ch(7, 'maj7'), ch(4, 'min7', 2)],
      barsPerChord: 1,
      sections: [sec(2, 'none', true, true, 0.6), sec(16, 'backbeat', true, true, 0.8)],
      seed: 461,
    },
    // Boom bap at 90 BPM on the room kit, the eighth hats lightly swung, a piano.
    {
      name: 'slow-boombap-musescore',
      soundfont: SOUNDFONTS.musescore, kit: 8, chordProgram: 0, bassProgram: 33,
      beatsPerBar: 4, subdivisions: 2, bpm: 90, swing: 0.6, voicingLowMidi: 43,
      progression: [ch(2, 'min'), ch(10, 'maj7'), ch(5, 'maj', 1), ch(0, '7', 1)],
      barsPerChord: 2,
      sections: [sec(2, 'none', true, true, 0.6), sec(20, 'boomBap', true, true, 0.85)],
      seed: 462,
    },
    // A ballad at 62 BPM: piano and a backbeat with quiet eighth hats after two drumless bars.
    {
      name: 'slow-ballad-timgm',
      soundfont: SOUNDFONTS.timgm, kit: 0, chordProgram: 0, bassProgram: 32,
      beatsPerBar: 4, subdivisions: 2, bpm: 62, swing: 0.5, voicingLowMidi: 40,
      progression: [ch(3, 'maj'), ch(0, 'min', 1), ch(8, 'maj7'), ch(10, '7', 2)],
      barsPerChord: 1,
      sections: [sec(2, 'none', true, true, 0.6), sec(16, 'backbeat', true, true, 0.75)],
      seed: 463,
    },
    // Boom bap at 82 BPM on the TR-808 kit with sixteenth hats, a pad and a synth bass. The tracker reads it at 164:
    // sixteenth hats over a groove at 75–92 BPM are taken for half-time drum & bass's eighths (hatsPulse.ts).
    {
      name: 'slow-boombap808-fluid',
      soundfont: SOUNDFONTS.fluid, kit: 25, chordProgram: 89, bassProgram: 38,
      beatsPerBar: 4, subdivisions: 4, bpm: 82, swing: 0.5, voicingLowMidi: 44,
      progression: [ch(11, 'min'), ch(7, 'maj', 2), ch(2, 'maj'), ch(6, '7', 1)],
      barsPerChord: 2,
      sections: [sec(2, 'none', true, true, 0.6), sec(20, 'boomBap', true, true, 0.85)],
      seed: 464,
    },
  ],
  variantOf: [
    ['slow-ballad-timgm', 'room'],
    ['slow-boombap-musescore', 'comp'],
  ],
};
