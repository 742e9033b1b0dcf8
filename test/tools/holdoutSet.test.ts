/**
 * The holdout tables on their own (no rendering): their rows make valid scores, stay short, cover the corpus's kinds
 * with other material, and no name can be taken for a corpus one (rendered files are keyed by name in one cache).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { CORPUS, SOUNDFONTS, type CorpusSet } from '../../tools/corpus/corpus.js';
import { HOLDOUT, HOLDOUT_PREFIX } from '../../tools/corpus/holdout.js';
import { HOLDOUT2, HOLDOUT2_PREFIX, HOLDOUT2_SOUNDFONTS } from '../../tools/corpus/holdout2.js';
import { HOLDOUT3, HOLDOUT3_PREFIX, HOLDOUT3_SOUNDFONTS } from '../../tools/corpus/holdout3.js';
import { HOLDOUT4, HOLDOUT4_BASS_PROGRAMS, HOLDOUT4_CHORD_PROGRAMS, HOLDOUT4_PREFIX } from '../../tools/corpus/holdout4.js';
import { HOLDOUT5, HOLDOUT5_PREFIX } from '../../tools/corpus/holdout5.js';
import { BASS_VOICES, CHORD_VOICES, SYNTH_KITS } from '../../tools/corpus/synthVoices.js';
import { BASS_PROGRAMS, BASS_PROGRAMS_2, CHORD_PROGRAMS, CHORD_PROGRAMS_2 } from '../../tools/chordnet/trainSongs.js';
import { SLOW_SONGS } from '../../tools/corpus/slowSongs.js';
import { checkSoundfonts, scoreSong, type SongSpec } from '../../tools/corpus/songs.js';

const GM_KITS = [0, 8, 16, 24, 25, 32];
const tracks = (set: CorpusSet): SongSpec[] => [...set.songs, set.mix.a, set.mix.b];
const names = (set: CorpusSet): string[] => [...tracks(set).map((s) => s.name), ...set.variantOf.map(([s, v]) => `${s}+${v}`), set.mix.name];

const ALL_FONTS = [...Object.values(SOUNDFONTS), ...Object.values(HOLDOUT2_SOUNDFONTS), ...Object.values(HOLDOUT3_SOUNDFONTS)];
const SETS: Array<[CorpusSet, string, readonly string[]]> = [
  [HOLDOUT, HOLDOUT_PREFIX, Object.values(SOUNDFONTS)],
  [HOLDOUT2, HOLDOUT2_PREFIX, Object.values(HOLDOUT2_SOUNDFONTS)],
  [HOLDOUT3, HOLDOUT3_PREFIX, Object.values(HOLDOUT3_SOUNDFONTS)],
  [HOLDOUT4, HOLDOUT4_PREFIX, ALL_FONTS],
  [HOLDOUT5, HOLDOUT5_PREFIX, ALL_FONTS],
];
/** The synthesised voices and kits of the fourth holdout set; the others are the fifth's. */
const HOLDOUT4_SYNTH = ['acid', 'fmBass', 'reese', 'fmPiano', 'sawPad', 'pluck', 'modal', 'crushed'];
const synthPlayed = (s: SongSpec): string[] => [s.voices?.bass, s.voices?.chords, s.drums?.synthKit].filter((x): x is NonNullable<typeof x> => !!x);

test('holdout names carry their prefix, are unique, and share nothing with the corpus or each other (not even as a substring)', () => {
  for (const [set, prefix] of SETS) {
    const ho = names(set);
    assert.equal(new Set(ho).size, ho.length);
    for (const n of ho) assert.ok(n.startsWith(prefix), n);
    const others = [CORPUS, ...SETS.map(([s]) => s).filter((s) => s !== set)].flatMap(names);
    for (const c of others) {
      assert.ok(!c.startsWith(prefix), c);
      // `--song` and the cache select by substring: a corpus name inside a holdout one would mix the sets.
      for (const h of ho) assert.ok(!h.includes(c) && !c.includes(h), `${h} / ${c}`);
    }
  }
});

test('every holdout row is playable: known soundfont and kit, GM programs, chords from E2 up, variants of its own songs', () => {
  for (const [set, , fonts] of SETS) {
    for (const s of tracks(set)) {
      for (const f of [s.soundfont, s.drums?.soundfont ?? s.soundfont]) assert.ok(fonts.includes(f), `${s.name}: ${f}`);
      assert.ok(s.drums?.singleKit || GM_KITS.includes(s.kit), `${s.name}: kit ${s.kit}`);
      for (const p of [s.chordProgram, s.bassProgram]) assert.ok(Number.isInteger(p) && p >= 0 && p < 128, `${s.name}: program ${p}`);
      assert.ok(s.voicingLowMidi >= 40, `${s.name}: voicing floor ${s.voicingLowMidi}`);
      assert.ok(s.progression.length > 0 && s.sections.length > 0, s.name);
    }
    for (const [song] of set.variantOf) assert.ok(set.songs.some((s) => s.name === song), song);
  }
});

test('holdout scores are sane and short: one beat per counted beat, every song at most 60 s, the mix fits its tracks', () => {
  for (const [set] of SETS) {
  for (const s of tracks(set)) {
    const { truth } = scoreSong(s);
    const bars = s.sections.reduce((a, x) => a + x.bars, 0);
    assert.equal(truth.beats.length, bars * s.beatsPerBar, s.name);
    assert.equal(truth.downbeats.length, bars, s.name);
    assert.ok(truth.durationS <= 60, `${s.name}: ${truth.durationS.toFixed(1)} s`);
    assert.equal(truth.ambient, s.sections.every((x) => x.drums === 'none'), s.name);
    if (!truth.ambient) assert.ok(truth.kick.length > 0 && truth.snare.length > 0, s.name);
    // A tempo the analysis does not search for would score its range, not how well the corpus figures carry over.
    const [lo, hi] = analysisConfigSchema.parse({}).tempoRangeBpm;
    for (const bpm of typeof s.bpm === 'number' ? [s.bpm] : s.bpm) assert.ok(truth.ambient || (bpm >= lo && bpm <= hi), `${s.name}: ${bpm} BPM`);
  }
  const { atS, fadeS, a, b } = set.mix;
  assert.ok(scoreSong(a).truth.durationS >= atS + fadeS, 'track A lasts through the fade');
  assert.ok(atS + scoreSong(b).truth.durationS <= 60, 'the mix is at most 60 s');
  assert.notEqual(a.bpm, b.bpm, 'the mix crosses between tempi');
  }
});

test('the holdout covers the corpus kinds with other material', () => {
  const kinds = (set: CorpusSet): Set<string> => {
    const k = new Set<string>();
    for (const s of set.songs) {
      k.add(`meter ${s.beatsPerBar}/${s.subdivisions}`);
      if (typeof s.bpm !== 'number') k.add('ramp');
      if (s.swing > 0.5) k.add('swing');
      if (s.sections.every((x) => x.drums === 'none')) k.add('ambient');
      if (s.sections[0]!.drums === 'none') k.add('drumless intro');
      if (s.sections.some((x) => x.drop)) k.add('drop');
      for (const x of s.sections) k.add(x.drums);
    }
    for (const [, v] of set.variantOf) k.add(`variant ${v}`);
    return k;
  };
  const key = (s: SongSpec): string => `${s.soundfont}|${s.drums?.soundfont ?? ''}|${s.kit}|${s.chordProgram}`;
  const prog = (s: SongSpec): string => JSON.stringify(s.progression);
  // The slow grooves came after the first four sets were made: those cover the corpus as it was then.
  const before5: CorpusSet = { ...CORPUS, songs: CORPUS.songs.filter((s) => !SLOW_SONGS.songs.includes(s)) };
  for (const [set] of SETS) {
    assert.deepEqual([...kinds(set === HOLDOUT5 ? CORPUS : before5)].filter((k) => !kinds(set).has(k)), [], set.label);
    // Other material: no seed, progression or (soundfont, kit, chord program) combination of an earlier set comes back.
    const earlier = [CORPUS, ...SETS.map(([s]) => s).slice(0, SETS.findIndex(([s]) => s === set))];
    for (const h of tracks(set)) {
      for (const c of earlier.flatMap(tracks)) {
        assert.notEqual(h.seed, c.seed, `${h.name} / ${c.name}: seed`);
        assert.notEqual(prog(h), prog(c), `${h.name} / ${c.name}: progression`);
        assert.notEqual(key(h), key(c), `${h.name} / ${c.name}: soundfont, kit and chord program`);
      }
    }
  }
  // The soundfont of each kind moves: no holdout song renders its kind with the corpus song's soundfont.
  const kindOf = (name: string): string => name.replace(HOLDOUT_PREFIX, '').split('-')[0]!;
  for (const h of HOLDOUT.songs) {
    const c = CORPUS.songs.find((s) => kindOf(s.name) === kindOf(h.name));
    assert.ok(c, `${h.name}: a corpus song of its kind`);
    assert.notEqual(h.soundfont, c.soundfont, `${h.name} / ${c.name}: soundfont`);
  }
});

test('the second holdout plays its drums from fonts no earlier set uses, its chords on programs neither the earlier sets nor the chord network heard, its basses on programs the network did not hear', () => {
  const earlierFonts = new Set([CORPUS, HOLDOUT].flatMap(tracks).flatMap((s) => [s.soundfont, s.drums?.soundfont ?? s.soundfont]));
  const earlierChords = new Set([...[CORPUS, HOLDOUT].flatMap(tracks).map((s) => s.chordProgram), ...CHORD_PROGRAMS, ...CHORD_PROGRAMS_2]);
  const trainedBasses = new Set([...BASS_PROGRAMS, ...BASS_PROGRAMS_2]);
  for (const s of tracks(HOLDOUT2)) {
    assert.ok(!earlierFonts.has(s.drums?.soundfont ?? s.soundfont), `${s.name}: drums from ${s.drums?.soundfont ?? s.soundfont}`);
    assert.ok(!earlierChords.has(s.chordProgram), `${s.name}: chord program ${s.chordProgram}`);
    assert.ok(!trainedBasses.has(s.bassProgram), `${s.name}: bass program ${s.bassProgram}`);
  }
});

test('the third holdout plays instruments from a font no earlier set uses, chords on programs no earlier set or the chord network heard, basses the network did not hear, drums from kits no earlier set plays or our drum machines', () => {
  const earlier = [CORPUS, HOLDOUT, HOLDOUT2].flatMap(tracks);
  const earlierFonts = new Set(earlier.flatMap((s) => [s.soundfont, s.drums?.soundfont ?? s.soundfont]));
  const earlierChords = new Set([...earlier.map((s) => s.chordProgram), ...CHORD_PROGRAMS, ...CHORD_PROGRAMS_2]);
  const trainedBasses = new Set([...BASS_PROGRAMS, ...BASS_PROGRAMS_2]);
  const machines = new Set<string>();
  for (const s of tracks(HOLDOUT3)) {
    assert.ok(!earlierFonts.has(s.soundfont), `${s.name}: instruments from ${s.soundfont}`);
    assert.ok(!earlierChords.has(s.chordProgram), `${s.name}: chord program ${s.chordProgram}`);
    assert.ok(!trainedBasses.has(s.bassProgram), `${s.name}: bass program ${s.bassProgram}`);
    if (typeof s.drums?.machine === 'string') machines.add(s.drums.machine);
    else assert.ok(!earlierFonts.has(s.drums?.soundfont ?? s.soundfont), `${s.name}: drums`);
  }
  assert.deepEqual([...machines].sort(), ['boom', 'tight'], 'both drum machines play');
});

test('the fourth holdout plays chords and basses on programs nothing else uses, or on voices and a kit synthesised here; every voice and both kits play', () => {
  const others = [CORPUS, HOLDOUT, HOLDOUT2, HOLDOUT3].flatMap(tracks);
  const trained = new Set([...CHORD_PROGRAMS, ...CHORD_PROGRAMS_2, ...BASS_PROGRAMS, ...BASS_PROGRAMS_2]);
  for (const p of [...HOLDOUT4_CHORD_PROGRAMS, ...HOLDOUT4_BASS_PROGRAMS]) {
    for (const s of others) assert.ok(s.chordProgram !== p && s.bassProgram !== p, `${s.name} plays program ${p}, which only the fourth holdout may`);
  }
  for (const p of HOLDOUT4_CHORD_PROGRAMS) assert.ok(!trained.has(p), `chord program ${p} is in the chord network's training`);
  for (const s of others) assert.ok(!s.voices && !s.drums?.synthKit, `${s.name} plays the fourth holdout's synthesised voices or kit`);
  const played = new Set<string>();
  for (const s of tracks(HOLDOUT4)) {
    if (!s.voices?.chords) assert.ok(HOLDOUT4_CHORD_PROGRAMS.includes(s.chordProgram), `${s.name}: chord program ${s.chordProgram}`);
    if (!s.voices?.bass) assert.ok(HOLDOUT4_BASS_PROGRAMS.includes(s.bassProgram), `${s.name}: bass program ${s.bassProgram}`);
    for (const x of synthPlayed(s)) played.add(x);
  }
  assert.deepEqual([...played].sort(), [...HOLDOUT4_SYNTH].sort());
});

test('the fifth holdout plays chords and basses on the fourth set\'s programs (no network trained on them) or on voices synthesised here, drums on the phase-modulated kit on several tracks; its own voices and kits play in no other set', () => {
  for (const s of tracks(HOLDOUT5)) {
    if (!s.voices?.chords) assert.ok(HOLDOUT4_CHORD_PROGRAMS.includes(s.chordProgram), `${s.name}: chord program ${s.chordProgram}`);
    if (!s.voices?.bass) assert.ok(HOLDOUT4_BASS_PROGRAMS.includes(s.bassProgram), `${s.name}: bass program ${s.bassProgram}`);
  }
  const own: string[] = [...BASS_VOICES, ...CHORD_VOICES, ...SYNTH_KITS].filter((x) => !HOLDOUT4_SYNTH.includes(x));
  assert.deepEqual([...new Set(tracks(HOLDOUT5).flatMap(synthPlayed).filter((x) => own.includes(x)))].sort(), [...own].sort(), 'every voice and kit of its own plays');
  for (const s of [CORPUS, HOLDOUT, HOLDOUT2, HOLDOUT3, HOLDOUT4].flatMap(tracks)) {
    for (const x of synthPlayed(s)) assert.ok(!own.includes(x), `${s.name} plays the fifth holdout's ${x}`);
  }
  const fmTracks = tracks(HOLDOUT5).filter((s) => s.drums?.synthKit === 'fm' || s.drums?.synthKit === 'fmTape');
  assert.ok(fmTracks.length >= 4, `${fmTracks.length} tracks on the phase-modulated kit`);
});

test('a set whose soundfont is not installed is refused by song, file and Debian package, and every font a set plays has its package named', () => {
  const installed = (missing: string) => (path: string): boolean => path !== missing;
  const song = [CORPUS, HOLDOUT2].flatMap(tracks).find((s) => s.drums?.soundfont)!;
  assert.doesNotThrow(() => checkSoundfonts(song, () => true));
  assert.throws(() => checkSoundfonts(song, installed(song.drums!.soundfont!)), new RegExp(`${song.name}: soundfont .*${song.drums!.soundfont!.split('/').pop()} is not installed \\(apt-get install [a-z]`));
  for (const s of [CORPUS, HOLDOUT, HOLDOUT2, HOLDOUT3, HOLDOUT4, HOLDOUT5].flatMap(tracks)) {
    for (const f of [s.soundfont, s.drums?.soundfont].filter((x): x is string => !!x)) {
      assert.throws(() => checkSoundfonts({ ...s, drums: undefined, soundfont: f }, () => false), /apt-get install [a-z0-9.-]+-soundfont/, `${s.name}: ${f}`);
    }
  }
});
