/** `generate` latent inputs: --w broadcasts to every row, --seed is deterministic, shapes and choices are checked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint } from '../../src/generator/checkpoint/index.js';
import { buildModelFiles } from '../../src/generator/convert.js';
import { generateImage, generatePictures, type GenerateOptions } from '../../src/commands/generate.js';
import { readNpy, writeNpy } from '../../src/contracts/npy.js';
import { UserError } from '../../src/errors.js';
import { parseAspect, constSize } from '../../src/generator/graph/options.js';
import { ROSINALITY_FIXTURES } from '../helpers/paths.js';

const FIX = ROSINALITY_FIXTURES;
let dir: string;
const base = (): GenerateOptions => ({ model: dir, truncation: 1, noise: 'const', noiseSeed: 1 });

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lvj-gen-'));
  await buildModelFiles(await readCheckpoint(join(FIX, 'rosinality-64.pt')), dir, { bendLayers: [], rewriteLayers: [] });
});
test.after(() => rm(dir, { recursive: true, force: true }));

test('--w [wDim] equals --ws with that w on every row; --seed is deterministic; ψ moves toward w_avg', async () => {
  const w = await readNpy(join(FIX, 'rosinality-64-w-from-z.npy'));
  const wFile = join(dir, 'w.npy');
  await writeNpy(wFile, { shape: [64], data: w.data });
  const wsFile = join(dir, 'ws.npy');
  const rows = new Float32Array(10 * 64);
  for (let i = 0; i < 10; i++) rows.set(w.data, i * 64);
  await writeNpy(wsFile, { shape: [10, 64], data: rows });
  const a = await generateImage({ ...base(), w: wFile });
  const b = await generateImage({ ...base(), ws: wsFile });
  assert.deepEqual(a.image, b.image);
  // --z [1, zDim] goes through the mapping to the same w.
  const c = await generateImage({ ...base(), z: join(FIX, 'rosinality-64-z.npy') });
  let e = 0;
  for (let i = 0; i < c.image.length; i++) e = Math.max(e, Math.abs(c.image[i]! - a.image[i]!));
  assert.ok(e <= 1e-4, `z vs w: ${e}`);
  const s1 = await generateImage({ ...base(), seed: 5 });
  const s2 = await generateImage({ ...base(), seed: 5 });
  assert.deepEqual(s1.image, s2.image);
  const half = await generateImage({ ...base(), seed: 5, truncation: 0.5 });
  const avg = half.manifest.wAvg;
  for (let i = 0; i < 64; i++) assert.ok(Math.abs(half.ws[i]! - (avg[i]! + 0.5 * (s1.ws[i]! - avg[i]!))) < 1e-6);
});

test('wrong latent shapes and latent choices are refused as user errors naming the file', async () => {
  const bad = join(dir, 'bad.npy');
  await writeNpy(bad, { shape: [3, 64], data: new Float32Array(192) });
  await assert.rejects(generateImage({ ...base(), ws: bad }), (e: unknown) => e instanceof UserError && e.message.startsWith(`${bad}: shape [3, 64]; expected W+ latents [N, 10, 64] or [10, 64]`));
  const badZ = join(dir, 'bad-z.npy');
  await writeNpy(badZ, { shape: [3, 5], data: new Float32Array(15) });
  await assert.rejects(generateImage({ ...base(), z: badZ }), (e: unknown) => e instanceof UserError && /bad-z\.npy: shape \[3, 5\]; expected z latents of this model, \[N, 64\] or \[64\]/.test(e.message));
  // Several z in one file are several pictures.
  const threeZ = await generatePictures({ ...base(), z: bad });
  assert.equal(threeZ.pictures.length, 3);
  await assert.rejects(generateImage(base()), (e: unknown) => e instanceof UserError && /exactly one of --seed, --z, --w or --ws/.test(e.message));
  await assert.rejects(generateImage({ ...base(), seed: 1, z: bad }), UserError);
  await assert.rejects(generateImage({ ...base(), model: join(dir, 'nowhere'), seed: 1 }), (e: unknown) => e instanceof UserError && /manifest\.json: cannot read the model manifest/.test(e.message));
});

test('aspect ratios the constant input cannot take in whole pixels are refused', async () => {
  const model = await readCheckpoint(join(FIX, 'rosinality-64.pt'));
  assert.deepEqual(constSize(model, parseAspect('3:2')), { h: 4, w: 6 });
  assert.deepEqual(constSize(model, parseAspect('1:2')), { h: 8, w: 4 });
  assert.throws(() => constSize(model, parseAspect('16:9')), /cannot be widened to it in whole pixels/);
  assert.throws(() => parseAspect('wide'), /is not W:H/);
});

test('latents with NaN or ±Infinity are refused naming the file and the index (they paint a black picture)', async () => {
  const nanW = join(dir, 'nan-w.npy');
  const data = new Float32Array(64).fill(0.1);
  data[7] = Number.NaN;
  await writeNpy(nanW, { shape: [64], data });
  await assert.rejects(generateImage({ ...base(), w: nanW }), (e: unknown) => e instanceof UserError && e.message.startsWith(`${nanW}: latent 0, value 7 is NaN`));
  const infZ = join(dir, 'inf-z.npy');
  const z = new Float32Array(64);
  z[0] = Number.NEGATIVE_INFINITY;
  await writeNpy(infZ, { shape: [1, 64], data: z });
  await assert.rejects(generateImage({ ...base(), z: infZ }), (e: unknown) => e instanceof UserError && /inf-z\.npy: latent 0, value 0 is -Infinity/.test(e.message));
});
