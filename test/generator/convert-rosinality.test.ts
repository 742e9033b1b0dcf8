/**
 * The rosinality reference fixture end to end: checkpoint → our ONNX graphs → pictures and w, against the
 * outputs of the reference formulas (test/fixtures/rosinality, made by tools/nvidia-fixture/make_rosinality.py).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as ort from 'onnxruntime-node';
import { readCheckpoint } from '../../src/generator/checkpoint/index.js';
import { buildModelFiles } from '../../src/generator/convert.js';
import { generateImage } from '../../src/commands/generate.js';
import { parseNpy, readNpy } from '../../src/contracts/npy.js';
import { decodePng } from '../../src/contracts/png.js';
import { maxAbs } from '../helpers/arrays.js';
import { ROSINALITY_FIXTURES, NVIDIA_FIXTURES, CLI } from '../helpers/paths.js';
import { cliInProcess } from '../helpers/cliInProcess.js';

const FIX = ROSINALITY_FIXTURES;

test('rosinality-64: mapping and synthesis (noise const and zero) match the reference', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lvj-conv-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const model = await readCheckpoint(join(FIX, 'rosinality-64.pt'));
  const manifest = await buildModelFiles(model, dir, {});
  assert.deepEqual((await readdir(dir)).sort(), ['generator.onnx', 'manifest.json', 'mapping.onnx']);
  assert.equal(manifest.width, 64);
  assert.equal(manifest.height, 64);
  assert.equal(manifest.numWs, 10);
  assert.equal(manifest.origin.format, 'rosinality');
  assert.equal(manifest.wAvg.length, manifest.wDim);

  // Mapping network z → w.
  const z = await readNpy(join(FIX, 'rosinality-64-z.npy'));
  const wRef = await readNpy(join(FIX, 'rosinality-64-w-from-z.npy'));
  const mapping = await ort.InferenceSession.create(join(dir, 'mapping.onnx'));
  const w = (await mapping.run({ z: new ort.Tensor('float32', z.data, [1, manifest.zDim]) })).w!.data as Float32Array;
  await mapping.release();
  const eMap = maxAbs(w, wRef.data);
  t.diagnostic(`mapping max abs error ${eMap.toExponential(2)}`);
  assert.ok(eMap <= 1e-4, `mapping max abs error ${eMap}`);

  for (const noise of ['const', 'zero'] as const) {
    const ref = await readNpy(join(FIX, `rosinality-64-img-noise-${noise}.npy`));
    const r = await generateImage({ model: dir, ws: join(FIX, 'rosinality-64-ws.npy'), truncation: 1, noise, noiseSeed: 1 });
    const e = maxAbs(r.image, ref.data);
    t.diagnostic(`synthesis noise=${noise} max abs error ${e.toExponential(2)}`);
    assert.ok(e <= 1e-3, `noise ${noise}: max abs error ${e}`);
    // rgba is the clamped, rounded picture of the same image.
    for (const i of [0, 777, 4095]) {
      const v = Math.round((Math.min(1, Math.max(-1, ref.data[i]!)) + 1) * 127.5);
      const y = Math.floor(i / 64);
      const x = i % 64;
      assert.ok(Math.abs(r.rgba[(y * 64 + x) * 4]! - v) <= 1, `pixel ${i}: ${r.rgba[(y * 64 + x) * 4]} vs ${v}`);
      assert.equal(r.rgba[(y * 64 + x) * 4 + 3], 255);
    }
  }
});

test('CLI: convert then generate --ws --noise const --out-npy reproduces the reference image', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lvj-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const model = join(dir, 'model');
  const c = spawnSync(process.execPath, [CLI, 'convert', join(FIX, 'rosinality-64.pt'), '-o', model, '--quiet'], { encoding: 'utf8' });
  assert.equal(c.status, 0, c.stderr);
  const png = join(dir, 'out.png');
  const npy = join(dir, 'raw.npy');
  const gen = spawnSync(
    process.execPath,
    [CLI, 'generate', '--model', model, '--ws', join(FIX, 'rosinality-64-ws.npy'), '--noise', 'const', '--out', png, '--out-npy', npy, '--quiet'],
    { encoding: 'utf8' },
  );
  assert.equal(gen.status, 0, gen.stderr);
  const raw = parseNpy(await readFile(npy), npy);
  assert.deepEqual(raw.shape, [3, 64, 64]);
  const ref = await readNpy(join(FIX, 'rosinality-64-img-noise-const.npy'));
  const e = maxAbs(raw.data, ref.data);
  t.diagnostic(`CLI synthesis noise=const max abs error ${e.toExponential(2)}`);
  assert.ok(e <= 1e-3);
  const pic = decodePng(await readFile(png));
  assert.equal(pic.width, 64);
  assert.equal(pic.height, 64);
  // --seed with truncation 0 lands exactly on w_avg, whatever the seed (two seeds, one file each).
  const r = spawnSync(process.execPath, [CLI, 'generate', '--model', model, '--seed', '1,2', '--truncation', '0', '--out', join(dir, 's.png'), '--out-npy', join(dir, 's.npy'), '--quiet'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [a, b] = ['seed0001', 'seed0002'].map((label) => join(dir, `s-${label}.npy`));
  assert.ok(maxAbs(parseNpy(await readFile(a!)).data, parseNpy(await readFile(b!)).data) < 1e-6);
});

test('CLI: truncated and unrelated checkpoints are refused with one line, exit 2, nothing written', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lvj-bad-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const bytes = await readFile(join(FIX, 'rosinality-64.pt'));
  const { writeFile } = await import('node:fs/promises');
  const truncated = join(dir, 'truncated.pt');
  await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const unrelated = join(dir, 'notes.txt');
  await writeFile(unrelated, 'these are not weights\n');
  // NVIDIA-format refusals (StyleGAN3, TensorFlow-era) go through the same CLI path.
  const nv = NVIDIA_FIXTURES;
  // The first from the command line, the others through the CLI's main() in-process (the same path, without a
  // fresh Node loading the CLI each time).
  for (const [i, file] of [truncated, unrelated, join(nv, 'refuse-stylegan3.pkl'), join(nv, 'refuse-tensorflow.pkl')].entries()) {
    const out = join(dir, 'out-' + file.split('/').pop()!);
    const r = i === 0 ? spawnSync(process.execPath, [CLI, 'convert', file, '-o', out], { encoding: 'utf8' }) : await cliInProcess('convert', file, '-o', out);
    assert.equal(r.status, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0]!.startsWith(`latentvj: ${file}: `), lines[0]);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('out-')), []);
  }
  // A bad flag value is one line too.
  const r = await cliInProcess('convert', join(FIX, 'rosinality-64.pt'), '-o', join(dir, 'x'), '--bend-layers', 'b9.conv7');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^latentvj: --bend-layers: no synthesis conv 'b9\.conv7'/);
});

test('a checkpoint without w_avg gets one estimated from the mapping network', async () => {
  const { buildModel } = await import('../../src/generator/convert.js');
  const model = await readCheckpoint(join(FIX, 'rosinality-64.pt'));
  const built = await buildModel({ ...model, wAvg: null }, { bendLayers: [], rewriteLayers: [] });
  assert.equal(built.manifest.options.wAvgEstimated, true);
  // The stored latent_avg is the reference's own mean of w; 4096 seeded samples land close to it.
  const e = maxAbs(Float32Array.from(built.manifest.wAvg), model.wAvg!);
  assert.ok(e < 0.15, `estimated w_avg differs from the stored one by ${e}`);
});

test('writeFilesAtomically leaves nothing behind when one file fails', async (t) => {
  const { writeFilesAtomically } = await import('../../src/generator/convert.js');
  const dir = await mkdtemp(join(tmpdir(), 'lvj-atomic-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(
    writeFilesAtomically(dir, [
      { name: 'generator.onnx', bytes: new Uint8Array(10) },
      { name: 'no-such-dir/manifest.json', bytes: '{}' },
    ]),
  );
  assert.deepEqual(await readdir(dir), []);
});

test('CLI: convert writes the fp16 generator beside the fp32 one (named in the manifest), --no-fp16 skips it; StyleGAN3 is one line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lvj-fp16-'));
  try {
    const nv = join(process.cwd(), 'test', 'fixtures', 'nvidia');
    const out = join(dir, 'm');
    const c = spawnSync(process.execPath, [CLI, 'convert', join(nv, 'nvidia-8-p4.pkl'), '-o', out, '--quiet'], { encoding: 'utf8' });
    assert.equal(c.status, 0, c.stderr);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { files: { generatorFp16?: string } };
    assert.equal(manifest.files.generatorFp16, 'generator.fp16.onnx');
    const fp16 = await ort.InferenceSession.create(join(out, 'generator.fp16.onnx'));
    assert.deepEqual(fp16.inputNames.includes('ws'), true);
    await fp16.release();
    const out2 = join(dir, 'm2');
    const c2 = spawnSync(process.execPath, [CLI, 'convert', join(nv, 'nvidia-8-p4.pkl'), '-o', out2, '--no-fp16', '--quiet'], { encoding: 'utf8' });
    assert.equal(c2.status, 0, c2.stderr);
    assert.equal((JSON.parse(await readFile(join(out2, 'manifest.json'), 'utf8')) as { files: { generatorFp16?: string } }).files.generatorFp16, undefined);
    const sg3 = await cliInProcess('convert', join(nv, 'refuse-stylegan3.pkl'), '-o', join(dir, 'sg3'));
    assert.equal(sg3.status, 2);
    assert.equal(sg3.stderr.trim().split('\n').length, 1, sg3.stderr);
    assert.match(sg3.stderr, /StyleGAN3 \(alias-free\)/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
