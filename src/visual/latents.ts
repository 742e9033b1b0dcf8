import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { zFromSeed } from '../contracts/seeds.js';
import { UserError } from '../errors.js';
import type { Manifest } from '../contracts/model.js';
import { readDirections, type ModelDirections } from '../contracts/directions.js';
import { NumpyRandomState } from '../contracts/seeds.js';

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
  /** Classes of a conditional model (0: unconditional). */
  cDim?: number;
  /** One W per class of a conditional model, all from the z of one seed. */
  fromClasses?(classes: number[], seed: number): Promise<Float32Array[]>;
  /** Mean W of each class of a conditional model (over a fixed set of sampled z), for the `class` target. */
  classMeans?(): Promise<Float32Array[]>;
  /** The model's stored directions (directions.json); a UserError says how to make them when there are none. */
  directions?(): Promise<ModelDirections>;
  close?(): Promise<void>;
}

/** z for a seed: NVIDIA's generate.py draw, numpy RandomState(seed).randn(zDim) (see generator/seeds.ts). */
export { zFromSeed } from '../contracts/seeds.js';

/** Caches W per seed so that a hot reload of a mapping does not rerun the mapping network for known seeds. */
export function cachingProvider(inner: LatentProvider): LatentProvider {
  const cache = new Map<number, Float32Array>();
  // Class means and directions are the model's: computed or read once, kept across reloads.
  let means: Promise<Float32Array[]> | null = null;
  let dirs: Promise<ModelDirections> | null = null;
  return {
    wDim: inner.wDim,
    numWs: inner.numWs,
    wAvg: inner.wAvg,
    zDim: inner.zDim,
    fromZ: inner.fromZ ? (z) => inner.fromZ!(z) : undefined,
    cDim: inner.cDim,
    fromClasses: inner.fromClasses ? (c, s) => inner.fromClasses!(c, s) : undefined,
    classMeans: inner.classMeans ? () => (means ??= inner.classMeans!().catch((e: unknown) => ((means = null), Promise.reject(e)))) : undefined,
    // A failed read is not kept: the performer may run `latentvj directions` and save the mapping again.
    directions: inner.directions ? () => (dirs ??= inner.directions!().catch((e: unknown) => ((dirs = null), Promise.reject(e)))) : undefined,
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

/** Seed of the z stream the class means are averaged over (the same z for every class). */
const CLASS_MEAN_SEED = 0;

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
  // A conditional model's mapping also takes a one-hot class c [batch, cDim]; seeds and z banks use class 0.
  const cDim = session.inputNames.includes('c') ? (manifest.cDim ?? 0) : 0;
  if (session.inputNames.includes('c') && cDim === 0) throw new UserError(`${file}: the mapping takes a class input 'c' but the manifest has no cDim; convert the checkpoint again`);
  const map = async (zs: Float32Array[], classes?: number[]): Promise<Float32Array[]> => {
    if (zs.length === 0) return [];
    const z = new Float32Array(zs.length * zDim);
    zs.forEach((v, i) => z.set(v, i * zDim));
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = { [inputName]: new ort.Tensor('float32', z, [zs.length, zDim]) };
    if (cDim > 0) {
      const c = new Float32Array(zs.length * cDim);
      zs.forEach((_, i) => (c[i * cDim + (classes?.[i] ?? 0)] = 1));
      feeds.c = new ort.Tensor('float32', c, [zs.length, cDim]);
    }
    const out = await session.run(feeds);
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
    cDim,
    fromSeeds: (seeds) => map(seeds.map((s) => zFromSeed(s, zDim))),
    fromZ: (zs) => map(zs),
    fromClasses: (classes, seed) => {
      const bad = classes.find((k) => !Number.isInteger(k) || k < 0 || k >= cDim);
      if (bad !== undefined) throw new UserError(cDim === 0 ? `${file}: classes need a class-conditional model; this one has none` : `class ${bad} is not a class of this model (0..${cDim - 1})`);
      const z = zFromSeed(seed, zDim);
      return map(classes.map(() => z), classes);
    },
    async classMeans() {
      // Few samples per class for many classes, so a 1000-class model still loads in seconds.
      const samples = Math.max(16, Math.min(256, Math.floor(8192 / Math.max(1, cDim))));
      const rs = new NumpyRandomState(CLASS_MEAN_SEED);
      const zs = Array.from({ length: samples }, () => Float32Array.from(rs.randn(zDim)));
      const out: Float32Array[] = [];
      for (let k = 0; k < cDim; k++) {
        const ws = await map(zs, zs.map(() => k));
        const mean = new Float64Array(wDim);
        for (const w of ws) for (let i = 0; i < wDim; i++) mean[i]! += w[i]!;
        out.push(Float32Array.from(mean, (v) => v / samples));
      }
      return out;
    },
    directions: () => readDirections(modelDir, wDim),
    close: () => session.release(),
  };
}
