/**
 * Latent directions, stored with the model (`directions.json`), walked in units of σ:
 * - GANSpace (Härkönen et al. 2020): principal components of W sampled through the mapping network; σ is the
 *   square root of each component's variance.
 * - SeFa (Shen & Zhou 2021): closed-form factorisation of the style weights. With A the affine maps of every
 *   modulated layer stacked (styles = A·w), the directions that move the styles most are the leading
 *   eigenvectors of AᵀA. σ is the spread of the sampled W along each (from the same samples), so "3σ" means
 *   the same size of step for both methods.
 * A step adds amount·σ·v to the chosen W+ rows (all rows by default).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { writeFilesAtomically } from './convert.js';
import { covariance, topEigen } from './linalg.js';
import { floatInitializers } from './onnx/initializers.js';
import type { OfflineModel } from './offline.js';
import { NumpyRandomState } from '../contracts/seeds.js';
import { DIRECTIONS_FILE, type DirectionSet, type ModelDirections } from '../contracts/directions.js';

export * from '../contracts/directions.js';

export interface DirectionOptions {
  count: number;
  samples: number;
  /** Seed of the sampled z (numpy RandomState draws, like every seed here). */
  seed: number;
}

/** W sampled through the mapping network: z from one RandomState stream, n × zDim (unconditional: c ignored). */
async function sampleW(model: OfflineModel, n: number, seed: number): Promise<Float32Array> {
  const { zDim, cDim } = { zDim: model.manifest.zDim, cDim: model.cDim };
  const z = Float32Array.from(new NumpyRandomState(seed).randn(n * zDim));
  let labels: Float32Array | undefined;
  if (cDim > 0) {
    // Conditional models: the classes in turn, so the directions span all of them.
    labels = new Float32Array(n * cDim);
    for (let i = 0; i < n; i++) labels[i * cDim + (i % cDim)] = 1;
  }
  return model.mapZ(z, labels);
}

/** The affine (style) matrices of every modulated layer, read from the converted generator graph. */
async function styleWeights(model: OfflineModel): Promise<{ name: string; a: Float32Array; cols: number }[]> {
  const bytes = await readFile(join(model.dir, model.manifest.files.generator));
  const wDim = model.manifest.wDim;
  const found = floatInitializers(bytes, (n) => n.endsWith('.affine'));
  const out = [...found].filter(([, t]) => t.dims.length === 2 && t.dims[0] === wDim).map(([name, t]) => ({ name, a: t.data, cols: t.dims[1]! }));
  if (out.length === 0) throw new UserError(`${join(model.dir, model.manifest.files.generator)}: no style (affine) weights found; convert the checkpoint again`);
  return out;
}

function toSet(vectors: Float64Array[], sigmas: number[]): DirectionSet {
  return { components: vectors.map((v) => Float32Array.from(v)), sigmas };
}

/** Computes GANSpace and SeFa directions for a converted model. */
export async function computeDirections(model: OfflineModel, o: DirectionOptions): Promise<ModelDirections> {
  const { wDim } = model.manifest;
  const k = Math.min(o.count, wDim);
  const w = await sampleW(model, o.samples, o.seed);
  const { cov } = covariance(w, o.samples, wDim);
  const pca = topEigen(cov, wDim, k);
  const ganspace = toSet(pca.vectors, pca.values.map((v) => Math.sqrt(Math.max(0, v))));

  // SeFa: AᵀA = Σ_layers a·aᵀ with a [wDim × C] as the graph stores it (styles = w·a).
  const ata = new Float64Array(wDim * wDim);
  const layers = await styleWeights(model);
  for (const { a, cols } of layers) {
    for (let i = 0; i < wDim; i++) {
      for (let j = i; j < wDim; j++) {
        let s = 0;
        for (let c = 0; c < cols; c++) s += a[i * cols + c]! * a[j * cols + c]!;
        ata[i * wDim + j]! += s;
      }
    }
  }
  for (let i = 0; i < wDim; i++) for (let j = 0; j < i; j++) ata[i * wDim + j] = ata[j * wDim + i]!;
  const sefaEig = topEigen(ata, wDim, k);
  const sefaSigmas = sefaEig.vectors.map((v) => {
    let q = 0;
    for (let i = 0; i < wDim; i++) {
      let row = 0;
      for (let j = 0; j < wDim; j++) row += cov[i * wDim + j]! * v[j]!;
      q += v[i]! * row;
    }
    return Math.sqrt(Math.max(0, q));
  });
  return {
    wDim,
    ganspace,
    sefa: toSet(sefaEig.vectors, sefaSigmas),
    info: { samples: o.samples, seed: o.seed, count: k, sefaLayers: layers.map((l) => l.name.replace(/\.affine$/, '')), ganspaceVariance: pca.values, sefaEigenvalues: sefaEig.values },
  };
}

function setJson(s: DirectionSet): { components: number[][]; sigmas: number[] } {
  return { components: s.components.map((c) => Array.from(c)), sigmas: s.sigmas };
}

export async function writeDirections(dir: string, d: ModelDirections): Promise<string> {
  const json = { version: 1, wDim: d.wDim, info: d.info, ganspace: setJson(d.ganspace), sefa: setJson(d.sefa) };
  await writeFilesAtomically(dir, [{ name: DIRECTIONS_FILE, bytes: JSON.stringify(json) + '\n' }]);
  return join(dir, DIRECTIONS_FILE);
}

