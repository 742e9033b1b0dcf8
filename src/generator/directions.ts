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
import { z } from 'zod';
import { UserError } from '../errors.js';
import { writeFilesAtomically } from './convert.js';
import { covariance, topEigen } from './linalg.js';
import { floatInitializers } from './onnx/initializers.js';
import type { OfflineModel } from './offline.js';
import { NumpyRandomState } from '../contracts/seeds.js';

export const DIRECTIONS_FILE = 'directions.json';
export const DIRECTION_METHODS = ['ganspace', 'sefa'] as const;
export type DirectionMethod = (typeof DIRECTION_METHODS)[number];

export interface DirectionSet {
  /** Unit vectors [wDim], most important first. */
  components: Float32Array[];
  /** Spread of W along each component (1σ). */
  sigmas: number[];
}

export interface ModelDirections {
  wDim: number;
  ganspace: DirectionSet;
  sefa: DirectionSet;
  /** How they were computed (samples, seed), for the record. */
  info: Record<string, unknown>;
}

/** A step along one direction: amount in σ, on W+ rows [fromRow, toRow] (inclusive; null = all rows). */
export interface DirectionStep {
  method: DirectionMethod;
  index: number;
  amount: number;
  rows: [number, number] | null;
}

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

const setSchema = z.object({ components: z.array(z.array(z.number())), sigmas: z.array(z.number()) });
const fileSchema = z.object({ version: z.literal(1), wDim: z.number().int().positive(), info: z.record(z.string(), z.unknown()), ganspace: setSchema, sefa: setSchema });

/** Reads `<dir>/directions.json`; a missing file says how to make it. */
export async function readDirections(dir: string, wDim: number): Promise<ModelDirections> {
  const file = join(dir, DIRECTIONS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${file}: this model has no directions yet; compute them with 'latentvj directions --model ${dir}'`);
    throw new UserError(`${file}: cannot read (${code ?? String(e)})`);
  }
  let parsed;
  try {
    parsed = fileSchema.safeParse(JSON.parse(text));
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!parsed.success) throw new UserError(`${file}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  const j = parsed.data;
  if (j.wDim !== wDim) throw new UserError(`${file}: directions of wDim ${j.wDim}, the model's W has ${wDim}; compute them again`);
  for (const m of DIRECTION_METHODS) {
    const s = j[m];
    if (s.components.some((c) => c.length !== wDim || c.some((v) => !Number.isFinite(v))) || s.sigmas.length !== s.components.length) {
      throw new UserError(`${file}: ${m}: components must be ${s.sigmas.length} finite vectors of ${wDim}`);
    }
  }
  const set = (s: { components: number[][]; sigmas: number[] }): DirectionSet => ({ components: s.components.map((c) => Float32Array.from(c)), sigmas: s.sigmas });
  return { wDim, ganspace: set(j.ganspace), sefa: set(j.sefa), info: j.info };
}

/** Adds each step (amount·σ·v) to the W+ latents [n × numWs × wDim] in place. */
export function applyDirections(ws: Float32Array, numWs: number, wDim: number, d: ModelDirections, steps: readonly DirectionStep[]): void {
  const per = numWs * wDim;
  for (const s of steps) {
    const set = d[s.method];
    const v = set.components[s.index];
    if (!v) throw new UserError(`--direction ${s.method}.${s.index}: the model has ${set.components.length} ${s.method} directions (0..${set.components.length - 1})`);
    const scale = s.amount * set.sigmas[s.index]!;
    const [r0, r1] = s.rows ?? [0, numWs - 1];
    if (r0 < 0 || r1 >= numWs || r1 < r0) throw new UserError(`--direction-layers ${r0}-${r1}: W+ rows are 0..${numWs - 1}`);
    for (let b = 0; b < ws.length; b += per) {
      for (let r = r0; r <= r1; r++) {
        const o = b + r * wDim;
        for (let i = 0; i < wDim; i++) ws[o + i] = ws[o + i]! + scale * v[i]!;
      }
    }
  }
}

/** `--direction [ganspace.|sefa.]k:amount` (amount in σ), e.g. `0:3`, `sefa.2:-1.5`. */
export function parseDirectionStep(text: string, rows: [number, number] | null): DirectionStep {
  const m = /^\s*(?:(ganspace|sefa)[.:/])?(\d+)\s*:\s*([-+]?\d*\.?\d+(?:e[-+]?\d+)?)\s*$/i.exec(text);
  if (!m) throw new UserError(`--direction: '${text}' is not [ganspace.|sefa.]k:amount (e.g. 0:3 or sefa.2:-1.5)`);
  return { method: (m[1]?.toLowerCase() ?? 'ganspace') as DirectionMethod, index: Number(m[2]), amount: Number(m[3]), rows };
}
