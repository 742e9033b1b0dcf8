import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { zFromSeed } from '../generator/seeds.js';
import { UserError } from '../errors.js';
import type { Manifest } from '../generator/types.js';

/**
 * Latents live in W space: the model's mapping network runs once per seed when a bank loads, never per frame.
 * The provider is the one place that knows how to get from a seed to a W vector.
 */
export interface LatentProvider {
  wDim: number;
  numWs: number;
  /** The model's average W (truncation centre). */
  wAvg: Float32Array;
  /** One W vector [wDim] per seed, in order. Deterministic: the same seed always gives the same W. */
  fromSeeds(seeds: number[]): Promise<Float32Array[]>;
  /** z size of the mapping network (for z banks). */
  zDim?: number;
  /** One W vector per z vector [zDim], through the mapping network. */
  fromZ?(z: Float32Array[]): Promise<Float32Array[]>;
  close?(): Promise<void>;
}

/** z for a seed: NVIDIA's generate.py draw, numpy RandomState(seed).randn(zDim) (see generator/seeds.ts). */
export { zFromSeed } from '../generator/seeds.js';

/** Caches W per seed so that a hot reload of a mapping does not rerun the mapping network for known seeds. */
export function cachingProvider(inner: LatentProvider): LatentProvider {
  const cache = new Map<number, Float32Array>();
  return {
    wDim: inner.wDim,
    numWs: inner.numWs,
    wAvg: inner.wAvg,
    zDim: inner.zDim,
    fromZ: inner.fromZ ? (z) => inner.fromZ!(z) : undefined,
    async fromSeeds(seeds) {
      const missing = [...new Set(seeds.filter((s) => !cache.has(s)))];
      if (missing.length) {
        const ws = await inner.fromSeeds(missing);
        missing.forEach((s, i) => cache.set(s, ws[i]!));
      }
      return seeds.map((s) => cache.get(s)!);
    },
    close: inner.close ? () => inner.close!() : undefined,
  };
}

function wAvgOf(manifest: Manifest): Float32Array {
  return manifest.wAvg.length === manifest.wDim ? Float32Array.from(manifest.wAvg) : new Float32Array(manifest.wDim);
}

/**
 * The real provider: onnxruntime-node on the model directory's mapping network (`manifest.files.mapping`,
 * input z [batch, zDim] → w [batch, wDim]). CPU is plenty: a bank of 12 seeds is one tiny batch.
 */
export async function createOnnxLatentProvider(modelDir: string, manifest: Manifest): Promise<LatentProvider> {
  const file = join(modelDir, manifest.files.mapping || 'mapping.onnx');
  if (!existsSync(file)) {
    throw new UserError(`${file}: missing (the model's mapping network, z → w; \`latentvj convert\` writes it beside generator.onnx)`);
  }
  const ort = await import('onnxruntime-node');
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(await readFile(file), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  } catch (e) {
    throw new UserError(`${file}: cannot load the mapping network (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  const inputName = session.inputNames.includes('z') ? 'z' : session.inputNames[0]!;
  const outputName = session.outputNames.includes('w') ? 'w' : session.outputNames[0]!;
  const { zDim, wDim } = manifest;
  const map = async (zs: Float32Array[]): Promise<Float32Array[]> => {
    if (zs.length === 0) return [];
    const z = new Float32Array(zs.length * zDim);
    zs.forEach((v, i) => z.set(v, i * zDim));
    const out = await session.run({ [inputName]: new ort.Tensor('float32', z, [zs.length, zDim]) });
    const w = out[outputName]!.data as Float32Array;
    const per = w.length / zs.length;
    if (per < wDim) throw new UserError(`${file}: output '${outputName}' has ${per} values per latent, the manifest says wDim ${wDim}`);
    // A mapping that outputs W+ [batch, numWs, wDim] repeats one w; the first row is it.
    return zs.map((_, i) => Float32Array.from(w.subarray(i * per, i * per + wDim)));
  };
  return {
    wDim,
    zDim,
    numWs: manifest.numWs,
    wAvg: wAvgOf(manifest),
    fromSeeds: (seeds) => map(seeds.map((s) => zFromSeed(s, zDim))),
    fromZ: map,
    close: () => session.release(),
  };
}
