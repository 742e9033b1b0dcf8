import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseNpy } from '../contracts/npy.js';
import type { LatentProvider } from './latents.js';

/** How a bank is declared (see the mapping schema). */
export interface BankSource {
  seeds?: number[];
  file?: string;
  w?: number[][];
  capture?: number;
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

/**
 * Loads a bank's W vectors: from seeds through the mapping network, from a .npy ([N, wDim] or [wDim] float32)
 * or .json ([[…], …]) file, inline, or as capture slots (w_avg until filled, or the seeds when given).
 * Every vector is checked against wDim.
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
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw new BankError(key, `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    if (/\.npy$/i.test(file)) {
      let t;
      try {
        t = parseNpy(new Uint8Array(bytes), file);
      } catch (e) {
        throw new BankError(key, e instanceof Error ? e.message : String(e));
      }
      const n = t.shape.length === 1 ? 1 : t.shape[0]!;
      const per = t.data.length / Math.max(1, n);
      if (per !== wDim) throw new BankError(key, `${file} has shape [${t.shape.join(', ')}]; expected [N, ${wDim}] (W vectors of this model)`);
      vectors = Array.from({ length: n }, (_, i) => Float32Array.from(t.data.subarray(i * per, (i + 1) * per)));
    } else {
      let json: unknown;
      try {
        json = JSON.parse(bytes.toString('utf8'));
      } catch (e) {
        throw new BankError(key, `${file} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
      }
      if (!Array.isArray(json) || !json.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number'))) {
        throw new BankError(key, `${file}: expected a JSON array of W vectors ([[…], …])`);
      }
      vectors = (json as number[][]).map((r) => Float32Array.from(r));
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
