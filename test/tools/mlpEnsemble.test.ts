import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mlp, type MlpWeights } from '../../src/analysis/mlp.js';
import { lcg } from '../../src/analysis/synth.js';
import { ensembleMlp, seedsOf } from '../../tools/mlpEnsemble.js';

function randomNet(sizes: number[], seed: number): MlpWeights {
  const rnd = lcg(seed);
  const w: Float32Array[] = [];
  const b: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    w.push(Float32Array.from({ length: sizes[l]! * sizes[l + 1]! }, () => 2 * rnd() - 1));
    b.push(Float32Array.from({ length: sizes[l + 1]! }, () => rnd() - 0.5));
  }
  return { sizes, w, b };
}

const logit = (p: number): number => Math.log(p / (1 - p));

for (const [depth, shapes, joined] of [
  ['one hidden layer', [[6, 5, 2], [6, 3, 2]], [6, 8, 2]],
  ['two hidden layers', [[6, 5, 3, 2], [6, 4, 4, 2], [6, 3, 2, 2]], [6, 12, 9, 2]],
  ['three hidden layers', [[6, 3, 4, 2, 2], [6, 5, 2, 3, 2]], [6, 8, 6, 5, 2]],
] as const) {
  test(`the ensemble net outputs the sigmoid of its members’ mean logit (${depth})`, () => {
    const members = shapes.map((sizes, i) => randomNet([...sizes], i + 1));
    const ens = ensembleMlp(members);
    assert.deepEqual(ens.sizes, joined);
    const rnd = lcg(9);
    const x = new Float32Array(6);
    const y = new Float32Array(2);
    const m = new Float32Array(2);
    for (let k = 0; k < 50; k++) {
      for (let i = 0; i < 6; i++) x[i] = rnd() < 0.2 ? 0 : 4 * rnd() - 2;
      new Mlp(ens).run(x, y);
      for (let o = 0; o < 2; o++) {
        let sum = 0;
        for (const n of members) {
          new Mlp(n).run(x, m);
          sum += logit(m[o]!);
        }
        assert.ok(Math.abs(logit(y[o]!) - sum / members.length) < 1e-4, `output ${o}: ${logit(y[o]!)} against ${sum / members.length}`);
      }
    }
  });
}

test('one member is its own ensemble', () => {
  const n = randomNet([4, 3, 2], 5);
  const ens = ensembleMlp([n]);
  assert.deepEqual(ens.sizes, n.sizes);
  for (let l = 0; l < 2; l++) {
    assert.deepEqual(Array.from(ens.w[l]!), Array.from(n.w[l]!));
    assert.deepEqual(Array.from(ens.b[l]!), Array.from(n.b[l]!));
  }
});

test('members of different shape are refused, naming the shapes', () => {
  assert.throws(() => ensembleMlp([randomNet([4, 3, 2], 1), randomNet([5, 3, 2], 2)]), /4×3×2, 5×3×2/);
  assert.throws(() => ensembleMlp([]), /at least one/);
});

test('the trainers read their seeds from one variable: several, the fallback, and an error naming the variable', () => {
  const name = 'LATENTVJ_TEST_SEEDS';
  delete process.env[name];
  assert.deepEqual(seedsOf(name, '20261205,7'), [20261205, 7]);
  process.env[name] = ' 3, 11,';
  assert.deepEqual(seedsOf(name, '1'), [3, 11]);
  process.env[name] = '3,x';
  assert.throws(() => seedsOf(name, '1'), /LATENTVJ_TEST_SEEDS: "x" is not a seed/);
  delete process.env[name];
});
