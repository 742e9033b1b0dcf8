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

test('the input holds this hop and two before of both fluxes, and the levels now and three hops ago; zeros before the start', () => {
  const G = 2;
  const frames = [
    [1, 2, 3, 4, 5, 6],
    [11, 12, 13, 14, 15, 16],
    [21, 22, 23, 24, 25, 26],
    [31, 32, 33, 34, 35, 36],
  ];
  const out = new Float32Array(netInputs(G));
  drumNetInput((k) => (k < 4 ? { data: frames[3 - k]!, at: 0 } : null), G, out);
  assert.equal(out.length, G * (2 * FLUX_HOPS.length + LEVEL_HOPS.length));
  assert.deepEqual(Array.from(out), [31, 32, 33, 34, 21, 22, 23, 24, 11, 12, 13, 14, 35, 36, 5, 6]);
  drumNetInput((k) => (k < 1 ? { data: frames[0]!, at: 0 } : null), G, out);
  assert.deepEqual(Array.from(out), [1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 5, 6, 0, 0]);
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
