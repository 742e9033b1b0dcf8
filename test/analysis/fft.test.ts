import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MagnitudeSpectrum, hann } from '../../src/analysis/fft.js';

/** A direct DFT magnitude of the Hann-windowed frame, in the same scale (a full-scale sine ≈ 1). */
function dftMagnitude(frame: Float32Array, k: number): number {
  const n = frame.length;
  const w = hann(n);
  let re = 0;
  let im = 0;
  for (let i = 0; i < n; i++) {
    const a = (-2 * Math.PI * k * i) / n;
    re += frame[i]! * w[i]! * Math.cos(a);
    im += frame[i]! * w[i]! * Math.sin(a);
  }
  return (Math.hypot(re, im) * 4) / n;
}

test('magnitudes match a direct DFT, read across the ring wrap, for every size the analysis uses', () => {
  for (const size of [256, 512, 2048, 4096]) {
    const ringLen = 2 * size;
    const ring = new Float32Array(ringLen);
    // A full-scale sine on bin 37 plus a half-scale one between bins and a DC offset.
    const end = ringLen + size / 2 + 3; // the frame wraps: it starts in the ring's second half
    for (let t = end - size; t < end; t++) {
      ring[t & (ringLen - 1)] = Math.sin((2 * Math.PI * 37 * t) / size) + 0.5 * Math.cos((2 * Math.PI * 90.5 * t) / size) + 0.1;
    }
    const spec = new MagnitudeSpectrum(size);
    const mag = spec.computeFromRing(ring, ringLen - 1, end);
    assert.equal(mag.length, size / 2);
    const frame = new Float32Array(size);
    for (let i = 0; i < size; i++) frame[i] = ring[(end - size + i) & (ringLen - 1)]!;
    for (const k of [0, 1, 36, 37, 38, 90, 91, size / 2 - 1]) {
      assert.ok(Math.abs(mag[k]! - dftMagnitude(frame, k)) < 2e-5, `size ${size} bin ${k}: ${mag[k]} vs ${dftMagnitude(frame, k)}`);
    }
    assert.ok(Math.abs(mag[37]! - 1) < 1e-3, `a full-scale sine on a bin reads 1 (${mag[37]})`);
  }
});

test('spectra of one size share the transform but keep their own magnitudes', () => {
  const size = 512;
  const ringA = new Float32Array(size);
  const ringB = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    ringA[i] = Math.sin((2 * Math.PI * 10 * i) / size);
    ringB[i] = Math.sin((2 * Math.PI * 50 * i) / size);
  }
  const a = new MagnitudeSpectrum(size);
  const b = new MagnitudeSpectrum(size);
  a.computeFromRing(ringA, size - 1, size);
  b.computeFromRing(ringB, size - 1, size);
  assert.ok(a.mag[10]! > 0.99 && a.mag[50]! < 1e-4, 'the first keeps its own spectrum after the second ran');
  assert.ok(b.mag[50]! > 0.99 && b.mag[10]! < 1e-4);
});

test('a size that is not a power of two is refused by name', () => {
  assert.throws(() => new MagnitudeSpectrum(1000), /FFT size 1000 is not a power of two/);
});
