/**
 * FM-synthesised drums (chiptune, synthwave, OPL kits): a sine-sweep kick with no beater noise, a two-operator snare
 * and metallic FM hats that seldom read as cymbal hits. The tonal-rise test must not silence such a drum part; the
 * series of sine-like thumps that lifts it must not come from bass notes a bar apart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseSignal, eventTimes, fMeasure } from '../../src/analysis/evaluation.js';
import { addHarmonicTone, scaleToPeak } from '../../src/analysis/synth.js';
import { DrumTonality } from '../../src/analysis/drumTonality.js';

const SR = 44100;

/** Two operators: a carrier gliding fromHz → toHz, phase-modulated at `ratio` times it with a decaying index. */
function fmVoice(
  out: Float32Array,
  at: number,
  v: { lengthS: number; fromHz: number; toHz: number; glideS: number; ratio: number; index: number; indexS: number; decayS: number; gain: number },
): void {
  const n = Math.min(Math.round(v.lengthS * SR), out.length - at);
  let pc = 0;
  let pm = 0;
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    const f = v.toHz + (v.fromHz - v.toHz) * Math.exp(-t / v.glideS);
    pc += (2 * Math.PI * f) / SR;
    pm += (2 * Math.PI * f * v.ratio) / SR;
    const index = v.index * Math.exp(-t / v.indexS);
    out[at + i]! += v.gain * Math.sin(pc + index * Math.sin(pm)) * Math.exp(-t / v.decayS) * Math.min(1, t / 0.001);
  }
}

/** Four on the floor at 128 BPM, an FM snare with the kick on 2 and 4, FM hats on the eighths, a quiet pad. */
function fmKitSong(durationS: number): { x: Float32Array; kick: number[]; snare: number[] } {
  const x = new Float32Array(durationS * SR);
  const beatS = 60 / 128;
  const kick: number[] = [];
  const snare: number[] = [];
  for (let b = 0; 0.25 + b * beatS < durationS - 0.3; b++) {
    const t = 0.25 + b * beatS;
    const at = Math.round(t * SR);
    fmVoice(x, at, { lengthS: 0.4, fromHz: 160, toHz: 45, glideS: 0.03, ratio: 1, index: 0, indexS: 1, decayS: 0.18, gain: 0.9 });
    kick.push(t);
    if (b % 2 === 1) {
      fmVoice(x, at, { lengthS: 0.25, fromHz: 220, toHz: 180, glideS: 0.02, ratio: 1.47, index: 8, indexS: 0.05, decayS: 0.08, gain: 0.6 });
      snare.push(t);
    }
    for (let h = 0; h < 2; h++) {
      const hat = { lengthS: 0.08, fromHz: 3100, toHz: 3100, glideS: 1, ratio: 1.41, index: 3, indexS: 0.03, decayS: 0.02, gain: 0.12 };
      fmVoice(x, at + Math.round(((h * beatS) / 2) * SR), hat);
    }
  }
  const barS = 4 * beatS;
  for (let bar = 0; 0.25 + bar * barS < durationS - 0.1; bar++) {
    const at = Math.round((0.25 + bar * barS) * SR);
    const chord = [[0, 4, 7], [9, 0, 4], [5, 9, 0], [7, 11, 2]][bar % 4]!;
    for (const pc of chord) addHarmonicTone(x, at, Math.round(barS * SR), 261.63 * 2 ** (pc / 12), SR, [0.1, 0.04, 0.02], (i) => Math.min(1, i / 441));
  }
  scaleToPeak(x, -1);
  return { x, kick, snare };
}

test('an FM kit with no cymbal heard: after its first bar every kick and snare fires', () => {
  // Without the series of sine-like thumps, the tonal-rise test vetoed all 21 kicks and 10 snares of this song.
  const song = fmKitSong(10);
  const feats = analyseSignal([song.x], SR);
  const kick = fMeasure(eventTimes(feats, 'kick'), song.kick, 0.05, 2.5);
  assert.ok(kick.f >= 0.95, `kick F after 2.5 s ${kick.f.toFixed(2)} (${kick.matched}/${kick.truth}, ${kick.detected} fired)`);
  const snare = fMeasure(eventTimes(feats, 'snare'), song.snare, 0.05, 2.5);
  assert.ok(snare.f >= 0.9, `snare F after 2.5 s ${snare.f.toFixed(2)} (${snare.matched}/${snare.truth}, ${snare.detected} fired)`);
});

const BIN_HZ = SR / 2048;
const BINS = 1025;

/** Feeds `hops` hops at 100 a second with a sine-like thump (a peaked, tiny 1–8 kHz rise) every `periodHops`. */
function thumps(periodHops: number, hops: number): number {
  const t = new DrumTonality(BIN_HZ, BINS, 1000, 8000, 100);
  const quiet = new Float32Array(BINS).fill(1e-4);
  const thump = quiet.map((v, k) => (k >= 2 && k <= 6 ? 1 : k === 47 ? v + 0.02 : v));
  let vetoed = 0;
  for (let hop = 0; hop < hops; hop++) {
    const on = hop % periodHops === 10;
    t.push(on ? thump : quiet);
    t.hats(0, hop);
    if (on && t.tonal(hop, true)) vetoed++;
  }
  return vetoed;
}

test('sine-like thumps a beat apart lift the tonal test after three; a bar apart (bass notes) they stay vetoed', () => {
  // Each thump alone reads as tonal: its band rise is a single bin.
  assert.equal(thumps(47, 500), 2, 'four on the floor at 128 BPM: only the first two vetoed');
  assert.equal(thumps(135, 1400), 11, 'a bass note every 1.35 s: all vetoed');
});
