/**
 * The drum net's training songs on their own (no rendering but single bass strikes): none is an evaluation song, and
 * none plays what the fourth holdout set plays (its synthesised kits, its font kits, its seeds and programs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CORPUS, type CorpusSet } from '../../tools/corpus/corpus.js';
import { HOLDOUT } from '../../tools/corpus/holdout.js';
import { HOLDOUT2 } from '../../tools/corpus/holdout2.js';
import { HOLDOUT3 } from '../../tools/corpus/holdout3.js';
import { HOLDOUT4, HOLDOUT4_BASS_PROGRAMS, HOLDOUT4_CHORD_PROGRAMS } from '../../tools/corpus/holdout4.js';
import type { SongSpec } from '../../tools/corpus/songs.js';
import { DNB_FROM, drumTrainSong, holdout4Pairs, SYNTH_BASS_FROM } from '../../tools/drumnet/trainSongs.js';
import { MAX_DROP_SEMITONES, randomTrainBass, strike, strikes } from '../../tools/drumnet/bassVoices.js';
import { STEM_RATE_HZ } from '../../tools/corpus/stem.js';

const tracks = (set: CorpusSet): SongSpec[] => [...set.songs, set.mix.a, set.mix.b];

test("the fourth holdout set's font kits are known: its jazz kits, room kits, 808, power kit and one-kit fonts", () => {
  const pairs = [...holdout4Pairs()].map((p) => p.replace(/^.*\//, ''));
  for (const p of ['sf_GMbank.sf2#32', 'OPL-3_FM_128M.sf2#32', 'TimGM6mb.sf2#25', 'FluidR3_GM.sf2#16', 'Red_Zeppelin_4_LV2.sf2#*', 'Black_Pearl_4_LV2.sf2#*']) assert.ok(pairs.includes(p), p);
});

test('560 training songs (the DnB ones too): no seed of an evaluation set, no synthesised kit, no font kit or program of the fourth holdout set; machines, fonts, drumless sections and all meters among them', () => {
  const seeds = new Set([CORPUS, HOLDOUT, HOLDOUT2, HOLDOUT3, HOLDOUT4].flatMap((s) => tracks(s).map((x) => x.seed)));
  const names = new Set([CORPUS, HOLDOUT, HOLDOUT2, HOLDOUT3, HOLDOUT4].flatMap((s) => tracks(s).map((x) => x.name)));
  const h4 = holdout4Pairs();
  const h4Programs = new Set([...HOLDOUT4_CHORD_PROGRAMS, ...HOLDOUT4_BASS_PROGRAMS]);
  const kinds = new Set<string>();
  for (let i = 0; i < 560; i++) {
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

test('songs from SYNTH_BASS_FROM on play a synthesised bass of every family and rhythm, with pitch drops a bass has rather than a kick’s; the songs before keep their font basses', () => {
  const kinds = new Set<string>();
  for (let i = 0; i < SYNTH_BASS_FROM + 120; i++) {
    const b = drumTrainSong(i).spec.trainBass;
    if (i < SYNTH_BASS_FROM) {
      assert.equal(b, undefined, `song ${i}`);
      continue;
    }
    assert.ok(b, `song ${i}`);
    assert.ok(b.dropSemitones >= 0 && b.dropSemitones <= MAX_DROP_SEMITONES, `song ${i}: drop ${b.dropSemitones}`);
    kinds.add(b.family).add(b.rhythm);
  }
  for (const k of ['sub', 'long', 'pluck', 'organ', 'offbeats', 'eighths', 'quarters', 'tresillo', 'asWritten']) assert.ok(kinds.has(k), k);
});

test('from DNB_FROM on, DnB: 4/4 at 150–180 BPM, half-time in most, on boom- or sub-like machines (most kicks without click) or fonts’ 808 and electronic kits, half with a font bass', () => {
  let halftime = 0;
  let clickless = 0;
  let machines = 0;
  let fontBass = 0;
  let kit808 = 0;
  const n = 200;
  for (let i = DNB_FROM; i < DNB_FROM + n; i++) {
    const { spec } = drumTrainSong(i);
    assert.equal(spec.beatsPerBar, 4, spec.name);
    assert.ok(typeof spec.bpm === 'number' && spec.bpm >= 150 && spec.bpm <= 180, `${spec.name}: ${spec.bpm} BPM`);
    if (spec.sections.some((s) => s.drums === 'halftime')) halftime++;
    const m = spec.drums?.machine;
    if (m && typeof m !== 'string') {
      machines++;
      if (m.kick.clickGain === 0) clickless++;
    } else if (spec.kit === 24 || spec.kit === 25) kit808++;
    if (!spec.trainBass) fontBass++;
  }
  assert.ok(halftime > 0.7 * n, `${halftime} with half-time`);
  assert.ok(machines > 0.35 * n && clickless > 0.6 * machines, `${machines} machines, ${clickless} click-less`);
  assert.ok(kit808 > 0.3 * n, `${kit808} on 808 or electronic kits`);
  assert.ok(fontBass > 0.35 * n && fontBass < 0.65 * n, `${fontBass} with a font bass`);
});

test("a bass voice's strikes fall where its rhythm puts them within the note, and each strike is a fast, low attack", () => {
  assert.deepEqual(strikes('offbeats', 4).map(([q]) => q), [0.5, 1.5, 2.5, 3.5]);
  assert.deepEqual(strikes('tresillo', 4).map(([q]) => q), [0, 0.75, 1.5, 2, 2.75, 3.5]);
  assert.deepEqual(strikes('asWritten', 1.9).map(([q]) => q), [0]);
  for (let seed = 1; seed <= 12; seed++) {
    const v = randomTrainBass(seed);
    const x = strike(v, 33, 0.2);
    let peak = 0;
    let peakAt = 0;
    for (let i = 0; i < x.length; i++) if (Math.abs(x[i]!) > peak) [peak, peakAt] = [Math.abs(x[i]!), i];
    assert.ok(peak > 0.1 && peak <= 1.0001, `${v.family}: peak ${peak}`);
    // The loudest sample within 40 ms: a fast attack (A1 = 55 Hz has a period of 18 ms).
    assert.ok(peakAt / STEM_RATE_HZ < 0.04 + 1 / 55, `${v.family}: peak at ${peakAt / STEM_RATE_HZ} s`);
    // A bass: few zero crossings a second (the sub and 808 tones cross at their pitch, the stabs a few harmonics up).
    let zc = 0;
    for (let i = 1; i < 4410; i++) if (x[i - 1]! < 0 !== x[i]! < 0) zc++;
    assert.ok(zc / 0.1 / 2 < 800, `${v.family}: ${zc} crossings in 100 ms`);
  }
});
