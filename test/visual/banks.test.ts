import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '../../src/contracts/npy.js';
import { loadBank, BankError } from '../../src/visual/banks.js';
import { createOnnxLatentProvider, zFromSeed, type LatentProvider } from '../../src/visual/latents.js';
import { randomStyleGan2Model } from '../../src/generator/randomModel.js';
import { buildModelFiles } from '../../src/generator/convert.js';
import { readCheckpoint } from '../../src/generator/checkpoint/index.js';
import { OfflineModel } from '../../src/generator/offline.js';

const provider: LatentProvider = { wDim: 4, numWs: 2, wAvg: new Float32Array(4), fromSeeds: async (s) => s.map(() => new Float32Array(4)) };

test('a bank file with NaN or infinite values is refused with the file and the position (a NaN in W paints black)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-banks-'));
  try {
    const data = Float32Array.from({ length: 8 }, (_, i) => i / 8);
    data[6] = Number.NaN;
    writeFileSync(join(dir, 'nan.npy'), encodeNpy({ shape: [2, 4], data }));
    await assert.rejects(
      () => loadBank({ file: 'nan.npy' }, dir, provider),
      (e: unknown) => e instanceof BankError && e.key === 'file' && /nan\.npy.*latent 1.*value 2.*NaN/.test(e.message),
    );
    data[6] = Number.POSITIVE_INFINITY;
    writeFileSync(join(dir, 'inf.npy'), encodeNpy({ shape: [2, 4], data }));
    await assert.rejects(() => loadBank({ file: 'inf.npy' }, dir, provider), /inf\.npy.*latent 1.*Infinity/);
    data[6] = 0.5;
    writeFileSync(join(dir, 'ok.npy'), encodeNpy({ shape: [2, 4], data }));
    assert.equal((await loadBank({ file: 'ok.npy' }, dir, provider)).length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const NV = join(process.cwd(), 'test', 'fixtures', 'nvidia');
const wPlusProvider: LatentProvider = { wDim: 6, numWs: 4, wAvg: new Float32Array(6), fromSeeds: async (s) => s.map(() => new Float32Array(6)) };
const expected = JSON.parse(readFileSync(join(NV, 'latent-files.json'), 'utf8')) as { projected_w: number[]; wplus: number[][] };

test("the projector's projected_w.npz and a W+ .npy (float64, [N, numWs, wDim]) load as banks, files written by numpy", async () => {
  const proj = await loadBank({ file: 'projected_w.npz' }, NV, wPlusProvider);
  assert.equal(proj.length, 1);
  assert.deepEqual(Array.from(proj[0]!), expected.projected_w.map(Math.fround));
  const wplus = await loadBank({ file: 'wplus-2x4x6.npy' }, NV, wPlusProvider);
  assert.deepEqual(wplus.map((v) => Array.from(v)), expected.wplus.map((r) => r.map(Math.fround)));
  // Distinct rows cannot be one W; the error names the file and the latent.
  await assert.rejects(() => loadBank({ file: 'wplus-mixed-1x4x6.npy' }, NV, wPlusProvider), (e: unknown) => e instanceof BankError && /wplus-mixed-1x4x6\.npy: W\+ latent 0 has distinct rows/.test(e.message));
  // A model of another size: the shape and the model's sizes are named.
  await assert.rejects(() => loadBank({ file: 'projected_w.npz' }, NV, provider), /projected_w\.npz.*shape \[1, 4, 6\].*\[N, 4\]/);
});

test('bank files that are not latents fail naming the file: damaged npz, npz with other arrays, ragged JSON, not JSON', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-banks-'));
  try {
    writeFileSync(join(dir, 'bad.npz'), Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0]));
    await assert.rejects(() => loadBank({ file: 'bad.npz' }, dir, provider), /bad\.npz: damaged \.npz/);
    writeFileSync(join(dir, 'two.npz'), zipSync({ 'a.npy': encodeNpy({ shape: [4], data: new Float32Array(4) }), 'b.npy': encodeNpy({ shape: [4], data: new Float32Array(4) }) }));
    await assert.rejects(() => loadBank({ file: 'two.npz' }, dir, provider), /two\.npz: an \.npz with arrays a, b/);
    writeFileSync(join(dir, 'ragged.json'), JSON.stringify([[1, 2, 3, 4], [1, 2]]));
    await assert.rejects(() => loadBank({ file: 'ragged.json' }, dir, provider), /ragged\.json: \[1\] is not an array of 4/);
    writeFileSync(join(dir, 'text.json'), 'hello');
    await assert.rejects(() => loadBank({ file: 'text.json' }, dir, provider), /text\.json: not \.npy, \.npz or valid JSON/);
    writeFileSync(join(dir, 'one.npz'), zipSync({ 'w.npy': encodeNpy({ shape: [2, 4], data: Float32Array.from({ length: 8 }, (_, i) => i) }) }));
    const ok = await loadBank({ file: 'one.npz' }, dir, provider);
    assert.deepEqual(Array.from(ok[1]!), [4, 5, 6, 7]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a z bank (space: z) goes through the mapping network: z of seed 7 from a file gives the W of seed 7', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-banks-z-'));
  try {
    const model = randomStyleGan2Model({ seed: 5, resolution: 8, channelBase: 64, channelMax: 8, zDim: 12, wDim: 10, mappingLayers: 2, wAvgSamples: 16 });
    const manifest = await buildModelFiles(model, dir, { noiseBank: 1 });
    const real = await createOnnxLatentProvider(dir, manifest);
    try {
      const z = new Float32Array(24);
      z.set(zFromSeed(7, 12), 0);
      z.set(zFromSeed(9, 12), 12);
      writeFileSync(join(dir, 'z.npy'), encodeNpy({ shape: [2, 12], data: z }));
      const bank = await loadBank({ file: 'z.npy', space: 'z' }, dir, real);
      assert.deepEqual(bank, await real.fromSeeds([7, 9]));
      // The same file read as W is the wrong size for this model, and says so.
      await assert.rejects(() => loadBank({ file: 'z.npy' }, dir, real), /z\.npy: shape \[2, 12\]; expected w latents of this model, \[N, 10\]/);
    } finally {
      await real.close?.();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a conditional model: a bank of classes is one W per class from one seed; seeds use class 0; classes on an unconditional model are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-banks-c-'));
  try {
    const model = await readCheckpoint(join(NV, 'nvidia-cond-16.pkl'));
    const manifest = await buildModelFiles(model, dir, { noiseBank: 1 });
    const real = await createOnnxLatentProvider(dir, manifest);
    try {
      const bank = await loadBank({ classes: [0, 2, 3], classSeed: 5 }, dir, real);
      assert.equal(bank.length, 3);
      assert.notDeepEqual(bank[0], bank[1]);
      // The same latents through the offline runner (the path generate --class uses).
      const off = await OfflineModel.open(dir);
      try {
        for (const [i, k] of [0, 2, 3].entries()) {
          const labels = new Float32Array(4);
          labels[k] = 1;
          assert.deepEqual(bank[i], await off.mapZ(zFromSeed(5, 16), labels), `class ${k}`);
        }
      } finally {
        await off.close();
      }
      assert.deepEqual((await loadBank({ seeds: [5] }, dir, real))[0], bank[0]);
      await assert.rejects(() => loadBank({ classes: [4] }, dir, real), (e: unknown) => e instanceof BankError && e.key === 'classes' && /class 4 is not a class of this model \(0\.\.3\)/.test(e.message));
    } finally {
      await real.close?.();
    }
    await assert.rejects(() => loadBank({ classes: [0] }, dir, provider), /classes need a class-conditional model/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
