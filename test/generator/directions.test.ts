/**
 * Latent directions: the eigen-solver against a covariance with known axes; GANSpace components orthonormal and
 * ordered by variance, each σ the spread of the sampled W along it; SeFa's first direction moves the styles
 * more than any other; generate --direction walks along them, reproducibly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { covariance, topEigen } from '../../src/generator/linalg.js';
import { randomStyleGan2Model } from '../../src/generator/randomModel.js';
import { buildModelFiles } from '../../src/generator/convert.js';
import { OfflineModel } from '../../src/generator/offline.js';
import { computeDirections, readDirections, writeDirections, type DirectionSet } from '../../src/generator/directions.js';
import { generateImage } from '../../src/commands/generate.js';
import { floatInitializers } from '../../src/generator/onnx/initializers.js';
import { NumpyRandomState } from '../../src/contracts/seeds.js';
import { readFileSync } from 'node:fs';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

function assertOrthonormal(vs: ArrayLike<number>[], what: string, tol = 1e-5): void {
  for (let i = 0; i < vs.length; i++) {
    for (let j = 0; j < vs.length; j++) {
      const d = dot(vs[i]!, vs[j]!);
      assert.ok(Math.abs(d - (i === j ? 1 : 0)) < tol, `${what}: v${i}·v${j} = ${d}`);
    }
  }
}

test('topEigen recovers known principal axes and variances, largest first; covariance of samples too', () => {
  const d = 24;
  const rs = new NumpyRandomState(3);
  // A random orthonormal basis (Gram–Schmidt of normal vectors) and chosen variances.
  const basis: Float64Array[] = [];
  while (basis.length < d) {
    const v = rs.randn(d);
    for (const b of basis) {
      const p = dot(v, b);
      for (let i = 0; i < d; i++) v[i]! -= p * b[i]!;
    }
    const n = Math.sqrt(dot(v, v));
    basis.push(v.map((x) => x / n));
  }
  const lambda = Array.from({ length: d }, (_, i) => 10 * 0.7 ** i);
  const C = new Float64Array(d * d);
  for (let k = 0; k < d; k++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) C[i * d + j]! += lambda[k]! * basis[k]![i]! * basis[k]![j]!;
  const r = topEigen(C, d, 6);
  assertOrthonormal(r.vectors, 'eigenvectors', 1e-10);
  r.values.forEach((v, k) => {
    assert.ok(Math.abs(v - lambda[k]!) < 1e-8, `λ${k} ${v} vs ${lambda[k]}`);
    assert.ok(Math.abs(Math.abs(dot(r.vectors[k]!, basis[k]!)) - 1) < 1e-8, `axis ${k}`);
  });
  // From samples: x = Σ_k sqrt(λ_k)·g_k·b_k.
  const n = 4000;
  const samples = new Float32Array(n * d);
  for (let s = 0; s < n; s++) {
    const g = rs.randn(d);
    for (let k = 0; k < d; k++) for (let i = 0; i < d; i++) samples[s * d + i]! += Math.sqrt(lambda[k]!) * g[k]! * basis[k]![i]!;
  }
  const est = topEigen(covariance(samples, n, d).cov, d, 3);
  for (let k = 0; k < 3; k++) {
    assert.ok(Math.abs(est.values[k]! / lambda[k]! - 1) < 0.1, `sampled λ${k} ${est.values[k]} vs ${lambda[k]}`);
    assert.ok(Math.abs(dot(est.vectors[k]!, basis[k]!)) > 0.95, `sampled axis ${k}: |cos| ${Math.abs(dot(est.vectors[k]!, basis[k]!))}`);
  }
});

const dir = mkdtempSync(join(tmpdir(), 'lvj-dirs-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('directions of a model: GANSpace orthonormal, ordered by variance, σ = spread of W along each; SeFa maximises the style change', async () => {
  const m = randomStyleGan2Model({ seed: 4, resolution: 16, channelBase: 128, channelMax: 16, zDim: 16, wDim: 12, mappingLayers: 3, wAvgSamples: 64, look: { styleStd: 1.5 } });
  await buildModelFiles(m, dir, { noiseBank: 1 });
  const model = await OfflineModel.open(dir);
  try {
    const d = await computeDirections(model, { count: 6, samples: 2000, seed: 11 });
    const check = (s: DirectionSet, what: string): void => {
      assert.equal(s.components.length, 6);
      assertOrthonormal(s.components, what);
    };
    check(d.ganspace, 'ganspace');
    check(d.sefa, 'sefa');
    for (let k = 1; k < 6; k++) assert.ok(d.ganspace.sigmas[k]! <= d.ganspace.sigmas[k - 1]!, `ganspace σ ordered at ${k}: ${d.ganspace.sigmas}`);
    // σ_k² is the variance of the same sampled W along component k.
    const w = await model.mapZ(Float32Array.from(new NumpyRandomState(11).randn(2000 * 16)));
    for (let k = 0; k < 6; k++) {
      const proj = Array.from({ length: 2000 }, (_, s) => dot(w.subarray(s * 12, (s + 1) * 12), d.ganspace.components[k]!));
      const mean = proj.reduce((a, b) => a + b, 0) / 2000;
      const v = proj.reduce((a, b) => a + (b - mean) ** 2, 0) / 1999;
      assert.ok(Math.abs(Math.sqrt(v) / d.ganspace.sigmas[k]! - 1) < 1e-3, `σ${k}: ${Math.sqrt(v)} vs ${d.ganspace.sigmas[k]}`);
    }
    // SeFa: ‖A v‖ over all style layers is largest for v0 among unit vectors (the other components and random ones).
    const affine = [...floatInitializers(readFileSync(join(dir, 'generator.onnx')), (n) => n.endsWith('.affine')).values()];
    const styleMove = (v: ArrayLike<number>): number => {
      let s = 0;
      for (const { dims, data } of affine) {
        const cols = dims[1]!;
        for (let c = 0; c < cols; c++) {
          let y = 0;
          for (let i = 0; i < 12; i++) y += v[i]! * data[i * cols + c]!;
          s += y * y;
        }
      }
      return s;
    };
    const best = styleMove(d.sefa.components[0]!);
    for (let k = 1; k < 6; k++) assert.ok(styleMove(d.sefa.components[k]!) <= best + 1e-9);
    const rs = new NumpyRandomState(5);
    for (let t = 0; t < 20; t++) {
      const v = rs.randn(12);
      const n = Math.sqrt(dot(v, v));
      assert.ok(styleMove(v.map((x) => x / n)) <= best + 1e-9, 'a random direction moves the styles more than SeFa 0');
    }
    await writeDirections(dir, d);
    const back = await readDirections(dir, 12);
    assert.deepEqual(back.ganspace.sigmas, d.ganspace.sigmas);
  } finally {
    await model.close();
  }
});

test('generate --direction 0:±3 changes the picture, reproducibly; a missing directions file says how to make one', async () => {
  const base = { model: dir, seed: 2, truncation: 1, noise: 'const' as const, noiseSeed: 1 };
  const plain = (await generateImage(base)).rgba;
  const plus = (await generateImage({ ...base, directions: ['0:3'] })).rgba;
  const minus = (await generateImage({ ...base, directions: ['ganspace.0:-3'] })).rgba;
  const again = (await generateImage({ ...base, directions: ['0:3'] })).rgba;
  assert.deepEqual(again, plus);
  const mad = (a: Uint8Array, b: Uint8Array): number => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
  assert.ok(mad(plus, minus) > 2, `±3σ: mean abs difference ${mad(plus, minus)}`);
  assert.ok(mad(plus, plain) > 1 && mad(minus, plain) > 1);
  const sefa = (await generateImage({ ...base, directions: ['sefa.1:2'], directionLayers: [0, 2] })).rgba;
  assert.ok(mad(sefa, plain) > 0.5);
  await assert.rejects(generateImage({ ...base, directions: ['9:1'] }), /--direction ganspace\.9: the model has 6 ganspace directions \(0\.\.5\)/);
  await assert.rejects(generateImage({ ...base, directions: ['up:1'] }), /--direction: 'up:1' is not/);
  const other = mkdtempSync(join(tmpdir(), 'lvj-dirs-none-'));
  try {
    await buildModelFiles(randomStyleGan2Model({ seed: 1, resolution: 8, channelBase: 32, channelMax: 8, zDim: 8, wDim: 8, mappingLayers: 1, wAvgSamples: 8 }), other, { noiseBank: 1 });
    await assert.rejects(generateImage({ ...base, model: other, directions: ['0:1'] }), /directions\.json: this model has no directions yet; compute them with 'latentvj directions --model/);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});
