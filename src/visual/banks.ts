import { isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import { asLatents, readLatentArray } from '../contracts/latentFiles.js';
import type { LatentProvider } from './latents.js';

/** How a bank is declared (see the mapping schema). */
export interface BankSource {
  seeds?: number[];
  file?: string;
  w?: number[][];
  capture?: number;
  /** One latent per class of a conditional model, all from the z of `classSeed` (default 0). */
  classes?: number[];
  classSeed?: number;
  /** What `file` holds: W vectors (default; W+ whose rows repeat one w also loads) or z vectors mapped through the network. */
  space?: 'w' | 'z';
}

/** A bank with a problem in its declaration; `key` names the offending field for the file:line error. */
export class BankError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

/** Splits a [count × dim] array into one vector per latent. */
function rows(data: Float32Array, count: number): Float32Array[] {
  const dim = data.length / Math.max(1, count);
  return Array.from({ length: count }, (_, i) => Float32Array.from(data.subarray(i * dim, (i + 1) * dim)));
}

/**
 * Loads a bank's W vectors: from seeds through the mapping network; from a file — .npy, .npz (e.g. the
 * projector's projected_w.npz) or .json — of W vectors [N, wDim], W+ latents [N, numWs, wDim] whose rows repeat
 * one w, or z vectors [N, zDim] (space: z) mapped through the network; inline; or as capture slots (w_avg until
 * filled, or the seeds when given). Every vector is checked against wDim.
 */
export async function loadBank(spec: BankSource, baseDir: string, provider: LatentProvider): Promise<Float32Array[]> {
  const { wDim } = provider;
  let vectors: Float32Array[];
  let key = 'seeds';
  if (spec.seeds) {
    vectors = await provider.fromSeeds(spec.seeds);
  } else if (spec.file) {
    key = 'file';
    const file = isAbsolute(spec.file) ? spec.file : join(baseDir, spec.file);
    const space = spec.space ?? 'w';
    try {
      const t = readLatentArray(file);
      const zDim = provider.zDim ?? wDim;
      const batch = asLatents(t, file, space, { zDim, wDim, numWs: provider.numWs });
      if (space === 'z') {
        if (!provider.fromZ) throw new UserError(`${file}: z latents need the model's mapping network, which this latent provider lacks`);
        vectors = await provider.fromZ(rows(batch.data, batch.count));
      } else {
        vectors = rows(batch.data, batch.count);
      }
    } catch (e) {
      if (e instanceof UserError) throw new BankError(key, e.message);
      throw e;
    }
  } else if (spec.classes) {
    key = 'classes';
    if (!provider.fromClasses) throw new BankError(key, 'classes need a class-conditional model and its mapping network');
    try {
      vectors = await provider.fromClasses(spec.classes, spec.classSeed ?? 0);
    } catch (e) {
      if (e instanceof UserError) throw new BankError(key, e.message);
      throw e;
    }
  } else if (spec.w) {
    key = 'w';
    vectors = spec.w.map((r) => Float32Array.from(r));
  } else {
    vectors = [];
  }
  const where = spec.file ? `${spec.file}: ` : '';
  vectors.forEach((v, i) => {
    if (v.length !== wDim) throw new BankError(key, `latent ${i} has ${v.length} values; this model's W has ${wDim}`);
    // One NaN or ±Infinity in W turns the whole picture black (or garbage) for as long as the latent is mixed in.
    for (let k = 0; k < v.length; k++) {
      if (!Number.isFinite(v[k]!)) throw new BankError(key, `${where}latent ${i}, value ${k} is ${v[k]}; W vectors must be finite numbers`);
    }
  });
  if (spec.capture !== undefined) {
    const slots: Float32Array[] = [];
    for (let i = 0; i < spec.capture; i++) slots.push(Float32Array.from(vectors.length ? vectors[i % vectors.length]! : provider.wAvg));
    vectors = slots;
  }
  return vectors;
}
