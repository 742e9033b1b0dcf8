import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHORD_NET_FILE,
  ChordNet,
  NET_INPUTS,
  NET_NOTES,
  chordNetInput,
  decodeChordNet,
  encodeChordNet,
  loadChordNet,
} from '../../src/analysis/chordNet.js';

test('the committed chord-net weights load: 96 inputs, 12 outputs, small', () => {
  const net = loadChordNet();
  assert.equal(net.sizes[0], NET_INPUTS);
  assert.equal(net.sizes[net.sizes.length - 1], 12);
  const floats = net.w.reduce((a, w) => a + w.length, 0) + net.b.reduce((a, b) => a + b.length, 0);
  assert.ok(floats * 4 < 1 << 20, `${floats} weights`);
  // Round trip through the file format.
  const again = decodeChordNet(encodeChordNet(net), 'round trip');
  assert.deepEqual(again.sizes, net.sizes);
  assert.deepEqual(Array.from(again.w[0]!.subarray(0, 50)), Array.from(net.w[0]!.subarray(0, 50)));
  assert.match(CHORD_NET_FILE, /models\/chordnet\/chord-chroma\.bin$/);
});

test('missing or malformed weights: the error names the file and what is wrong', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chordnet-'));
  const missing = join(dir, 'nope.bin');
  assert.throws(() => loadChordNet(missing), (e: Error) => e.message.includes(missing) && /cannot be read/.test(e.message));
  const good = encodeChordNet(loadChordNet());
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['short.bin', good.subarray(0, 6), /too short/],
    ['magic.bin', Uint8Array.from([...good.subarray(0, 12)].map((b, i) => (i === 0 ? 0 : b))), /magic/],
    ['truncated.bin', good.subarray(0, good.length - 4), /bytes, expected/],
  ];
  const nan = good.slice();
  new DataView(nan.buffer).setFloat32(nan.length - 4, NaN, true);
  cases.push(['nan.bin', nan, /non-finite/]);
  const wrongInputs = good.slice();
  new DataView(wrongInputs.buffer).setUint32(12, 95, true);
  cases.push(['inputs.bin', wrongInputs, /expected 96 inputs/]);
  for (const [name, bytes, why] of cases) {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    assert.throws(() => loadChordNet(file), (e: Error) => e.message.includes(file) && why.test(e.message), name);
  }
});

test('transposing the input by k semitones moves levels, chroma and bass chroma together', () => {
  const levels = Float64Array.from({ length: NET_NOTES }, (_, i) => (i === 10 ? 2 : i === 30 ? 1 : 0));
  const chroma = Float32Array.from({ length: 12 }, (_, i) => (i === 2 ? 1 : 0));
  const bass = Float32Array.from({ length: 12 }, (_, i) => (i === 5 ? 1 : 0));
  const x = new Float32Array(NET_INPUTS);
  chordNetInput(levels, chroma, bass, x, 3);
  assert.equal(x[13], 1);
  assert.equal(x[33], 0.5);
  assert.equal(x[NET_NOTES + 5], 1);
  assert.equal(x[NET_NOTES + 12 + 8], 1);
  chordNetInput(levels, chroma, bass, x, -11);
  assert.equal(x[NET_NOTES + 3], 1, 'pitch classes wrap');
  const y = new Float32Array(12);
  new ChordNet(loadChordNet()).run(x, y);
  assert.ok(y.every((v) => v > 0 && v < 1));
});
