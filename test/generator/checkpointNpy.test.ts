import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeNpy, parseNpy, halfToFloat, readNpy } from '../../src/contracts/npy.js';
import { UserError } from '../../src/errors.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROSINALITY_FIXTURES } from '../helpers/paths.js';

function npyBytes(descr: string, shape: string, data: Uint8Array, fortran = 'False'): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}

test('encodeNpy writes the same header numpy.save writes', () => {
  const bytes = encodeNpy({ shape: [2, 3], data: Float32Array.from([0, 1, 2, 3, 4, 5]) });
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 128));
  // From numpy 1.24: np.save(b, np.arange(6, dtype='<f4').reshape(2, 3))
  assert.equal(header.slice(0, 8), '\x93NUMPY\x01\x00');
  assert.equal(bytes[8], 0x76);
  assert.ok(header.slice(10).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }           "));
  assert.equal(bytes.length, 128 + 24);
  const back = parseNpy(bytes);
  assert.deepEqual(back.shape, [2, 3]);
  assert.deepEqual(Array.from(back.data), [0, 1, 2, 3, 4, 5]);
  const one = encodeNpy({ shape: [1], data: Float32Array.from([1.5]) });
  assert.ok(new TextDecoder('latin1').decode(one).includes("'shape': (1,), }"));
  assert.deepEqual(parseNpy(one).shape, [1]);
});

test('parseNpy converts float64, big-endian float32, float16 and ints to float32', () => {
  const f8 = new Uint8Array(16);
  new DataView(f8.buffer).setFloat64(0, 0.1, true);
  new DataView(f8.buffer).setFloat64(8, -2.5, true);
  assert.deepEqual(Array.from(parseNpy(npyBytes('<f8', '(2,)', f8)).data), [Math.fround(0.1), -2.5]);
  const be = new Uint8Array(4);
  new DataView(be.buffer).setFloat32(0, 3.25, false);
  assert.deepEqual(Array.from(parseNpy(npyBytes('>f4', '(1, 1)', be)).data), [3.25]);
  const f2 = new Uint8Array([0x00, 0x3c, 0x00, 0xc0]); // 1.0, -2.0
  assert.deepEqual(Array.from(parseNpy(npyBytes('<f2', '(2,)', f2)).data), [1, -2]);
  assert.equal(halfToFloat(0x0001), 2 ** -24);
  const i8 = new Uint8Array(8);
  new DataView(i8.buffer).setBigInt64(0, -7n, true);
  assert.deepEqual(Array.from(parseNpy(npyBytes('<i8', '()', i8)).data), [-7]);
});

test('parseNpy refuses bad files with one line naming the file', () => {
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array([1, 2, 3]), /x\.npy: not a NumPy \.npy file/],
    [npyBytes('<f4', '(4,)', new Uint8Array(8)), /x\.npy: truncated \.npy data: shape \[4\] needs 16 bytes, found 8/],
    [npyBytes('<f4', '(2, 2)', new Uint8Array(16), 'True'), /x\.npy: Fortran-order/],
    [npyBytes('<c8', '(1,)', new Uint8Array(8)), /x\.npy: dtype '<c8' is not supported/],
  ];
  for (const [bytes, re] of cases) {
    assert.throws(() => parseNpy(bytes, 'x.npy'), (e: unknown) => e instanceof UserError && re.test(e.message) && !e.message.includes('\n'));
  }
});

test('readNpy reads the reference z written by numpy', async () => {
  const z = await readNpy(join(ROSINALITY_FIXTURES, 'rosinality-64-z.npy'));
  assert.deepEqual(z.shape, [1, 64]);
  // The first values, as torch wrote them beside the file (make_rosinality.py).
  const digest = JSON.parse(await readFile(join(ROSINALITY_FIXTURES, 'rosinality-64-digest.json'), 'utf8')) as { z: { first: number[] } };
  assert.equal(z.data[0], Math.fround(digest.z.first[0]!));
  assert.equal(z.data[2], Math.fround(digest.z.first[2]!));
  await assert.rejects(readNpy('no/such/file.npy'), /no\/such\/file\.npy: cannot read \.npy file \(ENOENT\)/);
});
