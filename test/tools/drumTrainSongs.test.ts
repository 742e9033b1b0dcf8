/**
 * The drum net's training songs on their own (no rendering): none is an evaluation song, and none plays what the
 * fourth holdout set plays (its synthesised kits, its font kits, its seeds and programs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CORPUS, type CorpusSet } from '../../tools/corpus/corpus.js';
import { HOLDOUT } from '../../tools/corpus/holdout.js';
import { HOLDOUT2 } from '../../tools/corpus/holdout2.js';
import { HOLDOUT3 } from '../../tools/corpus/holdout3.js';
import { HOLDOUT4, HOLDOUT4_BASS_PROGRAMS, HOLDOUT4_CHORD_PROGRAMS } from '../../tools/corpus/holdout4.js';
import type { SongSpec } from '../../tools/corpus/songs.js';
import { drumTrainSong, holdout4Pairs } from '../../tools/drumnet/trainSongs.js';

const tracks = (set: CorpusSet): SongSpec[] => [...set.songs, set.mix.a, set.mix.b];

test("the fourth holdout set's font kits are known: its jazz kits, room kits, 808, power kit and one-kit fonts", () => {
  const pairs = [...holdout4Pairs()].map((p) => p.replace(/^.*\//, ''));
  for (const p of ['sf_GMbank.sf2#32', 'OPL-3_FM_128M.sf2#32', 'TimGM6mb.sf2#25', 'FluidR3_GM.sf2#16', 'Red_Zeppelin_4_LV2.sf2#*', 'Black_Pearl_4_LV2.sf2#*']) assert.ok(pairs.includes(p), p);
});

test('300 training songs: no seed of an evaluation set, no synthesised kit, no font kit or program of the fourth holdout set; machines, fonts, drumless sections and all meters among them', () => {
  const seeds = new Set([CORPUS, HOLDOUT, HOLDOUT2, HOLDOUT3, HOLDOUT4].flatMap((s) => tracks(s).map((x) => x.seed)));
  const names = new Set([CORPUS, HOLDOUT, HOLDOUT2, HOLDOUT3, HOLDOUT4].flatMap((s) => tracks(s).map((x) => x.name)));
  const h4 = holdout4Pairs();
  const h4Programs = new Set([...HOLDOUT4_CHORD_PROGRAMS, ...HOLDOUT4_BASS_PROGRAMS]);
  const kinds = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const { spec } = drumTrainSong(i);
    assert.ok(!seeds.has(spec.seed) && !names.has(spec.name), `${spec.name}: seed ${spec.seed}`);
    assert.equal(spec.drums?.synthKit, undefined, spec.name);
    assert.equal(spec.voices, undefined, `${spec.name}: our synthesised voices are the fourth holdout set's`);
    const font = spec.drums?.soundfont;
    if (font) assert.ok(!h4.has(`${font}#${spec.kit}`) && !h4.has(`${font}#*`), `${spec.name}: kit ${spec.kit} of ${font}`);
    assert.ok(!h4Programs.has(spec.chordProgram) && !h4Programs.has(spec.bassProgram), `${spec.name}: programs`);
    kinds.add(font ? 'font' : 'machine').add(`meter ${spec.beatsPerBar}/${spec.subdivisions}`);
    if (spec.sections.some((s) => s.drums === 'none')) kinds.add('drumless');
  }
  for (const k of ['font', 'machine', 'drumless', 'meter 4/2', 'meter 3/2', 'meter 2/3']) assert.ok(kinds.has(k), k);
  assert.deepEqual(drumTrainSong(17), drumTrainSong(17), 'deterministic in the index');
});
