/**
 * Corpus rows: songs whose drums are our own drum machines (tools/corpus/drumMachine.ts), so that tuning hears machine kits beside the fonts' sampled ones. Part of the corpus the analysis is tuned on (tools/corpus/corpus.ts).
 * Each machine here ('punch', 'sub', 'lofi', 'click') plays kinds of the corpus (backbeat, half-time DnB, four on the
 * floor with a drop, swing, waltz) with drumless intros or breaks; the instruments come from the corpus's fonts.
 * Names start with 'mach-' so that `--song` and the cache never take them for another set's.
 */
import { ch, sec, SOUNDFONTS, type CorpusRows } from './songs.js';

const punch = { machine: 'punch' } as const;
const sub = { machine: 'sub' } as const;
const lofi = { machine: 'lofi' } as const;
const click = { machine: 'click' } as const;

export const MACHINE_SONGS: CorpusRows = {
  songs: [
    {
      name: 'mach-pop-punch',
      soundfont: SOUNDFONTS.fluid, drums: punch, kit: 0, chordProgram: 29, bassProgram: 33,
      beatsPerBar: 4, subdivisions: 2, bpm: 102, swing: 0.5, voicingLowMidi: 43,
      progression: [ch(9, 'min'), ch(5, 'maj', 1), ch(0, 'maj'), ch(7, '7', 2)],
      barsPerChord: 1,
      sections: [sec(2, 'none'), sec(8, 'backbeat'), sec(2, 'none', true, true, 0.6), sec(8, 'backbeat', true, true, 0.9)],
      seed: 401,
    },
    {
      name: 'mach-dnb-sub',
      soundfont: SOUNDFONTS.musescore, drums: sub, kit: 0, chordProgram: 91, bassProgram: 38,
      beatsPerBar: 4, subdivisions: 2, bpm: 174, swing: 0.5, voicingLowMidi: 45,
      progression: [ch(2, 'min'), ch(10, 'maj', 1), ch(5, 'maj'), ch(0, 'min7', 2)],
      barsPerChord: 2,
      sections: [sec(4, 'none', true, true, 0.6), sec(4, 'offbeatHats', true, true, 0.7), sec(20, 'halftime', true, true, 0.9)],
      seed: 402,
    },
    {
      name: 'mach-house-lofi',
      soundfont: SOUNDFONTS.timgm, drums: lofi, kit: 0, chordProgram: 62, bassProgram: 39,
      beatsPerBar: 4, subdivisions: 2, bpm: 123, swing: 0.5, voicingLowMidi: 44,
      progression: [ch(7, 'min'), ch(3, 'maj', 2), ch(10, 'maj'), ch(5, 'maj', 1)],
      barsPerChord: 1,
      sections: [sec(4, 'none', true, true, 0.6), sec(6, 'offbeatHats', true, true, 0.7), sec(4, 'none', true, false, 0.5), sec(12, 'fourFloor', true, true, 1, true)],
      seed: 403,
    },
    {
      name: 'mach-swing-click',
      soundfont: SOUNDFONTS.musescore, drums: click, kit: 0, chordProgram: 16, bassProgram: 32,
      beatsPerBar: 4, subdivisions: 2, bpm: 138, swing: 0.62, voicingLowMidi: 44,
      progression: [ch(3, 'maj7'), ch(0, 'min7', 1), ch(5, 'min7'), ch(10, '7', 3)],
      barsPerChord: 1,
      sections: [sec(4, 'none'), sec(16, 'swingRide')],
      seed: 404,
    },
    {
      name: 'mach-waltz-punch',
      soundfont: SOUNDFONTS.timgm, drums: punch, kit: 0, chordProgram: 52, bassProgram: 34,
      beatsPerBar: 3, subdivisions: 2, bpm: 144, swing: 0.5, voicingLowMidi: 43,
      progression: [ch(4, 'min'), ch(9, 'min', 1), ch(11, '7'), ch(4, 'min', 2), ch(0, 'maj'), ch(11, '7', 1)],
      barsPerChord: 2,
      sections: [sec(4, 'none'), sec(20, 'waltz')],
      seed: 405,
    },
    {
      name: 'mach-edm-sub',
      soundfont: SOUNDFONTS.fluid, drums: sub, kit: 0, chordProgram: 90, bassProgram: 81,
      beatsPerBar: 4, subdivisions: 2, bpm: 128, swing: 0.5, voicingLowMidi: 45,
      progression: [ch(1, 'min'), ch(6, 'min', 1), ch(9, 'maj'), ch(8, 'maj', 2)],
      barsPerChord: 1,
      sections: [sec(8, 'offbeatHats', true, false, 0.6), sec(4, 'none', true, false, 0.45), sec(12, 'fourFloor', true, true, 1, true)],
      seed: 406,
    },
    {
      name: 'mach-pop-lofi',
      soundfont: SOUNDFONTS.musescore, drums: lofi, kit: 0, chordProgram: 5, bassProgram: 35,
      beatsPerBar: 4, subdivisions: 2, bpm: 92, swing: 0.5, voicingLowMidi: 42,
      progression: [ch(11, 'min'), ch(7, 'maj', 1), ch(2, 'maj'), ch(9, '7', 2)],
      barsPerChord: 2,
      sections: [sec(2, 'none'), sec(14, 'backbeat')],
      seed: 407,
    },
  ],
  variantOf: [
    ['mach-dnb-sub', 'room'],
    ['mach-pop-punch', 'noise'],
  ],
};
