import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomStyleGan2Model, mapZ } from '../../src/generator/randomModel.js';
import { buildModelFiles } from '../../src/generator/convert.js';
import { encodeNpy } from '../../src/contracts/npy.js';
import { createOnnxLatentProvider, zFromSeed, cachingProvider } from '../../src/visual/latents.js';
import { loadBank } from '../../src/visual/banks.js';
import { createMapper } from '../../src/mapping/index.js';
import { emptyControlState } from '../../src/contracts/control.js';

/**
 * The seed → W step on a real model directory written by the converter: onnxruntime-node runs mapping.onnx,
 * and the result matches the mapping network computed directly (float64) from the same weights.
 */
test('the ONNX latent provider runs the model\'s mapping network: seeds → W, deterministic, banks from .npy/JSON', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-latents-'));
  try {
    const model = randomStyleGan2Model({ seed: 5, resolution: 16, channelBase: 128, channelMax: 16, zDim: 32, wDim: 24, mappingLayers: 3, wAvgSamples: 64 });
    const manifest = await buildModelFiles(model, dir, { noiseBank: 5, maskRegions: 2, maskSize: 8 });
    const provider = await createOnnxLatentProvider(dir, manifest);
    const seeds = [0, 7, 123456];
    const ws = await provider.fromSeeds(seeds);
    assert.equal(ws.length, 3);
    seeds.forEach((s, i) => {
      const ref = mapZ(model.mapping, zFromSeed(s, 32), new Float32Array(24));
      let worst = 0;
      for (let k = 0; k < 24; k++) worst = Math.max(worst, Math.abs(ws[i]![k]! - ref[k]!));
      assert.ok(worst < 1e-4, `seed ${s}: max |onnx − direct| = ${worst}`);
    });
    const again = await provider.fromSeeds([7]);
    assert.deepEqual(again[0], ws[1]);
    assert.notDeepEqual(ws[0], ws[1]);

    // Banks from files, relative to the mapping file's folder; wrong sizes are refused.
    writeFileSync(join(dir, 'w.npy'), encodeNpy({ shape: [2, 24], data: Float32Array.from({ length: 48 }, (_, i) => i / 48) }));
    writeFileSync(join(dir, 'w.json'), JSON.stringify([Array.from({ length: 24 }, () => 0.5)]));
    const fromNpy = await loadBank({ file: 'w.npy' }, dir, provider);
    assert.equal(fromNpy.length, 2);
    assert.ok(Math.abs(fromNpy[1]![0]! - 24 / 48) < 1e-7);
    assert.equal((await loadBank({ file: 'w.json' }, dir, provider))[0]![3], 0.5);
    await assert.rejects(() => loadBank({ w: [[1, 2]] }, dir, provider), /has 2 values; this model's W has 24/);

    // A mapping on this model runs end to end with the real provider.
    writeFileSync(join(dir, 'm.yaml'), 'banks:\n  b: { seeds: [1, 2, 3] }\n  f: { file: w.npy }\nlatents:\n  g: { bank: b, mode: loop, bars: 3 }\n  h: { bank: f }\n');
    const mapper = await createMapper({ file: join(dir, 'm.yaml'), manifest, latents: cachingProvider(provider), watch: false });
    const p = mapper.frame({ frame: 0, t: 0, dt: 1 / 30, features: null, controls: emptyControlState() });
    assert.equal(p.ws.length, manifest.numWs * 24);
    assert.equal(p.noiseMix.length, manifest.numNoise * 5);
    assert.ok(p.ws.every(Number.isFinite));
    await mapper.close();
    await provider.close?.();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
