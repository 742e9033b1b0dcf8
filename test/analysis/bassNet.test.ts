import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASS_NET_FILE, BASS_NET_INPUTS, KICK_NOTES, decodeBassNet, encodeBassNet, loadBassNet, transposeBassInput } from '../../src/analysis/bassNet.js';
import { BASS_SEMITONES } from '../../src/analysis/bassChroma.js';
import { analyseSignal, bassAccuracy } from '../../src/analysis/evaluation.js';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { readWavFile } from '../../src/audio/wav.js';
import { renderSong } from '../../tools/corpus/corpus.js';
import { ch, sec, SOUNDFONTS, type SongSpec } from '../../tools/corpus/songs.js';

test('the committed bass-net weights load: its inputs, 12 outputs, small, and survive the file format', () => {
  const net = loadBassNet();
  assert.equal(net.sizes[0], BASS_NET_INPUTS);
  assert.equal(net.sizes[net.sizes.length - 1], 12);
  const floats = net.w.reduce((a, w) => a + w.length, 0) + net.b.reduce((a, b) => a + b.length, 0);
  assert.ok(floats * 4 < 1 << 20, `${floats} weights`);
  const again = decodeBassNet(encodeBassNet(net), 'round trip');
  assert.deepEqual(again.sizes, net.sizes);
  assert.deepEqual(Array.from(again.w[0]!), Array.from(net.w[0]!));
  assert.match(BASS_NET_FILE, /models\/bassnet\/bass-notes\.bin$/);
  const bad = encodeBassNet(net).slice();
  new DataView(bad.buffer).setUint32(12, BASS_NET_INPUTS - 1, true);
  assert.throws(() => decodeBassNet(bad, 'wrong.bin'), /bass net weights wrong\.bin: .*expected 282 inputs/);
});

test('transposing an input moves the semitone views and the kick pitch up the grid, rotates the chroma, keeps the drum ages', () => {
  const src = new Float32Array(BASS_NET_INPUTS);
  for (let v = 0; v < 4; v++) src[v * BASS_SEMITONES + 10] = v + 1;
  const ages = 4 * BASS_SEMITONES;
  for (let k = 0; k < 5; k++) src[ages + k] = 0.1 * (k + 1);
  src[ages + 5 + 3] = 1;
  src[BASS_NET_INPUTS - 12 + 11] = 1;
  const out = new Float32Array(BASS_NET_INPUTS);
  transposeBassInput(src, 2, out);
  for (let v = 0; v < 4; v++) {
    assert.equal(out[v * BASS_SEMITONES + 12], v + 1);
    assert.equal(out[v * BASS_SEMITONES + 10], 0);
  }
  for (let k = 0; k < 5; k++) assert.equal(out[ages + k], src[ages + k]);
  assert.equal(out[ages + 5 + 5], 1);
  assert.equal(out[ages + 5 + 3], 0);
  assert.equal(out[BASS_NET_INPUTS - 12 + 1], 1, 'B up two semitones is C#');
  // Down off the grid: what moves past its end drops.
  transposeBassInput(src, -11, out);
  assert.equal(out.subarray(0, 4 * BASS_SEMITONES).reduce((a, b) => a + b, 0), 0);
  assert.equal(out.subarray(ages + 5, ages + 5 + KICK_NOTES).reduce((a, b) => a + b, 0), 0);
});

test('the bass net reads the bass as zeros in silence', () => {
  const f = analyseSignal([new Float32Array(44100)], 44100);
  assert.ok(f.every((r) => r.bassChroma.every((v) => v === 0)));
});

// A synth bass (FluidR3's program 38) under our 'sub' drum machine in half-time DnB at 174 BPM: its kick is a long
// low sine that rings through most of each beat, louder than the bass line. The hand-made bass chroma takes the kick's
// tail for the bass most of the time; the net, which weighs the kick's age and its learnt pitch, does not.
const FLUID = SOUNDFONTS.fluid;
const haveFluidsynth = spawnSync('fluidsynth', ['--version'], { encoding: 'utf8' }).status === 0 && existsSync(FLUID);

test('under a ringing sub kick the net hears the bass line where the hand-made bass chroma hears the kick', { skip: !haveFluidsynth && 'fluidsynth or FluidR3_GM.sf2 missing' }, () => {
  const spec: SongSpec = {
    name: 'bassnet-sub', soundfont: FLUID, drums: { machine: 'sub' }, kit: 0, chordProgram: 89, bassProgram: 38,
    beatsPerBar: 4, subdivisions: 2, bpm: 174, swing: 0.5, voicingLowMidi: 47,
    progression: [ch(2, 'min'), ch(10, 'maj', 1), ch(5, 'maj'), ch(0, 'min7', 2)], barsPerChord: 2,
    sections: [sec(8, 'halftime', true, true, 0.9)], seed: 911,
  };
  const r = renderSong(spec, null, mkdtempSync(join(tmpdir(), 'latentvj-bassnet-')));
  const a = readWavFile(r.wav);
  const accuracy = (bassNet: boolean): number => bassAccuracy(analyseSignal(a.channels, a.sampleRate, analysisConfigSchema.parse({ bassNet })), r.truth.harmony, 0.15);
  const hand = accuracy(false);
  const net = accuracy(true);
  assert.ok(net >= 0.9, `net bass top-1 ${net.toFixed(3)}`);
  assert.ok(hand < 0.6, `hand-made bass top-1 ${hand.toFixed(3)} (the song no longer tests what it should)`);
});
