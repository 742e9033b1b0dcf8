/**
 * The chord net's training songs on their own (no rendering): the second kinds share no seed, progression or GM
 * program with the evaluation corpus or the holdout set, and their comping patterns and drop-2 voicings make the
 * notes they say, while a song without them (every corpus song) keeps its held chords.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CORPUS, type CorpusSet } from '../../tools/corpus/corpus.js';
import { HOLDOUT } from '../../tools/corpus/holdout.js';
import { compPositions, scoreSong, voiceChordAs, type SongSpec } from '../../tools/corpus/songs.js';
import { FIRST_KINDS, MALLET_PROGRAMS, THIRD_KINDS, trainSong } from '../../tools/chordnet/trainSongs.js';
import { HOLDOUT2 } from '../../tools/corpus/holdout2.js';
import { HOLDOUT3 } from '../../tools/corpus/holdout3.js';
import { HOLDOUT4 } from '../../tools/corpus/holdout4.js';
import { HOLDOUT5 } from '../../tools/corpus/holdout5.js';
import { MALLET_VOICES } from '../../tools/corpus/malletVoices.js';

const tracks = (set: CorpusSet): SongSpec[] => [...set.songs, set.mix.a, set.mix.b];
const kept = [...tracks(CORPUS), ...tracks(HOLDOUT)];

test('second-kind training songs share no seed, progression or program with the corpus or the holdout set', () => {
  const programs = new Set(kept.flatMap((s) => [s.chordProgram, s.bassProgram]));
  const seeds = new Set(kept.map((s) => s.seed));
  const progs = new Set(kept.map((s) => JSON.stringify(s.progression)));
  const kinds = new Set<string>();
  for (let i = FIRST_KINDS; i < FIRST_KINDS + 100; i++) {
    const { spec } = trainSong(i);
    assert.ok(!programs.has(spec.chordProgram), `${spec.name}: chord program ${spec.chordProgram}`);
    assert.ok(!programs.has(spec.bassProgram), `${spec.name}: bass program ${spec.bassProgram}`);
    assert.ok(!seeds.has(spec.seed), `${spec.name}: seed ${spec.seed}`);
    assert.ok(!progs.has(JSON.stringify(spec.progression)), `${spec.name}: progression`);
    kinds.add(`comp ${spec.comp}`).add(`voicing ${spec.voicing}`).add(`meter ${spec.beatsPerBar}/${spec.subdivisions}`);
  }
  for (const k of ['comp beats', 'comp charleston', 'comp afterbeats', 'comp sustain', 'voicing drop2', 'meter 3/2', 'meter 2/3', 'meter 4/2']) assert.ok(kinds.has(k), k);
  // Deterministic in the index.
  assert.deepEqual(trainSong(FIRST_KINDS + 7), trainSong(FIRST_KINDS + 7));
});

test('third-kind training songs play chords on mallets and bells that no evaluation set plays, half on our '
  + 'voices', () => {
  const every = [CORPUS, HOLDOUT, HOLDOUT2, HOLDOUT3, HOLDOUT4, HOLDOUT5].flatMap(tracks);
  const chordPrograms = new Set(every.map((s) => s.chordProgram));
  const bassPrograms = new Set(every.map((s) => s.bassProgram));
  const seeds = new Set(every.map((s) => s.seed));
  const progs = new Set(every.map((s) => JSON.stringify(s.progression)));
  const trainingVoices: readonly string[] = MALLET_VOICES;
  for (const s of every) {
    assert.ok(!trainingVoices.includes(s.voices?.chords ?? ''), `${s.name} plays a training voice`);
  }
  const voices = new Set<string>();
  let synthesised = 0;
  // The committed weights train on songs up to 499.
  for (let i = THIRD_KINDS; i < 500; i++) {
    const { spec } = trainSong(i);
    assert.ok(MALLET_PROGRAMS.includes(spec.chordProgram), `${spec.name}: chord program ${spec.chordProgram}`);
    assert.ok(!chordPrograms.has(spec.chordProgram), `${spec.name}: chord program ${spec.chordProgram} is evaluated`);
    assert.ok(!bassPrograms.has(spec.bassProgram), `${spec.name}: bass program ${spec.bassProgram} is evaluated`);
    assert.ok(!seeds.has(spec.seed), `${spec.name}: seed ${spec.seed}`);
    assert.ok(!progs.has(JSON.stringify(spec.progression)), `${spec.name}: progression`);
    if (spec.voices?.chords) {
      synthesised++;
      voices.add(spec.voices.chords);
    }
  }
  assert.deepEqual([...voices].sort(), [...MALLET_VOICES].sort());
  assert.ok(synthesised >= 25 && synthesised <= 55, `${synthesised} of 80 on our voices`);
  assert.deepEqual(trainSong(THIRD_KINDS + 3), trainSong(THIRD_KINDS + 3));
  // The songs before the third kinds are the second kinds still (the bass net's training reads chord songs 0–399).
  assert.equal(trainSong(THIRD_KINDS - 1).spec.voices, undefined);
  assert.ok(THIRD_KINDS >= 400);
});

test('comping: strikes where the pattern says, each held to the next; held chords without a pattern', () => {
  const base: SongSpec = {
    name: 'comp-test', soundfont: 'x.sf2', kit: 0, chordProgram: 3, bassProgram: 42,
    beatsPerBar: 4, subdivisions: 2, bpm: 120, swing: 0.6, voicingLowMidi: 48,
    progression: [{ root: 0, quality: 'maj', inversion: 0 }, { root: 7, quality: '7', inversion: 0 }],
    barsPerChord: 2, sections: [{ bars: 4, drums: 'none', chords: true, bass: false, loud: 1 }], seed: 1,
  };
  const chordNotes = (s: SongSpec): Array<[number, number, number]> =>
    scoreSong(s).notes.filter((n) => n.channel === 0).map((n) => [n.startBeat, n.lengthBeats, n.note]);
  // Held: one strike per chord, three tones then four, held for two bars less a tenth of a beat.
  const held = chordNotes(base);
  assert.deepEqual([...new Set(held.map(([b]) => b))], [0, 8]);
  assert.equal(held.length, 7);
  assert.ok(held.every(([, len]) => Math.abs(len - 7.9) < 1e-9));
  // Charleston: beat 0 and the swung off-beat of beat 2 (1 + swing) in every bar; the strikes tile the chord.
  const ch = chordNotes({ ...base, comp: 'charleston' });
  assert.deepEqual([...new Set(ch.map(([b]) => b))], [0, 1.6, 4, 5.6, 8, 9.6, 12, 13.6]);
  const c0 = ch.filter(([b]) => b === 0);
  assert.ok(Math.abs(c0[0]![1] - 1.5) < 1e-9, `held to the next strike less 0.1: ${c0[0]![1]}`);
  // After-beats in 3/4: the chord's first bar on every beat, later bars on beats 2 and 3 only.
  assert.deepEqual(compPositions('afterbeats', 3, true), [0, 1, 2]);
  assert.deepEqual(compPositions('afterbeats', 3, false), [1, 2]);
  const ab = chordNotes({ ...base, beatsPerBar: 3, comp: 'afterbeats' });
  assert.deepEqual([...new Set(ab.map(([b]) => b))], [0, 1, 2, 4, 5, 6, 7, 8, 10, 11]);
  // Drop 2: the second-highest tone of the close voicing an octave down, the others kept.
  const close = voiceChordAs({ root: 7, quality: '7', inversion: 0 }, 48, 'close');
  assert.deepEqual(close, [55, 59, 62, 65]);
  assert.deepEqual(voiceChordAs({ root: 7, quality: '7', inversion: 0 }, 48, 'drop2'), [50, 55, 59, 65]);
});

test('without a bass line the truth\'s bass is the lowest chord note sounded: the inversion\'s, a drop-2 voicing\'s '
  + 'dropped tone; with one, the root', () => {
  const base: SongSpec = {
    name: 'bass-truth-test', soundfont: 'x.sf2', kit: 0, chordProgram: 3, bassProgram: 42,
    beatsPerBar: 4, subdivisions: 2, bpm: 120, swing: 0.5, voicingLowMidi: 48,
    progression: [{ root: 7, quality: '7', inversion: 0 }, { root: 0, quality: 'maj', inversion: 1 }],
    barsPerChord: 1,
    sections: [
      { bars: 2, drums: 'none', chords: true, bass: false, loud: 1 },
      { bars: 2, drums: 'none', chords: true, bass: true, loud: 1 },
    ],
    seed: 1,
  };
  const bassOf = (s: SongSpec): number[] => scoreSong(s).truth.harmony.map((h) => h.bassPc);
  const lowestSounded = (s: SongSpec, bar: number): number => {
    const notes = scoreSong(s).notes.filter((n) => n.channel === 0 && Math.floor(n.startBeat / 4) === bar);
    return Math.min(...notes.map((n) => n.note)) % 12;
  };
  // G7 close from C3: G B D F, bass G; C/E: E G C, bass E. With the bass line: the roots.
  assert.deepEqual(bassOf(base), [7, 4, 7, 0]);
  // G7 drop 2 (D dropped an octave): D under G B F; C/E drop 2: G under E C.
  const drop2 = { ...base, voicing: 'drop2' as const };
  assert.deepEqual(bassOf(drop2), [2, 7, 7, 0]);
  for (const bar of [0, 1]) assert.equal(bassOf(drop2)[bar], lowestSounded(drop2, bar), `bar ${bar}`);
  assert.deepEqual(bassOf({ ...base, voicing: 'spread' }), [7, 4, 7, 0]);
});
