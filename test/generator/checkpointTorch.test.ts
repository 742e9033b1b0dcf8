import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PickleError, PyObject, PySet, asMap, getKey, type PyValue } from '../../src/generator/checkpoint/pickle.js';
import { TorchTensor, isLegacyTorch, isZip, loadLegacyTorch, loadZipTorch } from '../../src/generator/checkpoint/torch.js';
import { NVIDIA_FIXTURES } from '../helpers/paths.js';

const DIR = NVIDIA_FIXTURES;

interface Expected {
  tensors: Record<string, { shape: number[]; dtype: string; values: number[] }>;
  extras: Record<string, unknown>;
}
const expected = JSON.parse(readFileSync(`${DIR}/tensor-zoo.json`, 'utf8')) as Expected;

function load(name: string): PyValue {
  const bytes = new Uint8Array(readFileSync(`${DIR}/${name}`));
  if (isZip(bytes)) return loadZipTorch(bytes);
  assert.ok(isLegacyTorch(bytes), `${name} should look like a legacy torch.save stream`);
  return loadLegacyTorch(bytes);
}

function checkZoo(name: string): void {
  const root = load(name);
  const tensors = asMap(getKey(root, 'tensors'));
  assert.ok(tensors, `${name}: tensors dict`);
  for (const [key, want] of Object.entries(expected.tensors)) {
    const t = tensors.get(key);
    assert.ok(t instanceof TorchTensor, `${name}: ${key} is a tensor`);
    assert.equal(t.dtype, want.dtype, `${name}: ${key} dtype`);
    const got = t.toTensor();
    assert.deepEqual(got.shape, want.shape, `${name}: ${key} shape`);
    assert.deepEqual(Array.from(got.data), want.values.map((v) => Math.fround(v)), `${name}: ${key} values`);
  }
  // Views share their storage with the base tensor; slicing keeps an offset, expand has stride 0.
  const base = tensors.get('base') as TorchTensor;
  const sliced = tensors.get('sliced') as TorchTensor;
  assert.equal((tensors.get('transposed') as TorchTensor).storage, base.storage, `${name}: transposed shares storage`);
  assert.equal(sliced.storage, base.storage);
  assert.equal(sliced.offset, 7);
  assert.deepEqual((tensors.get('expanded') as TorchTensor).stride, [1, 0]);

  const extras = getKey(root, 'extras');
  const ex = expected.extras;
  assert.deepEqual([...(asMap(getKey(extras, 'od')) ?? [])], Object.entries(ex.od as object), `${name}: OrderedDict`);
  for (const k of ['np_f64', 'np_i64', 'np_f32', 'np_bool', 'neg', 'small_neg', 'int4', 'float', 'text', 'none', 'yes']) {
    assert.equal(getKey(extras, k), ex[k], `${name}: ${k}`);
  }
  assert.equal(getKey(extras, 'big'), BigInt(ex.big as string));
  const easy = getKey(extras, 'easy');
  assert.ok(easy instanceof PyObject && easy.className === 'dnnlib.util.EasyDict', `${name}: EasyDict kept its class`);
  assert.equal(getKey(easy, 'x'), 1);
  const set = getKey(extras, 'set');
  assert.ok(set instanceof PySet);
  assert.deepEqual([...set.items].sort(), ex.set);
  assert.deepEqual([...(getKey(extras, 'raw') as Uint8Array)], ex.raw);
}

test('zip torch.save (archive prefix differs from the file name): every dtype, view and container', () => {
  checkZoo('tensor-zoo.zip.pt');
});

test('legacy torch.save stream, pickle protocols 2 and 4', () => {
  checkZoo('tensor-zoo.legacy.pt');
  checkZoo('tensor-zoo.legacy-p4.pt');
});

test('truncated or damaged torch.save files throw PickleError', () => {
  for (const name of ['tensor-zoo.zip.pt', 'tensor-zoo.legacy.pt']) {
    const bytes = new Uint8Array(readFileSync(`${DIR}/${name}`));
    for (const cut of [0.3, 0.9, 0.999]) {
      const part = bytes.subarray(0, Math.floor(bytes.length * cut));
      assert.throws(
        () => (isZip(part) ? loadZipTorch(part) : loadLegacyTorch(part)),
        (e: unknown) => e instanceof PickleError,
        `${name} cut at ${cut}`,
      );
    }
  }
  // A legacy stream whose storage is shorter than its tensors claim fails when the tensor is read.
  const bytes = new Uint8Array(readFileSync(`${DIR}/tensor-zoo.legacy.pt`));
  const wrongMagic = bytes.slice();
  wrongMagic[6] ^= 0xff;
  assert.throws(() => loadLegacyTorch(wrongMagic), /magic number/);
});
