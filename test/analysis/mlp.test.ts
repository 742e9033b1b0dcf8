import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Mlp, decodeMlp, encodeMlp, readMlp, type MlpKind, type MlpWeights } from '../../src/analysis/mlp.js';
import { lcg } from '../../src/analysis/synth.js';

const KIND: MlpKind = { magic: 0x54534554, what: 'test net', inputs: 5, outputs: 2, madeBy: 'the test' };

function randomNet(seed: number): MlpWeights {
  const rnd = lcg(seed);
  const sizes = [5, 4, 3, 2];
  const w = sizes.slice(1).map((n, l) => Float32Array.from({ length: n * sizes[l]! }, () => 2 * rnd() - 1));
  const b = sizes.slice(1).map((n) => Float32Array.from({ length: n }, () => rnd() - 0.5));
  return { sizes, w, b };
}

/** The textbook forward pass: row by row, ReLU hidden layers, sigmoid outputs. */
function naive(net: MlpWeights, x: number[]): number[] {
  let a = x;
  const L = net.sizes.length - 1;
  for (let l = 0; l < L; l++) {
    const nIn = net.sizes[l]!;
    a = Array.from({ length: net.sizes[l + 1]! }, (_, o) => {
      let z = net.b[l]![o]!;
      for (let i = 0; i < nIn; i++) z += net.w[l]![o * nIn + i]! * a[i]!;
      return l < L - 1 ? Math.max(0, z) : 1 / (1 + Math.exp(-z));
    });
  }
  return a;
}

test('the forward pass (inputs of 0 skipped) matches the row-by-row product', () => {
  const net = randomNet(3);
  const mlp = new Mlp(net);
  const y = new Float32Array(2);
  for (const x of [[0, 0, 0, 0, 0], [1, 0, -2, 0, 0.5], [0.3, 0.1, 0.7, -0.4, 2]]) {
    mlp.run(Float32Array.from(x), y);
    const want = naive(net, x);
    for (let o = 0; o < 2; o++) assert.ok(Math.abs(y[o]! - want[o]!) < 1e-6, `${x}: ${y[o]} vs ${want[o]}`);
  }
});

test('rows whose weights reach only some outputs (spans anywhere, one weight long, none) match the product', () => {
  for (let seed = 1; seed <= 6; seed++) {
    const rnd = lcg(seed);
    const sizes = [7, 9, 6, 3];
    const w = sizes.slice(1).map((nOut, l) => {
      const nIn = sizes[l]!;
      const W = new Float32Array(nOut * nIn);
      for (let i = 0; i < nIn; i++) {
        // Input i reaches outputs lo … hi − 1: a random span, one weight (hi = lo + 1) or none (hi = lo).
        const kind = rnd();
        const lo = Math.floor(rnd() * nOut);
        const hi = kind < 0.2 ? lo : kind < 0.5 ? lo + 1 : lo + 1 + Math.floor(rnd() * (nOut - lo));
        for (let o = lo; o < hi; o++) W[o * nIn + i] = 2 * rnd() - 1;
      }
      return W;
    });
    const b = sizes.slice(1).map((n) => Float32Array.from({ length: n }, () => rnd() - 0.3));
    const net: MlpWeights = { sizes, w, b };
    const mlp = new Mlp(net);
    const y = new Float32Array(3);
    for (let t = 0; t < 5; t++) {
      const x = Array.from({ length: 7 }, () => (rnd() < 0.2 ? 0 : 2 * rnd() - 0.5));
      mlp.run(Float32Array.from(x), y);
      const want = naive(net, x);
      for (let o = 0; o < 3; o++) {
        assert.ok(Math.abs(y[o]! - want[o]!) < 1e-6, `seed ${seed}, ${x}: ${y[o]} vs ${want[o]}`);
      }
    }
  }
});

test('weights survive a round trip; a file of another net, shape or length is refused with its name', () => {
  const net = randomNet(5);
  const bytes = encodeMlp(net, KIND.magic);
  const back = decodeMlp(bytes, 'round trip', KIND);
  assert.deepEqual(back.sizes, net.sizes);
  for (let l = 0; l < 3; l++) assert.deepEqual(Array.from(back.w[l]!), Array.from(net.w[l]!));
  const dir = mkdtempSync(join(tmpdir(), 'mlp-'));
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['other.bin', encodeMlp(net, 0x4e43564c), /wrong magic/],
    ['short.bin', bytes.subarray(0, 8), /too short/],
    ['cut.bin', bytes.subarray(0, bytes.length - 4), /bytes, expected/],
    ['shape.bin', encodeMlp({ ...net, sizes: [6, 4, 3, 2], w: [new Float32Array(24), ...net.w.slice(1)] }, KIND.magic), /expected 5 inputs and 2 outputs/],
  ];
  for (const [name, b, why] of cases) {
    const file = join(dir, name);
    writeFileSync(file, b);
    assert.throws(() => readMlp(file, KIND), (e: Error) => e.message.includes(file) && e.message.startsWith('test net') && why.test(e.message), name);
  }
  assert.throws(() => readMlp(join(dir, 'none.bin'), KIND), /cannot be read.*rebuilt by the test/);
});
