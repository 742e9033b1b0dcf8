/** Noise banks, the spatial noise mask, full noise-map inputs, and the widescreen option of the generator graph. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readCheckpoint } from '../../src/generator/checkpoint/index.js';
import { buildModel, type BuiltModel } from '../../src/generator/convert.js';
import { feedList, neutralFeeds, type GeneratorFeeds, type NoiseMode } from '../../src/generator/graph/inputs.js';
import { noiseBank } from '../../src/generator/graph/weights.js';
import { widenMap } from '../../src/generator/graph/resample.js';
import { readNpy } from '../../src/contracts/npy.js';
import type { StyleGan2Model } from '../../src/generator/types.js';
import { maxAbs } from '../helpers/arrays.js';
import { ROSINALITY_FIXTURES } from '../helpers/paths.js';

const FIX = ROSINALITY_FIXTURES;

let model: StyleGan2Model;
let ws: Float32Array;
test.before(async () => {
  model = await readCheckpoint(join(FIX, 'rosinality-64.pt'));
  ws = (await readNpy(join(FIX, 'rosinality-64-ws.npy'))).data;
});

async function run(built: BuiltModel, noise: NoiseMode, edit: (f: GeneratorFeeds) => void = () => {}): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(built.generator);
  const f = neutralFeeds(built.manifest, ws, noise);
  edit(f);
  const feeds: Record<string, ort.Tensor> = {};
  for (const x of feedList(built.manifest, f)) feeds[x.name] = new ort.Tensor('float32', x.data, x.dims);
  const out = await session.run(feeds);
  await session.release();
  return out;
}
const data = (v: ort.OnnxValue | undefined): Float32Array => v!.data as Float32Array;

test('noise bank: entry 0 is the stored noise, the others unit-variance fields', () => {
  const layer = model.convs.find((c) => c.name === 'b64.conv1')!;
  const bank = noiseBank(layer, 3, 64, 64, 5, 'mirror');
  assert.deepEqual(bank.subarray(0, 4096), layer.noise!.constNoise!.data);
  for (let k = 1; k < 3; k++) {
    const e = bank.subarray(k * 4096, (k + 1) * 4096);
    const mean = e.reduce((a, b) => a + b, 0) / e.length;
    const variance = e.reduce((a, b) => a + (b - mean) ** 2, 0) / e.length;
    assert.ok(Math.abs(mean) < 0.06, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 0.08, `variance ${variance}`);
  }
});

test('region strength 0 silences the noise; the mask gates it per pixel; other bank entries change the picture', async () => {
  const built = await buildModel(model, { bendLayers: [], rewriteLayers: [], featureOutputs: ['b4.conv1'] });
  const zero = await run(built, 'zero');
  const silenced = await run(built, 'const', (f) => f.noiseRegion.fill(0));
  assert.ok(maxAbs(data(silenced.image), data(zero.image)) <= 1e-6);

  // Mask 1 on the right half only (16×16 → 4×4 bilinear, half-pixel): columns 2, 3 of the 4×4 layer get noise.
  const M = built.manifest.maskSize;
  const half = await run(built, 'const', (f) => {
    f.noiseMask.fill(0);
    for (let y = 0; y < M; y++) for (let x = M / 2; x < M; x++) f.noiseMask[y * M + x] = 1;
  });
  const full = await run(built, 'const');
  const fz = data(zero['feat_b4.conv1']);
  const fh = data(half['feat_b4.conv1']);
  const ff = data(full['feat_b4.conv1']);
  let diffLeft = 0;
  let diffRight = 0;
  let noiseVisible = 0;
  for (let i = 0; i < fh.length; i++) {
    const x = i % 4;
    if (x < 2) diffLeft = Math.max(diffLeft, Math.abs(fh[i]! - fz[i]!));
    else diffRight = Math.max(diffRight, Math.abs(fh[i]! - ff[i]!));
    noiseVisible = Math.max(noiseVisible, Math.abs(ff[i]! - fz[i]!));
  }
  assert.ok(diffLeft <= 1e-6, `left half without noise: ${diffLeft}`);
  assert.ok(diffRight <= 1e-6, `right half with full noise: ${diffRight}`);
  assert.ok(noiseVisible > 1e-2, 'the stored noise is visible at 4×4');

  const other = await run(built, 'const', (f) => {
    f.noiseMix.fill(0);
    for (let j = 0; j < built.manifest.numNoise; j++) f.noiseMix[j * built.manifest.noiseBank + 1] = 1;
  });
  assert.ok(maxAbs(data(other.image), data(full.image)) > 0.05);
});

test('full noise maps as inputs reproduce the bank model when fed the stored noise', async () => {
  const bank = await buildModel(model, { bendLayers: [], rewriteLayers: [] });
  const maps = await buildModel(model, { bendLayers: [], rewriteLayers: [], noiseInputs: true });
  assert.equal(maps.manifest.noiseBank, 0);
  const noisy = model.convs.filter((c) => c.noise);
  const out = await run(maps, 'const', (f) => {
    noisy.forEach((c, j) => (f.noiseMaps[j] = c.noise!.constNoise!.data));
  });
  assert.ok(maxAbs(data(out.image), data((await run(bank, 'const')).image)) <= 1e-5);
});

test('widescreen 2:1: the constant input is mirrored to 4×8 and the network paints 64×128', async () => {
  const c = Float32Array.from({ length: 16 }, (_, i) => i % 4);
  assert.deepEqual([...widenMap(c, 1, 4, 4, 4, 8, 'mirror').subarray(0, 8)], [1, 0, 0, 1, 2, 3, 3, 2]);
  assert.deepEqual([...widenMap(c, 1, 4, 4, 4, 8, 'tile').subarray(0, 8)], [2, 3, 0, 1, 2, 3, 0, 1]);
  const wide = await buildModel(model, { aspect: { width: 2, height: 1 } });
  assert.equal(wide.manifest.width, 128);
  assert.equal(wide.manifest.height, 64);
  assert.deepEqual(
    wide.manifest.layers.filter((l) => l.name.endsWith('conv1')).map((l) => [l.height, l.width]),
    [[4, 8], [8, 16], [16, 32], [32, 64], [64, 128]],
  );
  const out = await run(wide, 'const');
  assert.deepEqual(out.rgba!.dims, [64, 128, 4]);
  assert.deepEqual(out.image!.dims, [3, 64, 128]);
  const img = data(out.image);
  assert.ok(img.every(Number.isFinite));
  // Zero padding at the borders makes no exact symmetry; the picture must at least be a picture, not flat.
  const mean = img.reduce((a, b) => a + b, 0) / img.length;
  const sd = Math.sqrt(img.reduce((a, b) => a + (b - mean) ** 2, 0) / img.length);
  assert.ok(sd > 0.1, `picture std ${sd}`);
});
