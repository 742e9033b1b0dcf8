/**
 * Corpus rows: songs that test the meter and tempo where drums are thin or misleading (click-less kicks, half-time, broken beats, hats alone). Part of the corpus the analysis is tuned on (tools/corpus/corpus.ts).
 */
import { ch, sec, SOUNDFONTS, type CorpusRows } from './songs.js';

export const GROOVE_SONGS: CorpusRows = {
  songs: [
    // Half-time DnB on the TR-808 kit: the kick is a long low sweep with little click, under a loud bass, so the
    // strongest pulse is the snare's half tempo and the bar's start is easy to put on the snare.
    {
      name: 'groove-dnb808-timgm',
      soundfont: SOUNDFONTS.timgm, kit: 25, chordProgram: 90, bassProgram: 39,
      beatsPerBar: 4, subdivisions: 2, bpm: 172, swing: 0.5, voicingLowMidi: 45,
      progression: [ch(6, 'min'), ch(2, 'maj', 1), ch(9, 'maj'), ch(4, '7', 2)],
      barsPerChord: 2,
      sections: [sec(4, 'offbeatHats', true, false, 0.6), sec(26, 'halftime', true, true, 0.8)],
      bassVelocity: 0.95,
      seed: 441,
    },
    // Half-time DnB on the electronic kit at the top of the style's range, behind a long hats-only intro.
    {
      name: 'groove-dnb-electro-musescore',
      soundfont: SOUNDFONTS.musescore, kit: 24, chordProgram: 88, bassProgram: 38,
      beatsPerBar: 4, subdivisions: 2, bpm: 175, swing: 0.5, voicingLowMidi: 46,
      progression: [ch(8, 'min'), ch(4, 'maj7', 1), ch(11, 'maj'), ch(1, 'min7')],
      barsPerChord: 2,
      sections: [sec(8, 'offbeatHats', true, false, 0.65), sec(24, 'halftime', true, true, 0.85)],
      seed: 442,
    },
    // Fast triplet swing on the room kit: the swung eighth and the 2-and-4 pedal make the half tempo look strong.
    {
      name: 'groove-swing-room-timgm',
      soundfont: SOUNDFONTS.timgm, kit: 8, chordProgram: 0, bassProgram: 32,
      beatsPerBar: 4, subdivisions: 2, bpm: 168, swing: 0.667, voicingLowMidi: 44,
      progression: [ch(8, 'maj7', 1), ch(1, '7'), ch(6, 'min7', 2), ch(11, 'maj')],
      barsPerChord: 1,
      sections: [sec(4, 'none', true, true, 0.65), sec(28, 'swingRide', true, true, 0.85)],
      seed: 443,
    },
    // Pop with a long drumless intro (chords and bass only), then drums: no beats before the evidence, and the
    // bar must be found when the kit comes in; a two-bar break before the drop.
    {
      name: 'groove-pop-intro-fluid',
      soundfont: SOUNDFONTS.fluid, kit: 16, chordProgram: 4, bassProgram: 34,
      beatsPerBar: 4, subdivisions: 2, bpm: 108, swing: 0.5, voicingLowMidi: 43,
      progression: [ch(2, 'maj'), ch(11, 'min', 2), ch(7, 'maj', 1), ch(9, '7')],
      barsPerChord: 1,
      sections: [sec(6, 'none', true, true, 0.6), sec(8, 'backbeat', true, true, 0.85), sec(2, 'none', true, false, 0.5), sec(8, 'backbeat', true, true, 1, true)],
      seed: 444,
    },
    // A fast 3/4 on the electronic kit: at 180 BPM the bar (3 beats) is as long as two beats of a slow 4/4.
    {
      name: 'groove-waltz-fast-musescore',
      soundfont: SOUNDFONTS.musescore, kit: 24, chordProgram: 5, bassProgram: 33,
      beatsPerBar: 3, subdivisions: 2, bpm: 180, swing: 0.5, voicingLowMidi: 42,
      progression: [ch(10, 'maj'), ch(7, 'min', 1), ch(3, 'maj7'), ch(5, '7', 1)],
      barsPerChord: 2,
      sections: [sec(4, 'none', true, true, 0.6), sec(32, 'waltz', true, true, 0.8)],
      seed: 445,
    },
    // A tempo ramp over a wide range on the TR-808 kit: the beat period moves by a third over the song.
    {
      name: 'groove-ramp808-fluid',
      soundfont: SOUNDFONTS.fluid, kit: 25, chordProgram: 26, bassProgram: 33,
      beatsPerBar: 4, subdivisions: 2, bpm: [112, 146], swing: 0.5, voicingLowMidi: 44,
      progression: [ch(1, 'maj'), ch(10, 'min', 2), ch(6, 'maj7'), ch(8, '7', 1)],
      barsPerChord: 1,
      sections: [sec(2, 'none', true, true, 0.6), sec(28, 'backbeat', true, true, 0.85)],
      seed: 446,
    },
    // Half-time DnB on our 'boom' drum machine (tools/corpus/drumMachine.ts): a long, click-less low kick that
    // reads as a bass note more than a kick, behind an off-beat hats intro; with pink noise as a variant.
    {
      name: 'groove-dnb-boom-fluid',
      soundfont: SOUNDFONTS.fluid, drums: { machine: 'boom' }, kit: 0, chordProgram: 89, bassProgram: 38,
      beatsPerBar: 4, subdivisions: 2, bpm: 170, swing: 0.5, voicingLowMidi: 45,
      progression: [ch(5, 'min'), ch(1, 'maj', 2), ch(3, 'maj'), ch(0, '7', 1)],
      barsPerChord: 2,
      sections: [sec(8, 'offbeatHats', true, false, 0.6), sec(24, 'halftime', true, true, 0.85)],
      seed: 447,
    },
  ],
  variantOf: [
    ['groove-dnb-boom-fluid', 'noise'],
    ['groove-pop-intro-fluid', 'room'],
  ],
};
