/**
 * The drum net's training songs on their own (no rendering but single bass strikes): none is an evaluation song, and
 * none plays what the fourth and fifth holdout sets play (their synthesised kits, their font kits, their seeds and
 * programs: the fifth set's font kits and programs are among the fourth's, which training leaves out).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CORPUS, type CorpusSet } from '../../tools/corpus/corpus.js';
import { HOLDOUT } from '../../tools/corpus/holdout.js';
import { HOLDOUT2 } from '../../tools/corpus/holdout2.js';
import { HOLDOUT3 } from '../../tools/corpus/holdout3.js';
import { HOLDOUT4, HOLDOUT4_BASS_PROGRAMS, HOLDOUT4_CHORD_PROGRAMS } from '../../tools/corpus/holdout4.js';
import { HOLDOUT5 } from '../../tools/corpus/holdout5.js';
import { scoreSong, type SongSpec } from '../../tools/corpus/songs.js';
import { DNB_FROM, drumTrainSong, holdout4Pairs, LIMITED_FROM, SWING_FROM, SYNTH_BASS_FROM, SYNTH_KIT_FROM, TRAIN_KITS } from '../../tools/drumnet/trainSongs.js';
import { trainSongIndices } from '../../tools/drumnet/dataset.js';
import { limiterEffects, TABLE_LIMITER } from '../../tools/corpus/playback.js';
import { MAX_DROP_SEMITONES, randomTrainBass, strike, strikes } from '../../tools/drumnet/bassVoices.js';
import { STEM_RATE_HZ } from '../../tools/corpus/stem.js';

const tracks = (set: CorpusSet): SongSpec[] => [...set.songs, set.mix.a, set.mix.b];

test("the fourth holdout set's font kits are known: its jazz kits, room kits, 808, power kit and one-kit fonts", () => {
  const pairs = [...holdout4Pairs()].map((p) => p.replace(/^.*\//, ''));
  for (const p of ['sf_GMbank.sf2#32', 'OPL-3_FM_128M.sf2#32', 'TimGM6mb.sf2#25', 'FluidR3_GM.sf2#16', 'Red_Zeppelin_4_LV2.sf2#*', 'Black_Pearl_4_LV2.sf2#*']) assert.ok(pairs.includes(p), p);
});

test("the fifth holdout set's font kits are among those training leaves out, and it plays drums on each of its tracks", () => {
  const trained = new Set(TRAIN_KITS.map(([f, k]) => `${f}#${k}`));
  const h4 = holdout4Pairs();
  for (const s of tracks(HOLDOUT5)) {
    if (s.sections.every((x) => x.drums === 'none') || s.drums?.synthKit) continue;
    const font = s.drums?.soundfont ?? s.soundfont;
    const pair = s.drums?.singleKit ? `${font}#*` : `${font}#${s.kit}`;
    assert.ok(h4.has(pair), `${s.name}: ${pair} is not a kit training leaves out`);
    if (!s.drums?.singleKit) assert.ok(!trained.has(pair), `${s.name}: ${pair} is a training kit`);
    else assert.ok(TRAIN_KITS.every(([f]) => f !== font), `${s.name}: ${font} is a training font`);
  }
});

test('660 training songs (the DnB and swing ones too): no seed of an evaluation set, no synthesised kit, no font kit or program of the fourth holdout set; machines, fonts, drumless sections and all meters among them', () => {
  const seeds = new Set([CORPUS, HOLDOUT, HOLDOUT2, HOLDOUT3, HOLDOUT4, HOLDOUT5].flatMap((s) => tracks(s).map((x) => x.seed)));
  const names = new Set([CORPUS, HOLDOUT, HOLDOUT2, HOLDOUT3, HOLDOUT4, HOLDOUT5].flatMap((s) => tracks(s).map((x) => x.name)));
  const h4 = holdout4Pairs();
  const h4Programs = new Set([...HOLDOUT4_CHORD_PROGRAMS, ...HOLDOUT4_BASS_PROGRAMS]);
  const kinds = new Set<string>();
  for (let i = 0; i < 660; i++) {
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
  const n = SWING_FROM - DNB_FROM;
  for (let i = DNB_FROM; i < SWING_FROM; i++) {
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

test('from SWING_FROM on, swing: 90–240 BPM swung 0.55–0.68, ride grooves and jazz waltzes, mostly on jazz and brush kits, a third with a walking GM bass, half with softened kicks', () => {
  const n = 200;
  const styles = new Set<string>();
  let jazzKits = 0;
  let walking = 0;
  let soft = 0;
  let machines = 0;
  for (let i = SWING_FROM; i < SWING_FROM + n; i++) {
    const { spec } = drumTrainSong(i);
    assert.ok(typeof spec.bpm === 'number' && spec.bpm >= 90 && spec.bpm <= 240, `${spec.name}: ${spec.bpm} BPM`);
    assert.ok(spec.swing >= 0.55 && spec.swing <= 0.68, `${spec.name}: swing ${spec.swing}`);
    assert.ok(spec.bassProgram >= 32 && spec.bassProgram <= 35 && spec.trainBass === undefined, `${spec.name}: bass ${spec.bassProgram}`);
    for (const s of spec.sections) {
      if (s.drums === 'none') continue;
      styles.add(s.drums);
      if (spec.beatsPerBar === 3) assert.equal(s.drums, 'jazzWaltz', spec.name);
    }
    if (spec.drums?.machine) machines++;
    else if (spec.kit === 32 || spec.kit === 40) jazzKits++;
    if (spec.bassLine === 'walking') walking++;
    if ((spec.kickVelocity ?? 1) < 1) soft++;
  }
  for (const k of ['swingRide', 'featherRide', 'backbeat', 'jazzWaltz']) assert.ok(styles.has(k), k);
  assert.ok(jazzKits > 0.55 * n && machines > 0.05 * n, `${jazzKits} on jazz or brush kits, ${machines} machines`);
  assert.ok(walking > 0.25 * n && walking < 0.45 * n && soft > 0.4 * n && soft < 0.6 * n, `${walking} walking, ${soft} with softened kicks`);
});

test('the swing songs\' score: a walking bass strikes every beat, closing each bar a semitone from the next root; kickVelocity softens the kicks alone; the jazz waltz and feathered ride place their kicks and snares', () => {
  const base: SongSpec = {
    name: 'walk', soundfont: '', kit: 32, chordProgram: 0, bassProgram: 32, beatsPerBar: 4, subdivisions: 2, bpm: 120, swing: 0.6, voicingLowMidi: 48,
    progression: [{ root: 0, quality: 'maj7', inversion: 0 }, { root: 7, quality: '7', inversion: 0 }], barsPerChord: 1,
    sections: [{ bars: 2, drums: 'featherRide', chords: false, bass: true, loud: 1 }], seed: 3,
  };
  const walk = scoreSong({ ...base, bassLine: 'walking' });
  const bass = walk.notes.filter((n) => n.channel === 1);
  assert.deepEqual(bass.map((n) => n.startBeat), [0, 1, 2, 3, 4, 5, 6, 7]);
  // C maj7 from C2 (36) up its tones, then a semitone beside G1 (31); G7 from G1 (31), then beside C2.
  assert.deepEqual(bass.slice(0, 3).map((n) => n.note), [36, 40, 43]);
  assert.ok([30, 32].includes(bass[3]!.note) && [35, 37].includes(bass[7]!.note), `${bass[3]!.note} ${bass[7]!.note}`);
  assert.deepEqual(bass.slice(4, 7).map((n) => n.note), [31, 35, 38]);
  // Feathered: a kick on every beat, the snare on the swung off-beat of 2 and on 4.
  assert.equal(walk.truth.kick.length, 8);
  assert.deepEqual(walk.truth.snare.map((t) => Math.round(t * 1000)), [800, 1500, 2800, 3500]);
  const kicks = (s: SongSpec): number[] => scoreSong(s).notes.filter((n) => n.channel === 9 && n.note === 36).map((n) => n.velocity);
  const rides = (s: SongSpec): number[] => scoreSong(s).notes.filter((n) => n.channel === 9 && n.note === 51).map((n) => n.velocity);
  const soft = { ...base, kickVelocity: 0.5 };
  kicks(soft).forEach((v, k) => assert.ok(Math.abs(v - kicks(base)[k]! / 2) <= 1, `kick ${k}: ${v}`));
  assert.deepEqual(rides(soft), rides(base));
  const waltz = scoreSong({ ...base, beatsPerBar: 3, sections: [{ bars: 2, drums: 'jazzWaltz', chords: true, bass: true, loud: 1 }] }).truth;
  // 3/4 at 120 BPM: bars of 1.5 s; kicks on 1 and the swung off-beat of 3, the snare on 3.
  assert.deepEqual(waltz.kick.map((t) => Math.round(t * 1000)), [0, 1300, 1500, 2800]);
  assert.deepEqual(waltz.snare.map((t) => Math.round(t * 1000)), [1000, 2500]);
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

test('limited songs (LIMITED_FROM on) are the first songs through limiters drawn per song, 3–14 dB, never the tables’ own; training takes them spread over every generator and validation fold', () => {
  const reductions: number[] = [];
  const attacks = new Set<number>();
  const knees = new Set<number>();
  const table = limiterEffects({ ...TABLE_LIMITER, reductionDb: 12 }).join(' ');
  for (let j = 0; j < 200; j++) {
    const song = drumTrainSong(LIMITED_FROM + j);
    const { limit, ...rest } = song;
    assert.deepEqual(rest, drumTrainSong(j), `song ${LIMITED_FROM + j} is song ${j}`);
    assert.ok(limit, `song ${LIMITED_FROM + j} has a limiter`);
    assert.ok(limit.reductionDb >= 3 && limit.reductionDb <= 14, `reduction ${limit.reductionDb}`);
    assert.ok(limit.attackMs >= 0.1 && limit.attackMs <= 3 && limit.releaseMs >= 20 && limit.releaseMs <= 300, JSON.stringify(limit));
    assert.notEqual(limiterEffects(limit).join(' '), table);
    reductions.push(limit.reductionDb);
    attacks.add(limit.attackMs);
    knees.add(limit.kneeDb);
  }
  assert.equal(drumTrainSong(17).limit, undefined);
  // Draws of nearby songs differ (a plain LCG seeded a fixed step apart drew one knee for every song).
  assert.ok(attacks.size > 40 && knees.size > 8, `${attacks.size} attacks, ${knees.size} knees`);
  assert.ok(reductions.filter((r) => r >= 9).length > 60 && reductions.filter((r) => r < 6).length > 30, 'reductions spread');
  assert.throws(() => drumTrainSong(LIMITED_FROM + SYNTH_KIT_FROM), /limited song is one of the first 660/);

  const ix = trainSongIndices(460, 0, 230);
  assert.equal(ix.length, 690);
  const limited = ix.filter((i) => i >= LIMITED_FROM).map((i) => i - LIMITED_FROM);
  assert.equal(new Set(limited).size, 230, 'distinct');
  assert.deepEqual(new Set(limited.map((j) => j % 10)).size, 10, 'in every validation fold');
  for (const [from, to] of [[0, SYNTH_BASS_FROM], [SYNTH_BASS_FROM, DNB_FROM], [DNB_FROM, 460]] as const) {
    const n = limited.filter((j) => j >= from && j < to).length;
    assert.ok(Math.abs(n / 230 - (to - from) / 460) < 0.06, `${n} of songs ${from}–${to}`);
  }
  assert.deepEqual(trainSongIndices(460, 0, 0), Array.from({ length: 460 }, (_, i) => i));
  assert.throws(() => trainSongIndices(100, 0, 101), /DRUMNET_LIMITED: 101 limited songs of only 100/);
  assert.throws(() => trainSongIndices(490, 0, 71), /DRUMNET_LIMITED: 71 of 490 songs a stride of 7 apart repeat/);
});
