/**
 * The hum canceller on the decimated low band: hum on 50 or 60 Hz, off nominal, is taken out by 30 dB or more once
 * its lines have stood out for three readings, and follows a drifting grid; a drone tuned to A440 next to the mains,
 * partials standing without the mains' fundamental, a lone note on a harmonic, or noise engage nothing; a bass note
 * 1 Hz from a cancelled line passes whole, and a note inside one line's band steers the others nowhere; a quiet bass
 * line over hum reads right; and the silence floor sits 3 dB over the hum the canceller holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { resolveParams } from '../../src/analysis/hopInput.js';
import { HumCanceller } from '../../src/analysis/humCanceller.js';
import { SilenceGate } from '../../src/analysis/silenceGate.js';
import { analyseSignal, argmax } from '../../src/analysis/evaluation.js';
import { addHarmonicTone, mainsHumSignal, MAINS_HUM_RECIPE, whiteNoise } from '../../src/analysis/synth.js';

const SR = 44100;
const cfg = analysisConfigSchema.parse({});
const p = resolveParams(cfg, SR);
const RATE = p.bassRateHz;

/** Power of `x` over [from, to) samples. */
function power(x: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return s / (to - from);
}

/**
 * Power of `x` at `hz` over [from, to): its projection on a sine and a cosine there, Hann-windowed so that a tone
 * 1 Hz away leaks nothing measurable into it.
 */
function powerAt(x: Float64Array, hz: number, from: number, to: number): number {
  let re = 0;
  let im = 0;
  let gain = 0;
  const n = to - from;
  for (let i = from; i < to; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i - from)) / n);
    re += w * x[i]! * Math.cos((2 * Math.PI * hz * i) / RATE);
    im += w * x[i]! * Math.sin((2 * Math.PI * hz * i) / RATE);
    gain += w;
  }
  return (2 * (re * re + im * im)) / (gain * gain);
}

/** `seconds` of `x` through a fresh canceller, in blocks of a hop's decimated samples as the extractor feeds it. */
function cancelled(x: Float64Array): { y: Float64Array; canceller: HumCanceller } {
  const canceller = new HumCanceller(RATE, p.bassCutoffHz);
  const y = Float64Array.from(x);
  const block = Math.ceil(p.hopSamples / p.bassDecimation);
  for (let i = 0; i < y.length; i += block) {
    const part = y.subarray(i, Math.min(y.length, i + block));
    canceller.process(part, part.length);
  }
  return { y, canceller };
}

/** A harmonic tone with the hum's partials on `hz` at `db` dBFS RMS, at the decimated rate. */
function drone(n: number, hz: number, db: number): Float64Array {
  const { partials } = MAINS_HUM_RECIPE;
  const rmsOfOne = Math.sqrt(partials.reduce((s, a) => s + (a * a) / 2, 0));
  const x = new Float32Array(n);
  addHarmonicTone(x, 0, n, hz, RATE, partials.map((a) => (a * Math.pow(10, db / 20)) / rmsOfOne), () => 1);
  return Float64Array.from(x);
}

test('hum on 50 or 60 Hz, up to 0.4 % off, is taken out by 30 dB or more after 15 s', () => {
  const n = Math.round(20 * RATE);
  const last = n - Math.round(5 * RATE);
  for (const [mainsHz, off] of [[50, 1], [60, 1], [50, 1.004], [60, 0.997]] as const) {
    const x = Float64Array.from(mainsHumSignal(n, RATE, mainsHz * off, -60, 4));
    const { y, canceller } = cancelled(x);
    const dropDb = 10 * Math.log10(power(y, last, n) / power(x, last, n));
    assert.ok(dropDb < -30, `${mainsHz} Hz × ${off}: ${dropDb.toFixed(1)} dB`);
    assert.ok(canceller.engagedLines >= 6, `${canceller.engagedLines} lines engaged`);
    const heldDb = 10 * Math.log10(canceller.heldPower);
    assert.ok(Math.abs(heldDb + 60) < 1, `held ${heldDb} dBFS`);
  }
});

test('a drone tuned to A440 next to the mains, or partials on 50.05 Hz without its fundamental, engage nothing', () => {
  const n = Math.round(30 * RATE);
  for (const hz of [49.0, 58.27, 61.74, 98.0]) {
    const { y, canceller } = cancelled(drone(n, hz, -50));
    assert.equal(canceller.engagedLines, 0, `a drone on ${hz} Hz`);
    assert.deepEqual(y, drone(n, hz, -50), 'passed untouched');
  }
  // A pad layer 37 cents sharp of G2, D3, D4, F4 and G4: its partials fall on the 2nd, 3rd, 6th, 7th and 8th
  // harmonics of 50.05 Hz, but nothing stands on the fundamental.
  const pad = new Float32Array(n);
  addHarmonicTone(pad, 0, n, 50.05, RATE, [0, 0.003, 0.003, 0, 0, 0.002, 0.002, 0.002], () => 1);
  assert.equal(cancelled(Float64Array.from(pad)).canceller.engagedLines, 0);
  // F4 (349.23 Hz, the 7th harmonic of 49.89 Hz) alone, and white noise.
  const f4 = new Float32Array(n);
  addHarmonicTone(f4, 0, n, 349.23, RATE, [0.004], () => 1);
  const f4Run = cancelled(Float64Array.from(f4)).canceller;
  assert.equal(f4Run.engagedLines + f4Run.heldPower, 0);
  const noise = Float64Array.from(whiteNoise(n, Math.pow(10, -60 / 20) * Math.sqrt(3), 5));
  assert.equal(cancelled(noise).canceller.engagedLines, 0);
});

/** 16 equal partials on a fundamental that wanders ±`wanderHz` over `periodS` around 50.03 Hz, −60 dBFS in all. */
function wanderingHum(n: number, wanderHz: number, periodS: number): Float64Array {
  const x = new Float64Array(n);
  let turns = 0;
  for (let i = 0; i < n; i++) {
    turns += (50.03 + wanderHz * Math.sin((2 * Math.PI * i) / RATE / periodS)) / RATE;
    let v = 0;
    for (let k = 1; k <= 16; k++) v += Math.sin(2 * Math.PI * k * turns + k * k);
    x[i] = (1e-3 / Math.sqrt(8)) * v;
  }
  return x;
}

test('a grid drifting ±0.02 Hz over a minute stays 18 dB down on sixteen lines; a note in one line steers nothing', () => {
  const n = Math.round(90 * RATE);
  const x = wanderingHum(n, 0.02, 60);
  const { y } = cancelled(x);
  const from = Math.round(20 * RATE);
  const dropDb = 10 * Math.log10(power(y, from, n) / power(x, from, n));
  assert.ok(dropDb < -18, `drifting: ${dropDb.toFixed(1)} dB`);
  // A steady tone 0.25 Hz over the second line and 7 dB over it, from 10 s: the loop follows the other lines, so
  // the hum stays cancelled and the tone loses under 3 dB.
  const m = Math.round(40 * RATE);
  const hum = Float64Array.from(mainsHumSignal(m, RATE, 50, -60, 5));
  const toneHz = 100 * MAINS_HUM_RECIPE.sharp + 0.25;
  const withTone = Float64Array.from(hum);
  for (let i = Math.round(10 * RATE); i < m; i++) withTone[i]! += 0.003 * Math.sin((2 * Math.PI * toneHz * i) / RATE);
  const out = cancelled(withTone);
  const at = Math.round(25 * RATE);
  const toneDb = 10 * Math.log10(powerAt(out.y, toneHz, at, m) / powerAt(withTone, toneHz, at, m));
  assert.ok(toneDb > -3, `the tone ${toneDb.toFixed(2)} dB`);
  const lineHz = 150 * MAINS_HUM_RECIPE.sharp;
  const thirdDb = 10 * Math.log10(powerAt(out.y, lineHz, at, m) / powerAt(withTone, lineHz, at, m));
  assert.ok(thirdDb < -20, `the third line ${thirdDb.toFixed(1)} dB`);
});

test('a bass note 1 Hz from a cancelled line passes within 0.5 dB', () => {
  const n = Math.round(30 * RATE);
  const hum = mainsHumSignal(n, RATE, 50, -60, 5);
  // Hum alone for 10 s, then G1 (49 Hz) and its octave at −40 dBFS over it.
  const x = Float64Array.from(hum);
  const noteFrom = Math.round(10 * RATE);
  const note = new Float32Array(n);
  addHarmonicTone(note, noteFrom, n - noteFrom, 49.0, RATE, [0.012, 0.006], () => 1);
  for (let i = 0; i < n; i++) x[i]! += note[i]!;
  const { y } = cancelled(x);
  const from = Math.round(20 * RATE);
  const inDb = 10 * Math.log10(powerAt(x, 49.0, from, n));
  const outDb = 10 * Math.log10(powerAt(y, 49.0, from, n));
  assert.ok(Math.abs(outDb - inDb) < 0.5, `49 Hz: ${inDb.toFixed(2)} dB in, ${outDb.toFixed(2)} out`);
  const lineHz = 50 * MAINS_HUM_RECIPE.sharp;
  const humLeftDb = 10 * Math.log10(powerAt(y, lineHz, from, n) / powerAt(x, lineHz, from, n));
  assert.ok(humLeftDb < -20, `the 50 Hz line ${humLeftDb.toFixed(1)} dB after it`);
});

test('a quiet bass line over hum at −60 dBFS reads its own notes, not the hum’s G', () => {
  const seconds = 40;
  const x = mainsHumSignal(seconds * SR, SR, 50, -60, 6);
  // A and D in turn, two seconds each, at about −48 dBFS: hum lit the bass chroma's G under them.
  const notes = [45, 50];
  for (let t = 4; t < seconds; t += 2) {
    const m = notes[(t / 2) % 2]!;
    addHarmonicTone(x, t * SR, 2 * SR, 440 * Math.pow(2, (m - 69) / 12), SR, [0.004, 0.002, 0.0012], () => 1);
  }
  const feats = analyseSignal([x], SR).filter((f) => f.t >= 12 && f.t % 2 > 0.5);
  const right = feats.filter((f) => {
    const want = notes[Math.floor(f.t / 2) % 2]! % 12;
    return Math.max(...f.bassChroma) > 0 && argmax(f.bassChroma) === want;
  }).length;
  assert.ok(right >= 0.9 * feats.length, `${right} of ${feats.length} frames right`);
});

test('the silence floor sits 3 dB over the hum the canceller holds: hum alone is silent, music 4 dB over it heard', () => {
  const held = { heldPower: Math.pow(10, -60 / 10) };
  const gate = new SilenceGate(cfg, p, held);
  const hops = (db: number, n: number): boolean[] => {
    const power = Math.pow(10, db / 10);
    return Array.from({ length: n }, () => gate.step(Math.sqrt(power), 0.8 * power, 0.2 * power, 0));
  };
  hops(-30, 300);
  // Five seconds alone: too short for the gate to measure it itself (its floor would sit 6 dB over it).
  const alone = hops(-60, 500);
  const heard = alone.slice(300).filter((s) => !s).length;
  assert.equal(heard, 0, `hum alone heard on ${heard} hops`);
  assert.equal(gate.hissPower, 0, 'not measured by the gate');
  const over = hops(-56, 100);
  assert.equal(over.slice(50).every((s) => !s), true, `music 4 dB over it heard from hop ${over.indexOf(false)}`);
  held.heldPower = 0;
  assert.equal(hops(-60, 100).every((s) => !s), true, 'nothing held: the hum is heard again');
});

test('a note on an upper line of held hum is taken out but is no line noise: the quiet chords after it are heard', () => {
  // Hum at −60 dBFS on 49.89 Hz, F4 (its 7th harmonic) at −50 dBFS from 10 to 22 s, then chords at −52 dBFS.
  const seconds = 44;
  const n = seconds * SR;
  const x = mainsHumSignal(n, SR, 49.89 / MAINS_HUM_RECIPE.sharp, -60, 3);
  addHarmonicTone(x, 10 * SR, 12 * SR, 349.23, SR, [Math.pow(10, -50 / 20) * Math.SQRT2], () => 1);
  const chordAmp = (Math.pow(10, -52 / 20) * Math.SQRT2) / Math.sqrt(3 * 1.16);
  for (let t = 22; t < seconds; t += 2) {
    for (const m of ((t - 22) / 2) % 2 === 0 ? [43, 59, 62] : [45, 61, 64]) {
      addHarmonicTone(x, t * SR, 2 * SR, 440 * Math.pow(2, (m - 69) / 12), SR, [chordAmp, chordAmp * 0.4], () => 1);
    }
  }
  const feats = analyseSignal([x], SR).filter((f) => f.t >= 12);
  const lit = feats.filter((f) => Math.max(...f.chroma) > 0).length;
  assert.ok(lit >= 0.98 * feats.length, `${feats.length - lit} of ${feats.length} frames dark`);
});

test('after a non-finite sample the canceller takes the hum out again within seconds', () => {
  const n = Math.round(30 * RATE);
  const x = Float64Array.from(mainsHumSignal(n, RATE, 50, -60, 8));
  x[Math.round(12 * RATE)] = NaN;
  const { y, canceller } = cancelled(x);
  const from = Math.round(20 * RATE);
  const dropDb = 10 * Math.log10(power(y, from, n) / power(x, from, n));
  assert.ok(dropDb < -30, `${dropDb.toFixed(1)} dB after the NaN`);
  assert.ok(canceller.heldPower > 0 && Number.isFinite(canceller.heldPower));
});

test('the floor over held hum stops at 3 dB over −40 dBFS, however loud the hum held', () => {
  const gate = new SilenceGate(cfg, p, { heldPower: Math.pow(10, -30 / 10) });
  const hops = (db: number, count: number): boolean[] => {
    const pw = Math.pow(10, db / 10);
    return Array.from({ length: count }, () => gate.step(Math.sqrt(pw), 0.8 * pw, 0.2 * pw, 0));
  };
  assert.equal(hops(-38, 300).slice(100).every((s) => s), true, 'under −37 dBFS: silent');
  assert.equal(hops(-33, 100).slice(50).every((s) => !s), true, 'music at −33 dBFS: heard');
});
