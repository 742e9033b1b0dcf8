/** FrameParams → the input slab: layout, truncation toward w_avg, region strengths folded into the masks, mismatches. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { neutralParams, paramsMismatch, slabLayout, writeParams } from '../../src/generator/runtime/params.js';
import { syntheticManifest } from '../../src/generator/runtime/syntheticModel.js';
import type { Manifest } from '../../src/generator/types.js';

const manifest: Manifest = {
  ...syntheticManifest({ width: 8, height: 8, numWs: 2, wDim: 3 }),
  numNoise: 2,
  noiseBank: 2,
  maskRegions: 2,
  maskSize: 2,
  numBend: 1,
  numRewrite: 1,
  wAvg: [1, 2, 3],
};
const inputs = [
  { name: 'ws', shape: [1, 2, 3] },
  { name: 'noise_mix', shape: [2, 2] },
  { name: 'noise_strength', shape: [2] },
  { name: 'noise_mask', shape: [2, 2, 2] },
  { name: 'noise_region', shape: [2] },
  { name: 'bend', shape: [1, 2, 3] },
  { name: 'rewrite', shape: [1] },
];

test('params are laid out in input order and truncated toward w_avg', () => {
  const { entries, length } = slabLayout(inputs, manifest);
  assert.equal(length, 6 + 4 + 2 + 8 + 2 + 6 + 1);
  const p = neutralParams(manifest);
  p.ws = Float32Array.from([3, 2, 1, 1, 2, 3]);
  p.truncation = 0.5;
  p.rewrite[0] = 0.25;
  const slab = new Float32Array(length);
  writeParams(slab, entries, p, Float32Array.from(manifest.wAvg));
  assert.deepEqual(Array.from(slab.subarray(0, 6)), [2, 2, 2, 1, 2, 3]);
  // neutral: bank entry 0 per layer, strengths 1, region 0 = whole picture, identity bend.
  assert.deepEqual(Array.from(slab.subarray(6, 10)), [1, 0, 1, 0]);
  assert.deepEqual(Array.from(slab.subarray(10, 12)), [1, 1]);
  assert.deepEqual(Array.from(slab.subarray(12, 20)), [1, 1, 1, 1, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(slab.subarray(20, 22)), [1, 1]);
  assert.deepEqual(Array.from(slab.subarray(22, 28)), [1, 0, 0, 0, 1, 0]);
  assert.equal(slab[28], 0.25);
});

test('one noiseMask layout: masks with their strengths folded in feed region strength 1; any other length is named', () => {
  const { entries, length } = slabLayout(inputs, manifest);
  const p = neutralParams(manifest);
  p.noiseMask = new Float32Array(8).fill(0.5);
  assert.equal(paramsMismatch(p, entries), null);
  const slab = new Float32Array(length).fill(-1);
  writeParams(slab, entries, p, null);
  assert.deepEqual(Array.from(slab.subarray(20, 22)), [1, 1]);
  p.noiseMask = new Float32Array(10);
  assert.match(paramsMismatch(p, entries)!, /FrameParams\.noiseMask has 10 values, the model's input 'noise_mask' \[2, 2, 2\] needs 8/);
  const q = neutralParams(manifest);
  q.bend = new Float32Array(5);
  assert.match(paramsMismatch(q, entries)!, /FrameParams\.bend has 5 values, the model's input 'bend' \[1, 2, 3\] needs 6/);
});

test('a NaN or infinite value anywhere in the params is named, so the frame is skipped instead of painted black', () => {
  const { entries } = slabLayout(inputs, manifest);
  const p = neutralParams(manifest);
  p.ws[3] = Number.NaN;
  assert.match(paramsMismatch(p, entries)!, /FrameParams\.ws\[3\] is NaN/);
  const q = neutralParams(manifest);
  q.bend[2] = Number.POSITIVE_INFINITY;
  assert.match(paramsMismatch(q, entries)!, /FrameParams\.bend\[2\] is Infinity/);
  const r = neutralParams(manifest);
  r.truncation = Number.NaN;
  assert.match(paramsMismatch(r, entries)!, /truncation is NaN/);
});
