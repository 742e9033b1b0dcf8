import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readCheckpoint } from '../../src/generator/checkpoint/index.js';
import type { StyleGan2Model, Tensor } from '../../src/generator/types.js';
import { ROSINALITY_FIXTURES } from '../helpers/paths.js';

const FILE = join(ROSINALITY_FIXTURES, 'rosinality-64.pt');

interface Digest {
  shape: number[];
  first: number[];
  sum: number;
  sumsq: number;
}
/** Per-tensor digests written by torch (tools/nvidia-fixture/make_rosinality.py). */
const digest = JSON.parse(readFileSync(join(ROSINALITY_FIXTURES, 'rosinality-64-digest.json'), 'utf8')) as Record<string, Digest>;

function checkDigest(key: string, t: Tensor | Float32Array): void {
  const d = digest[key];
  assert.ok(d, `digest has ${key}`);
  const data = t instanceof Float32Array ? t : t.data;
  let sum = 0;
  let sumsq = 0;
  for (const v of data) {
    sum += v;
    sumsq += v * v;
  }
  assert.equal(data.length, d.shape.reduce((a, b) => a * b, 1), `${key} size`);
  assert.deepEqual(Array.from(data.subarray(0, d.first.length)), d.first.map((v) => Math.fround(v)), `${key} first values`);
  assert.ok(Math.abs(sum - d.sum) <= 1e-9 * Math.max(1, Math.abs(d.sum)) + 1e-9, `${key} sum ${sum} vs ${d.sum}`);
  assert.ok(Math.abs(sumsq - d.sumsq) <= 1e-9 * d.sumsq + 1e-9, `${key} sum of squares`);
}

let model: StyleGan2Model;
test('rosinality-64.pt: hyper-parameters inferred from tensor shapes', async () => {
  model = await readCheckpoint(FILE);
  assert.equal(model.source.format, 'rosinality');
  assert.equal(model.source.sha256, createHash('sha256').update(readFileSync(FILE)).digest('hex'));
  assert.deepEqual(
    { zDim: model.zDim, wDim: model.wDim, numWs: model.numWs, resolution: model.resolution, img: model.imgChannels, mlp: model.mapping.layers.length },
    { zDim: 64, wDim: 64, numWs: 10, resolution: 64, img: 3, mlp: 2 },
  );
  assert.deepEqual(model.constInput.shape, [32, 4, 4]);
  // Non-standard channel counts, read from each conv.
  assert.deepEqual(
    model.convs.map((c) => [c.name, c.inChannels, c.outChannels, c.wIndex, c.up]),
    [
      ['b4.conv1', 32, 32, 0, false],
      ['b8.conv0', 32, 32, 1, true],
      ['b8.conv1', 32, 32, 2, false],
      ['b16.conv0', 32, 24, 3, true],
      ['b16.conv1', 24, 24, 4, false],
      ['b32.conv0', 24, 16, 5, true],
      ['b32.conv1', 16, 16, 6, false],
      ['b64.conv0', 16, 8, 7, true],
      ['b64.conv1', 8, 8, 8, false],
    ],
  );
  assert.deepEqual(model.toRgb.map((c) => [c.name, c.inChannels, c.wIndex, c.resolution]), [
    ['b4.torgb', 32, 1, 4],
    ['b8.torgb', 32, 3, 8],
    ['b16.torgb', 24, 5, 16],
    ['b32.torgb', 16, 7, 32],
    ['b64.torgb', 8, 9, 64],
  ]);
  assert.deepEqual(model.blurKernel, [1, 3, 3, 1]);
  assert.equal(model.mapping.normalizeZ, true);
  assert.equal(model.mapping.activationGain, Math.SQRT2);
});

test('rosinality-64.pt: gains follow model.py (EqualLinear lr_mlp 0.01, 1/√fan_in conv scale, ToRGB without demod)', () => {
  const fc = model.mapping.layers[0];
  assert.ok(fc);
  assert.equal(fc.weightGain, 0.01 / 8);
  assert.equal(fc.biasGain, 0.01);
  const conv = model.convs[3];
  assert.ok(conv);
  assert.equal(conv.weightGain, 1 / Math.sqrt(32 * 9));
  assert.equal(conv.styleGain, 1);
  assert.equal(conv.affine.weightGain, 1 / 8);
  assert.equal(conv.demodulate, true);
  assert.equal(conv.activation, 'lrelu');
  assert.equal(conv.activationGain, Math.SQRT2);
  assert.equal(conv.clamp, null);
  const rgb = model.toRgb[2];
  assert.ok(rgb);
  assert.equal(rgb.weightGain, 1 / Math.sqrt(24));
  assert.equal(rgb.demodulate, false);
  assert.equal(rgb.activation, 'linear');
  assert.equal(rgb.noise, null);
  assert.deepEqual(rgb.bias.shape, [3]);
});

test('rosinality-64.pt: every tensor recovered exactly (digests written by torch)', () => {
  checkDigest('style.1.weight', model.mapping.layers[0]!.weight);
  checkDigest('style.2.bias', model.mapping.layers[1]!.bias!);
  checkDigest('input.input', model.constInput);
  checkDigest('latent_avg', model.wAvg!);
  const prefixes = ['conv1', ...Array.from({ length: 8 }, (_, j) => `convs.${j}`)];
  model.convs.forEach((c, i) => {
    const p = prefixes[i] as string;
    checkDigest(`${p}.conv.weight`, c.weight);
    assert.deepEqual(c.weight.shape, [c.outChannels, c.inChannels, 3, 3]);
    checkDigest(`${p}.conv.modulation.weight`, c.affine.weight);
    checkDigest(`${p}.conv.modulation.bias`, c.affine.bias!);
    checkDigest(`${p}.activate.bias`, c.bias);
    assert.equal(c.noise?.strength, Math.fround(digest[`${p}.noise.weight`]!.first[0]!));
    checkDigest(`noises.noise_${i}`, c.noise!.constNoise!);
    assert.deepEqual(c.noise?.constNoise?.shape, [c.resolution, c.resolution]);
  });
  model.toRgb.forEach((c, i) => {
    const p = i === 0 ? 'to_rgb1' : `to_rgbs.${i - 1}`;
    checkDigest(`${p}.conv.weight`, c.weight);
    checkDigest(`${p}.conv.modulation.weight`, c.affine.weight);
    checkDigest(`${p}.bias`, c.bias);
  });
});
