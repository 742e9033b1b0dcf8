/**
 * What a seed means: the z that NVIDIA's tools draw for it. Their generate.py takes
 * `np.random.RandomState(seed).randn(1, z_dim)`, so a latent found with the upstream tools (or shared as
 * "seed 7") is typed in here and gives the same picture.
 *
 * numpy's legacy RandomState is MT19937 seeded with init_genrand (Matsumoto & Nishimura's reference seeding),
 * 53-bit doubles from two 32-bit outputs ((a >> 5)·2²⁶ + (b >> 6)) / 2⁵³, and normals by the polar Box–Muller
 * method that keeps the second value of each pair for the next call. Written here from those published
 * definitions because no npm package reproduces numpy's stream bit for bit (speed does not matter: 512 values
 * per seed). The z is float64 upstream and cast to float32 inside the network; zFromSeed does the same cast.
 *
 * The one operation whose last bit IEEE 754 leaves open is the logarithm. V8's Math.log (fdlibm) differs from
 * glibc's log (what numpy calls) in about 4 % of draws; a correctly rounded log (log64.ts) agrees with glibc
 * except at near-ties where glibc rounds the other way (4 of 3584 draws in the fixture, one float64 ulp each).
 * The float32 z the network consumes was identical in every case (test/generator/seeds.test.ts).
 */

import { logCorrectlyRounded } from './log64.js';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

/** numpy.random.RandomState's generator: MT19937 with the legacy Gaussian cache. */
export class NumpyRandomState {
  private readonly mt = new Uint32Array(N);
  private index = N;
  private gaussCached = false;
  private gauss = 0;

  /** Seed as numpy's RandomState(seed) with an integer seed 0 … 2³²−1. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed ${seed} is not an integer in 0..4294967295`);
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      // 1812433253 · prev + i, modulo 2³²: Math.imul keeps the low 32 bits exactly.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & UPPER) | (mt[(i + 1) % N]! & LOWER);
      mt[i] = mt[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.index = 0;
  }

  /** The next 32-bit output (tempered), as numpy's random_uint32 / randint(2**32) give. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y = (y ^ ((y << 7) & 0x9d2c5680)) >>> 0;
    y = (y ^ ((y << 15) & 0xefc60000)) >>> 0;
    return (y ^ (y >>> 18)) >>> 0;
  }

  /** A double in [0, 1) with 53 random bits (numpy's random_sample). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** One standard normal, as numpy's legacy randn / standard_normal. */
  gaussian(): number {
    if (this.gaussCached) {
      this.gaussCached = false;
      return this.gauss;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.nextDouble() - 1;
      x2 = 2 * this.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * logCorrectlyRounded(r2)) / r2);
    this.gauss = f * x1;
    this.gaussCached = true;
    return f * x2;
  }

  /** `randn(n)`: n normals in float64, in draw order. */
  randn(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.gaussian();
    return out;
  }
}

/** The z NVIDIA's generate.py uses for a seed, cast to float32 as their network does. */
export function zFromSeed(seed: number, zDim: number): Float32Array {
  return Float32Array.from(new NumpyRandomState(seed).randn(zDim));
}

/** Seeds are integers 0 … 2³²−1 (numpy refuses others). */
export const MAX_SEED = 0xffffffff;

/**
 * Parses a seed list as the upstream tools write it: `7`, `1,2,3`, `100-163`, or a mix (`1,5-8,20`). Ranges are
 * inclusive. Throws an Error naming the bad part; callers prefix the flag.
 */
export function parseSeedList(text: string, maxCount = 10000): number[] {
  const out: number[] = [];
  const seed = (s: string): number => {
    if (!/^\d+$/.test(s)) throw new Error(`'${s}' is not a seed (an integer 0..${MAX_SEED})`);
    const n = Number(s);
    if (n > MAX_SEED) throw new Error(`${s} is beyond the largest seed ${MAX_SEED}`);
    return n;
  };
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') throw new Error(`empty entry in '${text}' (write 1,2,3 or 100-163)`);
    const m = /^(\d+)\s*-\s*(\d+)$/.exec(part);
    if (m) {
      const a = seed(m[1]!);
      const b = seed(m[2]!);
      if (b < a) throw new Error(`range '${part}' runs backwards`);
      if (out.length + (b - a + 1) > maxCount) throw new Error(`more than ${maxCount} seeds in '${text}'`);
      for (let s = a; s <= b; s++) out.push(s);
    } else {
      out.push(seed(part));
      if (out.length > maxCount) throw new Error(`more than ${maxCount} seeds in '${text}'`);
    }
  }
  return out;
}
