/**
 * NVIDIA stylegan2-ada-pytorch format end to end (fixtures written by the checkpoint tool with python3-torch, in
 * test/fixtures/nvidia): mapping + truncation ψ = 0.7 on all layers (w_avg + ψ·(w − w_avg)) + synthesis with
 * conv_clamp, stored noise and none, and style mixing through --ws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint } from '../../src/generator/checkpoint/index.js';
import { buildModelFiles } from '../../src/generator/convert.js';
import { generateImage } from '../../src/commands/generate.js';
import { readNpy } from '../../src/contracts/npy.js';
import { maxAbs } from '../helpers/arrays.js';
import { NVIDIA_FIXTURES } from '../helpers/paths.js';

const NV = NVIDIA_FIXTURES;

test('nvidia-32.pkl: generate --z --truncation 0.7 (const and no noise) and --ws mixed match the reference', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lvj-nv-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const model = await readCheckpoint(join(NV, 'nvidia-32.pkl'));
  assert.ok(model.convs.some((c) => c.clamp !== null), 'the fixture exercises conv_clamp');
  const manifest = await buildModelFiles(model, dir, {});
  assert.equal(manifest.origin.format, 'nvidia');
  assert.equal(manifest.width, 32);

  const wsTrunc = await readNpy(join(NV, 'nvidia-32-ws-trunc07.npy'));
  for (const [noise, ref] of [
    ['const', 'nvidia-32-img-trunc07-noise-const.npy'],
    ['zero', 'nvidia-32-img-trunc07-noise-none.npy'],
  ] as const) {
    const r = await generateImage({ model: dir, z: join(NV, 'nvidia-32-z.npy'), truncation: 0.7, noise, noiseSeed: 1 });
    const eWs = maxAbs(r.ws, wsTrunc.data);
    const e = maxAbs(r.image, (await readNpy(join(NV, ref))).data);
    t.diagnostic(`z → w → ψ 0.7: ws max abs ${eWs.toExponential(2)}; image noise=${noise} max abs ${e.toExponential(2)}`);
    assert.ok(eWs <= 1e-4, `ws ${eWs}`);
    assert.ok(e <= 1e-3, `image ${e}`);
  }
  const mixed = await generateImage({ model: dir, ws: join(NV, 'nvidia-32-ws-mixed.npy'), truncation: 1, noise: 'const', noiseSeed: 1 });
  const e = maxAbs(mixed.image, (await readNpy(join(NV, 'nvidia-32-img-mixed-noise-const.npy'))).data);
  t.diagnostic(`mixed ws, noise const: max abs ${e.toExponential(2)}`);
  assert.ok(e <= 1e-3);

  // Mapping alone: w from z without truncation.
  const w = await generateImage({ model: dir, z: join(NV, 'nvidia-32-z.npy'), truncation: 1, noise: 'zero', noiseSeed: 1 });
  const wRef = await readNpy(join(NV, 'nvidia-32-w-from-z.npy'));
  const eW = maxAbs(w.ws.subarray(0, manifest.wDim), wRef.data.subarray(0, manifest.wDim));
  t.diagnostic(`mapping max abs ${eW.toExponential(2)}`);
  assert.ok(eW <= 1e-4);
});

test("nvidia-32.pkl: generate --seed S paints upstream generate.py's picture for seeds 0, 7, 42 (z from numpy's RandomState)", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lvj-nv-seed-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await buildModelFiles(await readCheckpoint(join(NV, 'nvidia-32.pkl')), dir, {});
  const ref = await readNpy(join(NV, 'nvidia-32-seeds.npy'));
  const per = 3 * 32 * 32;
  for (const [i, seed] of [0, 7, 42].entries()) {
    const r = await generateImage({ model: dir, seed, truncation: 1, noise: 'const', noiseSeed: 1 });
    const e = maxAbs(r.image, ref.data.subarray(i * per, (i + 1) * per));
    t.diagnostic(`seed ${seed}: max abs ${e.toExponential(2)} against upstream`);
    assert.ok(e <= 1e-4, `seed ${seed}: ${e}`);
  }
});

test('a checkpoint with a 4×8 learned constant converts to its own 32×16 picture without --aspect and paints upstream\'s picture', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lvj-nv-wide-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const model = await readCheckpoint(join(NV, 'nvidia-wide-16.pkl'));
  assert.deepEqual(model.constInput.shape, [8, 4, 8]);
  const manifest = await buildModelFiles(model, join(dir, 'own'), {});
  assert.deepEqual([manifest.width, manifest.height, manifest.options.aspect], [32, 16, '2:1']);
  const ref = await readNpy(join(NV, 'nvidia-wide-16-img.npy'));
  const r = await generateImage({ model: join(dir, 'own'), seed: 5, truncation: 1, noise: 'const', noiseSeed: 1 });
  const e = maxAbs(r.image, ref.data);
  t.diagnostic(`4×8 constant, seed 5: max abs ${e.toExponential(2)} against upstream`);
  assert.ok(e <= 1e-4, `${e}`);
  // Asking for a square picture crops the constant: another picture (what the converter used to do silently).
  const square = await buildModelFiles(model, join(dir, 'square'), { aspect: { width: 1, height: 1 } });
  assert.deepEqual([square.width, square.height], [16, 16]);
});

test('a class-conditional pickle (c_dim 4) converts, and generate --seed 3 --class k paints upstream\'s picture for each class', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lvj-nv-cond-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const model = await readCheckpoint(join(NV, 'nvidia-cond-16.pkl'));
  assert.equal(model.cDim, 4);
  const manifest = await buildModelFiles(model, dir, {});
  assert.equal(manifest.cDim, 4);
  const ref = await readNpy(join(NV, 'nvidia-cond-16-img.npy'));
  const per = 3 * 16 * 16;
  const cases: [number, number][] = [[0, 1], [1, 1], [2, 1], [3, 1], [2, 0.5]];
  for (const [i, [k, psi]] of cases.entries()) {
    const r = await generateImage({ model: dir, seed: 3, classIndex: k, truncation: psi, noise: 'const', noiseSeed: 1 });
    const e = maxAbs(r.image, ref.data.subarray(i * per, (i + 1) * per));
    t.diagnostic(`class ${k}, ψ ${psi}: max abs ${e.toExponential(2)} against upstream`);
    assert.ok(e <= 1e-4, `class ${k} ψ ${psi}: ${e}`);
  }
  await assert.rejects(generateImage({ model: dir, seed: 3, truncation: 1, noise: 'const', noiseSeed: 1 }), /a class-conditional model with 4 classes; give --class 0\.\.3/);
  await assert.rejects(generateImage({ model: dir, seed: 3, classIndex: 4, truncation: 1, noise: 'const', noiseSeed: 1 }), /--class: 4 is not a class of this model \(0\.\.3\)/);
});
