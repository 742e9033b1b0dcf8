/**
 * The mapping targets that step the mixed latents: `direction.<k>` walks W+ rows along the model's stored
 * directions by amount·σ (a fader drives it), and `class` moves a conditional model's latents by the difference
 * of class means. Real converted models and their ONNX mapping networks; the expected W+ is computed here from
 * the directions file and from the offline mapping network, not from the mapper.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomStyleGan2Model } from '../../src/generator/randomModel.js';
import { buildModelFiles } from '../../src/generator/convert.js';
import { OfflineModel } from '../../src/generator/offline.js';
import { computeDirections, readDirections, writeDirections } from '../../src/generator/directions.js';
import { readCheckpoint } from '../../src/generator/checkpoint/index.js';
import { createOnnxLatentProvider } from '../../src/visual/latents.js';
import { createMapper } from '../../src/mapping/index.js';
import type { Manifest } from '../../src/contracts/model.js';
import { NumpyRandomState, zFromSeed } from '../../src/contracts/seeds.js';
import { controls } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'lvj-steps-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

async function model(name: string, directions: boolean): Promise<{ dir: string; manifest: Manifest }> {
  const dir = join(root, name);
  const m = randomStyleGan2Model({ seed: 4, resolution: 16, channelBase: 128, channelMax: 16, zDim: 16, wDim: 12, mappingLayers: 3, wAvgSamples: 64, look: { styleStd: 1.5 } });
  const manifest = await buildModelFiles(m, dir, { noiseBank: 1 });
  if (directions) {
    const off = await OfflineModel.open(dir);
    try {
      await writeDirections(dir, await computeDirections(off, { count: 4, samples: 400, seed: 1 }));
    } finally {
      await off.close();
    }
  }
  return { dir, manifest };
}

const MAPPING = (routes: string): string => `banks:\n  a: { seeds: [3, 8] }\nlatents:\n  g: { bank: a }\nroutes:\n${routes}`;

async function firstFrames(dir: string, manifest: Manifest, text: string, c = controls(), frames = 1): Promise<Float32Array> {
  const file = join(root, `m-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  const latents = await createOnnxLatentProvider(dir, manifest);
  const mapper = await createMapper({ file, manifest, latents, watch: false });
  try {
    let ws = new Float32Array(0);
    for (let k = 0; k < frames; k++) ws = mapper.frame({ frame: k, t: k / 30, dt: 1 / 30, features: null, controls: c }).ws.slice();
    return ws;
  } finally {
    await mapper.close();
    await latents.close?.();
  }
}

test('direction.0 driven by a fader moves exactly the chosen W+ rows by amount·σ₀·v₀; sefa too; the rest stays', async () => {
  const { dir, manifest } = await model('dirs', true);
  const { numWs, wDim } = manifest;
  const d = await readDirections(dir, wDim);
  const plain = await firstFrames(dir, manifest, MAPPING('  - { source: 0, target: truncation, op: mul }\n'));
  // A fader at 0.75 over range [-3, 3] is +1.5σ, on rows 0-2 only.
  const fader = controls({ 'midi:cc:1:7': 0.75 });
  const moved = await firstFrames(
    dir,
    manifest,
    MAPPING('  - { source: midi:cc:1:7, modifiers: [{ range: [-3, 3] }], target: direction.0, layers: 0-2, smoothMs: 0 }\n  - { source: -2, target: direction.sefa.1, layers: 4- }\n'),
    fader,
  );
  for (let r = 0; r < numWs; r++) {
    for (let i = 0; i < wDim; i++) {
      let expected = plain[r * wDim + i]!;
      if (r <= 2) expected += 1.5 * d.ganspace.sigmas[0]! * d.ganspace.components[0]![i]!;
      if (r >= 4) expected += -2 * d.sefa.sigmas[1]! * d.sefa.components[1]![i]!;
      const got = moved[r * wDim + i]!;
      assert.ok(Math.abs(got - expected) < 1e-5, `row ${r}, value ${i}: ${got} vs ${expected}`);
    }
  }
  assert.ok(d.ganspace.sigmas[0]! > 0 && numWs > 5);
  // Smoothed by default (80 ms): the first frame takes the value, later frames follow a moved fader gently.
  const smoothed = await firstFrames(dir, manifest, MAPPING('  - { source: midi:cc:1:7, modifiers: [{ range: [-3, 3] }], target: direction.0 }\n'), fader, 3);
  assert.ok(Math.abs(smoothed[0]! - (plain[0]! + 1.5 * d.ganspace.sigmas[0]! * d.ganspace.components[0]![0]!)) < 1e-5);
});

test('trace: direction amounts per W row per frame; a model without directions, or a direction it lacks, is an error at the mapping line', async () => {
  const withDirs = await model('trace-dirs', true);
  const without = await model('trace-none', false);
  const file = join(root, 'walk.yaml');
  writeFileSync(file, MAPPING('  - { source: 0.5, target: truncation }\n  - { source: 2, target: direction.1, layers: low }\n'));
  const trace = (modelDir: string, mapping: string): ReturnType<typeof spawnSync> =>
    spawnSync(process.execPath, ['bin/latentvj.js', 'trace', 'demo', '--mapping', mapping, '--model', modelDir, '--fps', '2', '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ok = trace(withDirs.dir, file);
  assert.equal(ok.status, 0, String(ok.stderr));
  const last = JSON.parse(String(ok.stdout).trim().split('\n').at(-1)!) as { directions: Record<string, number[]> };
  const rows = last.directions['direction.1']!;
  assert.equal(rows.length, withDirs.manifest.numWs);
  assert.deepEqual(rows.slice(0, 4), [2, 2, 2, 2]);
  assert.ok(rows.slice(4).every((a) => a === 0));

  const none = trace(without.dir, file);
  assert.equal(none.status, 2);
  assert.match(String(none.stderr), new RegExp(`walk\\.yaml:7:\\d+: .*direction\\.1.*directions\\.json: this model has no directions yet; compute them with 'latentvj directions --model`));
  const far = join(root, 'far.yaml');
  writeFileSync(far, MAPPING('  - { source: 1, target: direction.sefa.9 }\n'));
  const beyond = trace(withDirs.dir, far);
  assert.equal(beyond.status, 2);
  assert.match(String(beyond.stderr), /far\.yaml:6:\d+: .*this model has 4 sefa directions \(direction\.sefa\.0 … direction\.sefa\.3\)/);
  const typo = join(root, 'typo.yaml');
  writeFileSync(typo, MAPPING('  - { source: 1, target: directions.0 }\n'));
  const t = trace(withDirs.dir, typo);
  assert.equal(t.status, 2);
  assert.match(String(t.stderr), /typo\.yaml:6:\d+: .*unknown target 'directions\.0'; did you mean 'direction\.0'/);
});

test('class on a conditional model: a fader picks the class; W moves by μ_k − μ_0 (means from the mapping network); fractions blend; unconditional models refuse it', async () => {
  const dir = join(root, 'cond');
  const manifest = await buildModelFiles(await readCheckpoint(join('test', 'fixtures', 'nvidia', 'nvidia-cond-16.pkl')), dir, { noiseBank: 1 });
  const cDim = manifest.cDim!;
  assert.equal(cDim, 4);
  const { numWs, wDim, zDim } = manifest;
  // The class means as the mapping network gives them: the same 256 z (numpy seed 0) for every class.
  const off = await OfflineModel.open(dir);
  const means: Float64Array[] = [];
  let seedClass2: Float32Array;
  let seedClass0: Float32Array;
  try {
    const n = 256;
    const rs = new NumpyRandomState(0);
    const z = new Float32Array(n * zDim);
    for (let s = 0; s < n; s++) z.set(Float32Array.from(rs.randn(zDim)), s * zDim);
    for (let k = 0; k < cDim; k++) {
      const labels = new Float32Array(n * cDim);
      for (let s = 0; s < n; s++) labels[s * cDim + k] = 1;
      const w = await off.mapZ(z, labels);
      const mean = new Float64Array(wDim);
      for (let s = 0; s < n; s++) for (let i = 0; i < wDim; i++) mean[i]! += w[s * wDim + i]! / n;
      means.push(mean);
    }
    const one = (k: number): Float32Array => {
      const l = new Float32Array(cDim);
      l[k] = 1;
      return l;
    };
    seedClass0 = await off.mapZ(zFromSeed(5, zDim), one(0));
    seedClass2 = await off.mapZ(zFromSeed(5, zDim), one(2));
  } finally {
    await off.close();
  }
  const text = 'banks:\n  a: { seeds: [5] }\nlatents:\n  g: { bank: a }\nroutes:\n  - { source: midi:cc:1:20, modifiers: [{ range: [0, 3] }], target: class }\n';
  const at = async (fader: number): Promise<Float32Array> => firstFrames(dir, manifest, text, controls({ 'midi:cc:1:20': fader }));
  const expect = (ws: Float32Array, k0: number, k1: number, f: number, what: string): void => {
    for (let r = 0; r < numWs; r++) {
      for (let i = 0; i < wDim; i++) {
        const e = seedClass0[i]! + (1 - f) * means[k0]![i]! + f * means[k1]![i]! - means[0]![i]!;
        assert.ok(Math.abs(ws[r * wDim + i]! - e) < 1e-4, `${what}: row ${r}, value ${i}: ${ws[r * wDim + i]} vs ${e}`);
      }
    }
  };
  const c2 = await at(2 / 3);
  expect(c2, 2, 2, 0, 'class 2');
  expect(await at(0), 0, 0, 0, 'class 0');
  expect(await at(0.5), 1, 2, 0.5, 'class 1.5');
  // An OSC / ws override of `class` reaches a conditional model without any route.
  const overridden = await firstFrames(dir, manifest, 'banks:\n  a: { seeds: [5] }\nlatents:\n  g: { bank: a }\n', controls({}, { class: 2 }));
  expect(overridden, 2, 2, 0, 'override class 2');
  // A section count past the last class wraps around (5 on 4 classes is class 1).
  const wrapped = await firstFrames(dir, manifest, 'banks:\n  a: { seeds: [5] }\nlatents:\n  g: { bank: a }\nroutes:\n  - { source: 5, target: class }\n');
  expect(wrapped, 1, 1, 0, 'class 5 → 1');
  // The steered latent is nearer the class-2 latent of the same seed than the class-0 one is.
  const dist = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.sqrt(Array.from({ length: wDim }, (_, i) => (a[i]! - b[i]!) ** 2).reduce((s, v) => s + v, 0));
  assert.ok(dist(c2, seedClass2) < dist(seedClass0, seedClass2), `steered ${dist(c2, seedClass2)} vs unsteered ${dist(seedClass0, seedClass2)}`);

  const plain = await model('uncond', false);
  await assert.rejects(firstFrames(plain.dir, plain.manifest, text), /m-\w+\.yaml:6:\d+: .*'class' steers a class-conditional model; this model has no classes/);
});

test('a mapping with ψ 0.5 and direction.0 at +3 paints what generate --truncation 0.5 --direction 0:3 paints', async () => {
  const { dir, manifest } = await model('same-picture', true);
  const file = join(root, 'same.yaml');
  writeFileSync(file, 'banks:\n  a: { seeds: [100] }\nlatents:\n  g: { bank: a }\nroutes:\n  - { source: 0.5, target: truncation }\n  - { source: 3, target: direction.0 }\n');
  const latents = await createOnnxLatentProvider(dir, manifest);
  const mapper = await createMapper({ file, manifest, latents, watch: false });
  const { OfflineGenerator } = await import('../../src/render/offlineGenerator.js');
  const { generateImage } = await import('../../src/commands/generate.js');
  const gen = await OfflineGenerator.open({ modelDir: dir, ep: 'cpu', batch: 1 });
  try {
    const p = mapper.frame({ frame: 0, t: 0, dt: 1 / 30, features: null, controls: controls() });
    const [shown] = await gen.run([gen.inputs(p)]);
    const made = (await generateImage({ model: dir, seed: 100, truncation: 0.5, directions: ['0:3'], noise: 'const', noiseSeed: 1 })).rgba;
    const plain = (await generateImage({ model: dir, seed: 100, truncation: 0.5, noise: 'const', noiseSeed: 1 })).rgba;
    let worst = 0;
    let moved = 0;
    for (let i = 0; i < made.length; i++) {
      worst = Math.max(worst, Math.abs(shown![i]! - made[i]!));
      moved += Math.abs(made[i]! - plain[i]!);
    }
    assert.ok(worst <= 1, `largest channel difference between the show and generate: ${worst}`);
    assert.ok(moved / made.length > 1, `the direction moves the picture (mean ${moved / made.length})`);
  } finally {
    await gen.close();
    await mapper.close();
    await latents.close?.();
  }
});
