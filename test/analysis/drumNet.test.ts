import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActivationPicker, DrumNet, FLUX_HOPS, LEVEL_HOPS, drumNetInput, loadDrumNet, netInputs, poolBands } from '../../src/analysis/drumNet.js';
import { analyseSignal, eventTimes, fMeasure } from '../../src/analysis/evaluation.js';
import { FeatureExtractor } from '../../src/analysis/extractor.js';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { renderPattern } from '../../src/analysis/synth.js';

const centreHz = (): Float32Array => new FeatureExtractor(analysisConfigSchema.parse({}), 44100).drums.bandFlux.centreHz;

test('the detector bands pool into third octaves from 40 Hz, in order, none empty; the committed net reads them', () => {
  const c = centreHz();
  const { of, count, size } = poolBands(c);
  assert.equal(of[0], 0, 'the lowest bands fall into the first pooled band');
  for (let b = 1; b < of.length; b++) assert.ok(of[b]! === of[b - 1]! || of[b]! === of[b - 1]! + 1, `band ${b} jumps from ${of[b - 1]} to ${of[b]}`);
  assert.equal(of[of.length - 1], count - 1);
  assert.ok(size.every((s) => s >= 1));
  // Third octaves from 40 Hz to the top band (≈ 15.8 kHz): about 26, less the empty ones of the one-bin bands.
  assert.ok(count >= 20 && count <= 27, `${count} pooled bands`);
  assert.equal(loadDrumNet(count).sizes[0], netInputs(count));
});

/** Mean centre (Hz) of each pooled band. */
function pooledCentres(c: Float32Array): number[] {
  const { of, count, size } = poolBands(c);
  const m = new Array<number>(count).fill(0);
  for (let i = 0; i < c.length; i++) m[of[i]!]! += c[i]! / size[of[i]!]!;
  return m;
}

test('the committed net runs at 44.1 kHz and the usual higher rates, whose bands pool alike; at 22.05 and 32 kHz the rules work alone', () => {
  const cfg = analysisConfigSchema.parse({});
  const ref = pooledCentres(centreHz());
  for (const [sr, runs] of [[44100, true], [48000, true], [88200, true], [96000, true], [192000, true], [22050, false], [32000, false]] as const) {
    const ex = new FeatureExtractor(cfg, sr);
    assert.equal(ex.drums.net.active, runs, `${sr} Hz`);
    if (!runs) continue;
    // Each input band of the net hears about what it heard in training: its centre within an eighth of an octave.
    const got = pooledCentres(ex.drums.bandFlux.centreHz);
    for (let g = 0; g < ref.length; g++) assert.ok(Math.abs(Math.log2(got[g]! / ref[g]!)) < 1 / 8, `${sr} Hz: pooled band ${g} at ${got[g]!.toFixed(0)} Hz, ${ref[g]!.toFixed(0)} Hz at 44.1 kHz`);
  }
});

test('the input: both fluxes of this hop and two before, the levels now and three hops ago, the slow level three hops ago and the slow flux now, as square roots; zeros before the start', () => {
  const G = 2;
  // Frame k hops back holds (10k + j)² at its j-th value: its inputs read 10k + j.
  const frame = (k: number): number[] => Array.from({ length: 5 * G }, (_, j) => (10 * k + j) ** 2);
  const out = new Float32Array(netInputs(G));
  drumNetInput((k) => ({ data: frame(k), at: 0 }), G, out);
  assert.equal(out.length, G * (2 * FLUX_HOPS.length + LEVEL_HOPS.length + 2));
  const flux = [0, 1, 2].flatMap((k) => [0, 1, 2, 3].map((j) => 10 * k + j));
  assert.deepEqual(Array.from(out), [...flux, 4, 5, 34, 35, 36, 37, 8, 9]);
  drumNetInput((k) => (k < 1 ? { data: frame(0), at: 0 } : null), G, out);
  assert.deepEqual(Array.from(out), [0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 4, 5, 0, 0, 0, 0, 8, 9]);
});

test('the detector gathers the same input from its history as drumNetInput does from the raw frames', () => {
  const c = centreHz();
  const { count } = poolBands(c);
  const net = new DrumNet(c);
  const frames: Float32Array[] = [];
  for (let hop = 0; hop < 6; hop++) {
    const flux = Float32Array.from(c, (_, b) => ((b * 7 + hop * 3) % 11) / 50);
    const level = Float32Array.from(c, (_, b) => ((b + hop) % 5) / 4);
    net.push(flux, flux.map((v) => v / 2), level);
    frames.push(net.frame.slice());
    net.run();
    const want = new Float32Array(netInputs(count));
    drumNetInput((k) => (k <= hop ? { data: frames[hop - k]!, at: 0 } : null), count, want);
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(net.input[i]! - want[i]!) < 1e-5, `hop ${hop} input ${i}: ${net.input[i]} vs ${want[i]}`);
  }
});

test('the picker fires where the activation rises through its threshold, once per rise, not within the minimum gap', () => {
  const p = new ActivationPicker(0.5, 3);
  const acts = [0.1, 0.6, 0.9, 0.7, 0.2, 0.8, 0.1, 0.1, 0.1, 0.55, 0.4, 0.5];
  const fired = acts.map((a) => p.push(a, true));
  // Hop 5 rises again only 4 hops after hop 1: allowed (gap 3); hop 9 rises 4 after it; hop 11 only 2 after hop 9.
  assert.deepEqual(fired.map((f, i) => (f ? i : -1)).filter((i) => i >= 0), [1, 5, 9]);
  const q = new ActivationPicker(0.5, 3);
  assert.equal(q.push(0.9, false), false, 'a vetoed hop (silence) does not fire');
  assert.equal(q.push(0.9, true), false, 'nor does the hop after it, which did not rise');
});
