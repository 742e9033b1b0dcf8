import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { readCheckpoint } from '../../src/generator/checkpoint/index.js';
import { parseNpy } from '../../src/contracts/npy.js';
import { UserError } from '../../src/errors.js';
import type { ModConvWeights, StyleGan2Model, Tensor } from '../../src/generator/types.js';
import { ROSINALITY_FIXTURES, NVIDIA_FIXTURES } from '../helpers/paths.js';

const DIR = NVIDIA_FIXTURES;
const FILE = `${DIR}/nvidia-32.pkl`;

/** Every tensor of G_ema.state_dict() as torch wrote it (np.savez_compressed). */
function loadNpz(file: string): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(readFileSync(file))))) {
    out.set(name.replace(/\.npy$/, ''), parseNpy(bytes, name));
  }
  return out;
}

interface Hyper {
  zDim: number;
  wDim: number;
  numWs: number;
  resolution: number;
  imgChannels: number;
  mappingLayers: number;
  lrMultiplier: number;
  convClamp: number;
  channels: Record<string, number>;
  toRgbWeightGain: Record<string, number>;
  mappingWeightGain: number[];
}

let model: StyleGan2Model;
const ref = loadNpz(`${DIR}/nvidia-32-tensors.npz`);
const hyper = JSON.parse(readFileSync(`${DIR}/nvidia-32-hyper.json`, 'utf8')) as Hyper;

function same(key: string, t: Tensor | Float32Array | null | undefined, shape?: number[]): void {
  const want = ref.get(key);
  assert.ok(want, `reference has ${key}`);
  assert.ok(t, `model has ${key}`);
  const data = t instanceof Float32Array ? t : t.data;
  if (!(t instanceof Float32Array)) assert.deepEqual(t.shape, shape ?? want.shape, `${key} shape`);
  assert.deepEqual(data, want.data, `${key} values`);
}

test('nvidia-32.pkl: hyper-parameters from _init_kwargs, attributes and tensors', async () => {
  model = await readCheckpoint(FILE);
  assert.equal(model.source.format, 'nvidia');
  assert.match(model.source.sha256, /^[0-9a-f]{64}$/);
  assert.deepEqual(
    { zDim: model.zDim, wDim: model.wDim, numWs: model.numWs, resolution: model.resolution, img: model.imgChannels, mlp: model.mapping.layers.length },
    { zDim: hyper.zDim, wDim: hyper.wDim, numWs: hyper.numWs, resolution: hyper.resolution, img: hyper.imgChannels, mlp: hyper.mappingLayers },
  );
  for (const c of model.convs) {
    assert.equal(c.outChannels, hyper.channels[String(c.resolution)], `${c.name} channels`);
    assert.equal(c.clamp, hyper.convClamp, `${c.name} clamp`);
    assert.equal(c.weightGain, 1);
    assert.equal(c.styleGain, 1);
    assert.equal(c.activationGain, Math.SQRT2);
    assert.equal(c.demodulate, true);
  }
  for (const c of model.toRgb) {
    assert.equal(c.styleGain, hyper.toRgbWeightGain[String(c.resolution)], `${c.name} weight_gain (a numpy float64 in the pickle)`);
    assert.equal(c.clamp, hyper.convClamp);
    assert.equal(c.demodulate, false);
    assert.equal(c.activationGain, 1);
  }
  model.mapping.layers.forEach((fc, i) => {
    assert.equal(fc.weightGain, hyper.mappingWeightGain[i], `fc${i} weight_gain`);
    assert.equal(fc.biasGain, hyper.lrMultiplier);
  });
  // NVIDIA's W+ wiring: each block starts at w_idx and w_idx advances by num_conv.
  assert.deepEqual(
    [...model.convs, ...model.toRgb].map((c) => `${c.name}:${c.wIndex}`),
    ['b4.conv1:0', 'b8.conv0:1', 'b8.conv1:2', 'b16.conv0:3', 'b16.conv1:4', 'b32.conv0:5', 'b32.conv1:6', 'b4.torgb:1', 'b8.torgb:3', 'b16.torgb:5', 'b32.torgb:7'],
  );
  assert.deepEqual(model.blurKernel, [1, 3, 3, 1]);
});

test('nvidia-32.pkl: every tensor recovered exactly', () => {
  model.mapping.layers.forEach((fc, i) => {
    same(`mapping.fc${i}.weight`, fc.weight);
    same(`mapping.fc${i}.bias`, fc.bias);
  });
  same('mapping.w_avg', model.wAvg);
  same('synthesis.b4.const', model.constInput);
  const layer = (key: string, c: ModConvWeights): void => {
    same(`synthesis.${key}.weight`, c.weight);
    same(`synthesis.${key}.bias`, c.bias);
    same(`synthesis.${key}.affine.weight`, c.affine.weight);
    same(`synthesis.${key}.affine.bias`, c.affine.bias);
    if (c.noise) {
      assert.equal(c.noise.strength, ref.get(`synthesis.${key}.noise_strength`)?.data[0], `${key} noise_strength`);
      same(`synthesis.${key}.noise_const`, c.noise.constNoise);
    } else {
      assert.equal(ref.has(`synthesis.${key}.noise_strength`), false);
    }
  };
  const used = new Set<string>();
  for (const c of [...model.convs, ...model.toRgb]) {
    layer(c.name, c);
    for (const k of ref.keys()) if (k.startsWith(`synthesis.${c.name}.`)) used.add(k);
  }
  // Everything the reference holds is accounted for (filters are checked through blurKernel).
  const rest = [...ref.keys()].filter((k) => !used.has(k) && !k.startsWith('mapping.') && k !== 'synthesis.b4.const');
  assert.ok(rest.every((k) => k.endsWith('resample_filter')), `unchecked tensors: ${rest.join(', ')}`);
});

test('nvidia-8-p4.pkl (pickle protocol 4, as Python >= 3.8 writes; conv_clamp None): loads exactly', async () => {
  const small = await readCheckpoint(`${DIR}/nvidia-8-p4.pkl`);
  const want = loadNpz(`${DIR}/nvidia-8-p4-tensors.npz`);
  assert.deepEqual([small.zDim, small.wDim, small.numWs, small.resolution, small.mapping.layers.length], [8, 8, 4, 8, 2]);
  assert.deepEqual(small.convs.map((c) => c.outChannels), [4, 4, 4]);
  for (const c of [...small.convs, ...small.toRgb]) {
    assert.equal(c.clamp, null, `${c.name} has no clamp`);
    assert.deepEqual(c.weight.data, want.get(`synthesis.${c.name}.weight`)?.data, `${c.name}.weight`);
    assert.deepEqual(c.affine.weight.data, want.get(`synthesis.${c.name}.affine.weight`)?.data, `${c.name}.affine.weight`);
  }
  assert.deepEqual(small.mapping.layers[1]?.weight.data, want.get('mapping.fc1.weight')?.data);
  assert.deepEqual(small.wAvg, want.get('mapping.w_avg')?.data);
  assert.deepEqual(small.constInput.data, want.get('synthesis.b4.const')?.data);
});

/** Asserts one UserError line naming the file. */
async function refused(file: string, re: RegExp): Promise<void> {
  await assert.rejects(readCheckpoint(file), (e: unknown) => {
    assert.ok(e instanceof UserError, `${file}: a UserError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `${file}: one line: ${e.message}`);
    assert.ok(e.message.startsWith(`${file}: `), `${file}: names the file: ${e.message}`);
    assert.match(e.message, re);
    return true;
  });
}

test('refusals: StyleGAN3, TensorFlow, resnet, conditional, unrelated checkpoint', async () => {
  await refused(`${DIR}/refuse-stylegan3.pkl`, /StyleGAN3 \(alias-free\) generator; latentvj reads StyleGAN2 networks only/);
  await refused(`${DIR}/refuse-tensorflow.pkl`, /TensorFlow-era StyleGAN pickle \(dnnlib\.tflib\.network\.Network\); convert it .*legacy\.py/);
  await refused(`${DIR}/refuse-resnet.pkl`, /synthesis architecture 'resnet'.*'skip'/);
  await refused(`${DIR}/refuse-conditional.pkl`, /mapping\.fc0 takes 8 inputs but z_dim 8 \+ class embedding 8 = 16/);
  await refused(`${DIR}/tensor-zoo.zip.pt`, /holds a dict with keys \{tensors, extras\}; expected a StyleGAN2 checkpoint/);
  await refused(`${DIR}/no-such-file.pkl`, /cannot read checkpoint \(ENOENT\)/);
});

test('refusals: truncated, random, empty and foreign files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-ckpt-'));
  try {
    const pkl = readFileSync(FILE);
    const pt = readFileSync(join(ROSINALITY_FIXTURES, 'rosinality-64.pt'));
    const files: [string, Uint8Array, RegExp][] = [
      ['cut.pkl', pkl.subarray(0, Math.floor(pkl.length * 0.6)), /truncated or damaged pickle \(truncated: needed \d+ more bytes at byte \d+ of \d+\)/],
      ['cut-early.pkl', pkl.subarray(0, 1000), /truncated or damaged pickle/],
      ['cut.pt', pt.subarray(0, Math.floor(pt.length * 0.7)), /truncated or damaged torch\.save zip archive \(unreadable zip: invalid zip data\)/],
      ['random.pkl', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24), /not a PyTorch checkpoint or pickle \(unknown file signature\)/],
      ['empty.pt', new Uint8Array(0), /unknown file signature/],
      ['text.pt', new TextEncoder().encode('hello, this is not a model\n'), /unknown file signature/],
      ['random-pickle.pkl', Uint8Array.from([0x80, 4, 0x95, ...Array.from({ length: 64 }, (_, i) => (i * 97) & 0xff)]), /damaged pickle \(unknown opcode 0x08 at byte 11\)/],
    ];
    for (const [name, bytes, re] of files) {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      await refused(p, re);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fuzz: damaged copies of the fixtures load or give one UserError line, never another error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-fuzz-'));
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const outcomes = { loaded: 0, refused: 0 };
  try {
    for (const name of ['refuse-stylegan3.pkl', 'tensor-zoo.legacy.pt', 'tensor-zoo.zip.pt', 'refuse-conditional.pkl']) {
      const original = new Uint8Array(readFileSync(`${DIR}/${name}`));
      for (let i = 0; i < 60; i++) {
        const bytes = original.slice();
        const flips = 1 + rand(4);
        for (let k = 0; k < flips; k++) bytes[rand(bytes.length)] = rand(256);
        const p = join(dir, `${i}-${name}`);
        writeFileSync(p, bytes);
        try {
          await readCheckpoint(p);
          outcomes.loaded++;
        } catch (e) {
          assert.ok(e instanceof UserError, `${p}: ${e instanceof Error ? e.stack : String(e)}`);
          assert.ok(!e.message.includes('\n') && e.message.startsWith(`${p}: `), e.message);
          outcomes.refused++;
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(outcomes.loaded + outcomes.refused, 240);
  assert.ok(outcomes.refused > 200, `most damaged files are refused (${outcomes.refused})`);
});
