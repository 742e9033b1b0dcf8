/**
 * The fp16 variant: half-float rounding is IEEE round-to-nearest-even, the converted graph keeps the fp32
 * interface and runs, and its pictures stay within a couple of levels of fp32 (measured two ways: the real fp16
 * graph as onnxruntime's CPU provider runs it, and the fp16-storage emulation that mirrors GPU fp16 kernels).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { halfToFloat } from '../../src/contracts/npy.js';
import { emulateFp16, floatToHalf, toFp16 } from '../../src/generator/runtime/fp16.js';
import { DEFAULT_MODEL_OPTIONS, ensureDefaultModel } from '../../src/generator/defaultModel.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { mapZ, randomStyleGan2Model, SeededNormal } from '../../src/generator/randomModel.js';
import { neutralParams } from '../../src/generator/runtime/params.js';
import type { Manifest } from '../../src/generator/types.js';

test('floatToHalf inverts halfToFloat for every finite half and rounds to nearest even', () => {
  for (let h = 0; h < 0x10000; h++) {
    if ((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0) continue; // NaN payloads
    assert.equal(floatToHalf(halfToFloat(h)), h, `half 0x${h.toString(16)}`);
  }
  assert.equal(floatToHalf(1 + 2 ** -11), 0x3c00, 'a tie rounds to even (down)');
  assert.equal(floatToHalf(1 + 3 * 2 ** -11), 0x3c02, 'a tie rounds to even (up)');
  assert.equal(floatToHalf(70000), 0x7c00, 'overflow → +Inf');
  assert.equal(floatToHalf(-1e-9), 0x8000, 'underflow → −0');
});

test('the fp16 default model keeps the fp32 interface and paints within 2/255 of fp32', async (t) => {
  // The package's default model (npm install builds it; rebuilt here if outdated), read only.
  const dir = join(PACKAGE_ROOT, 'models', 'default');
  await ensureDefaultModel(dir);
  const m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  assert.equal(m.files.generatorFp16, 'generator.fp16.onnx');
  const fp32 = await readFile(join(dir, 'generator.onnx'));
  const half = await readFile(join(dir, 'generator.fp16.onnx'));
  assert.deepEqual(half, Buffer.from(toFp16(fp32)));
  assert.ok(half.length < 0.6 * fp32.length, `fp16 file ${half.length} bytes vs fp32 ${fp32.length}`);
  const sessions = await Promise.all([fp32, half, Buffer.from(emulateFp16(fp32))].map((b) => ort.InferenceSession.create(b)));
  for (const s of sessions) {
    assert.deepEqual(s.inputMetadata.map((i) => (i.isTensor ? i.type : '?')), s.inputNames.map(() => 'float32'));
  }
  const model = randomStyleGan2Model(DEFAULT_MODEL_OPTIONS);
  const p = neutralParams(m);
  const w = mapZ(model.mapping, new SeededNormal(100).fill(new Float32Array(m.zDim)), new Float32Array(m.wDim));
  for (let i = 0; i < m.numWs; i++) p.ws.set(w, i * m.wDim);
  const feeds = {
    ws: new ort.Tensor('float32', p.ws, [1, m.numWs, m.wDim]),
    noise_mix: new ort.Tensor('float32', p.noiseMix, [m.numNoise, m.noiseBank]),
    noise_strength: new ort.Tensor('float32', p.noiseStrength, [m.numNoise]),
    noise_mask: new ort.Tensor('float32', p.noiseMask, [m.maskRegions, m.maskSize, m.maskSize]),
    noise_region: new ort.Tensor('float32', new Float32Array(m.maskRegions).fill(1), [m.maskRegions]),
    bend: new ort.Tensor('float32', p.bend, [m.numBend, 2, 3]),
    rewrite: new ort.Tensor('float32', p.rewrite, [m.numRewrite]),
  };
  const [ref, real, emulated] = await Promise.all(sessions.map(async (s) => (await s.run(feeds)).rgba!.data as Uint8Array));
  await Promise.all(sessions.map((s) => s.release()));
  const cmp = (a: Uint8Array, b: Uint8Array) => {
    let sum = 0;
    let max = 0;
    let n = 0;
    for (let i = 0; i < a.length; i++) {
      if (i % 4 === 3) continue;
      const d = Math.abs(a[i]! - b[i]!);
      sum += d;
      max = Math.max(max, d);
      n++;
    }
    return { mean: sum / n, max };
  };
  const r = cmp(ref!, real!);
  const e = cmp(ref!, emulated!);
  t.diagnostic(`fp16 vs fp32 rgba: real graph on CPU mean ${r.mean.toFixed(3)} max ${r.max}; fp16-storage emulation mean ${e.mean.toFixed(3)} max ${e.max} (0..255)`);
  for (const c of [r, e]) {
    assert.ok(c.mean < 0.5, `mean difference ${c.mean}`);
    assert.ok(c.max <= 4, `max difference ${c.max}`);
  }
  assert.ok(e.mean > 0, 'the emulation must actually round');
});
