import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Resampler } from '../../src/analysis/resampler.js';

/** Streams `x` through a fresh resampler in blocks of `block` samples; returns every output. */
function resample(x: Float64Array, inHz: number, outHz: number, block: number): Float64Array {
  const r = new Resampler(inHz, outHz);
  const out = new Float64Array(r.maxOutput(x.length) + 8);
  const scratch = new Float64Array(r.maxOutput(block));
  let n = 0;
  for (let i = 0; i < x.length; i += block) {
    const m = Math.min(block, x.length - i);
    const k = r.process(x.subarray(i, i + m), m, scratch);
    out.set(scratch.subarray(0, k), n);
    n += k;
  }
  return out.subarray(0, n);
}

const sine = (hz: number, rate: number, n: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));

/** Error power against `ideal` (the output sample's exact time), dB relative to a full-scale sine, past the start. */
function errorDb(y: Float64Array, ideal: (j: number) => number): number {
  let e = 0;
  let count = 0;
  for (let j = 200; j < y.length; j++) {
    e += (y[j]! - ideal(j)) ** 2;
    count++;
  }
  return 10 * Math.log10(e / count / 0.5);
}

test('48, 88.2 and 96 kHz to 44.1 kHz: tones up to 16 kHz come out at the same times, the error 65 dB down', () => {
  for (const inHz of [48000, 88200, 96000, 47999]) {
    for (const hz of [60, 1000, 5000, 10000, 13000, 14000, 15000, 16000]) {
      const y = resample(sine(hz, inHz, inHz / 2), inHz, 44100, 512);
      const db = errorDb(y, (j) => Math.sin((2 * Math.PI * hz * j) / 44100));
      // An untabled ratio's nearest phase adds its own error (under 1/2048 sample).
      assert.ok(db < (inHz === 47999 ? -63 : -65), `${inHz} Hz in, ${hz} Hz tone: error ${db.toFixed(1)} dB`);
    }
  }
});

test('content between 28 and 48 kHz of a 96 kHz input does not fold into the band under 16 kHz', () => {
  for (const hz of [30000, 40000]) {
    // Unfiltered, 30 kHz would fold to 14.1 kHz and 40 kHz to 4.1 kHz at full level.
    const y = resample(sine(hz, 96000, 48000), 96000, 44100, 700);
    const db = errorDb(y, () => 0);
    assert.ok(db < -60, `${hz} Hz: ${db.toFixed(1)} dB left`);
  }
});

test('the output does not depend on how the input is cut into blocks, and its length follows the ratio', () => {
  const noise = (i: number): number => ((i * 7919) % 13) / 13 - 0.5;
  const x = Float64Array.from({ length: 9000 }, (_, i) => Math.sin(i * 0.37) * Math.cos(i * 0.011) + noise(i));
  // 47999 and 88201 Hz: ratios too fine to table every phase (the nearest tabled one is taken).
  for (const inHz of [48000, 47999, 88201]) {
    const whole = resample(x, inHz, 44100, x.length);
    for (const block of [1, 7, 480, 777]) {
      const y = resample(x, inHz, 44100, block);
      assert.equal(y.length, whole.length, `${inHz} Hz, blocks of ${block}`);
      for (let j = 0; j < y.length; j++) assert.equal(y[j], whole[j], `${inHz} Hz, blocks of ${block}: sample ${j}`);
    }
  }
  // Output j sits at input j·160/147 and needs 9 input samples past it.
  const whole = resample(x, 48000, 44100, x.length);
  const expected = Math.floor(((x.length - 1 - 9) * 147) / 160) + 1;
  assert.ok(Math.abs(whole.length - expected) <= 1, `${whole.length} samples, ${expected} expected`);
});

test('a position rounded up to the next sample\'s phase reads no input past what has come (all outputs finite)', () => {
  // Single blocks whose last output rounds up to a whole sample on, at rates with untabled phases.
  for (const [inHz, n] of [[47999, 3615], [47999, 5240], [96001, 4557], [88201, 88174]] as const) {
    const y = resample(Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.01)), inHz, 44100, n);
    assert.ok(y.every(Number.isFinite), `${inHz} Hz, one block of ${n}: a non-finite output`);
  }
});

test('a short pulse keeps its time and shape (the pulse at each output\'s input time); DC passes at unit gain', () => {
  // A Gaussian of 4 input samples' spread: band-limited well under 16 kHz at 48 kHz.
  const at = 1234.3;
  const sigma = 4;
  const pulse = (pos: number): number => Math.exp(-((pos - at) ** 2) / (2 * sigma * sigma));
  const x = Float64Array.from({ length: 4000 }, (_, i) => pulse(i));
  const y = resample(x, 48000, 44100, 256);
  let worst = 0;
  for (let j = 0; j < y.length; j++) worst = Math.max(worst, Math.abs(y[j]! - pulse((j * 48000) / 44100)));
  assert.ok(worst < 1e-3, `largest error ${worst}`);
  // DC passes at unit gain.
  const ones = resample(new Float64Array(2000).fill(1), 48000, 44100, 100);
  for (let j = 20; j < ones.length; j++) assert.ok(Math.abs(ones[j]! - 1) < 1e-12, `DC at ${j}: ${ones[j]}`);
});

test('rates that are not positive whole numbers are refused, naming them', () => {
  for (const [a, b] of [[48000.5, 44100], [0, 44100], [48000, -1]] as const) {
    const named = (e: Error): boolean => e instanceof RangeError && e.message.includes(`${a} → ${b} Hz`);
    assert.throws(() => new Resampler(a, b), named);
  }
});
