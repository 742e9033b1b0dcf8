/**
 * Seeds mean what NVIDIA's generate.py means: numpy's legacy RandomState(seed).randn(z_dim). The expected draws
 * were written by numpy itself (tools/nvidia-fixture/make_latent_fixtures.py → numpy-randn.json).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NumpyRandomState, parseSeedList, zFromSeed } from '../../src/contracts/seeds.js';

const NV = join(process.cwd(), 'test', 'fixtures', 'nvidia');
const ref = JSON.parse(readFileSync(join(NV, 'numpy-randn.json'), 'utf8')) as {
  n: number;
  randn: Record<string, string[]>;
  uint32: Record<string, number[]>;
};

test('MT19937 raw outputs equal numpy RandomState for seeds 0 and 5489', () => {
  for (const [seed, values] of Object.entries(ref.uint32)) {
    const rs = new NumpyRandomState(Number(seed));
    assert.deepEqual(values.map(() => rs.nextUint32()), values, `seed ${seed}`);
  }
});

test('z equals numpy RandomState(seed).randn(512) cast to float32 bit for bit; the float64 draws within one ulp', (t) => {
  const seeds = Object.keys(ref.randn);
  assert.ok(seeds.length >= 5);
  let offByUlp = 0;
  let total = 0;
  for (const seed of seeds) {
    const expected = ref.randn[seed]!.map(Number);
    const got = new NumpyRandomState(Number(seed)).randn(ref.n);
    for (let i = 0; i < ref.n; i++) {
      total++;
      if (Object.is(got[i], expected[i])) continue;
      // glibc's log (numpy's) is not correctly rounded at near-ties; ours is. One ulp of float64, never more.
      const ulp = Math.abs(expected[i]!) * 2 ** -52;
      assert.ok(Math.abs(got[i]! - expected[i]!) <= ulp, `seed ${seed} value ${i}: ${got[i]} vs numpy ${expected[i]}`);
      offByUlp++;
    }
    // The network casts z to float32 first (upstream: z.to(torch.float32)); that z is exact.
    const z = zFromSeed(Number(seed), ref.n);
    const want = Float32Array.from(expected);
    for (let i = 0; i < ref.n; i++) assert.ok(Object.is(z[i], want[i]), `seed ${seed}: z[${i}] ${z[i]} vs numpy's float32 ${want[i]}`);
  }
  t.diagnostic(`float64 draws off by one ulp: ${offByUlp} of ${total}; float32 z: all exact`);
  assert.ok(offByUlp <= 8, `${offByUlp} draws differ (Math.log instead of the correctly rounded log differs in ~150)`);
});

test('a seed out of 0..2^32-1 is refused; seed lists parse 1,2,3 and ranges', () => {
  assert.throws(() => new NumpyRandomState(-1), /seed -1/);
  assert.throws(() => new NumpyRandomState(2 ** 32), /seed 4294967296/);
  assert.throws(() => new NumpyRandomState(1.5), /seed 1.5/);
  assert.deepEqual(parseSeedList('7'), [7]);
  assert.deepEqual(parseSeedList('1,2, 3'), [1, 2, 3]);
  assert.deepEqual(parseSeedList('100-103,7'), [100, 101, 102, 103, 7]);
  assert.throws(() => parseSeedList('5-3'), /runs backwards/);
  assert.throws(() => parseSeedList('1,,2'), /empty entry/);
  assert.throws(() => parseSeedList('x'), /'x' is not a seed/);
  assert.throws(() => parseSeedList('4294967296'), /beyond the largest seed/);
  assert.throws(() => parseSeedList('0-20000'), /more than 10000 seeds/);
});
