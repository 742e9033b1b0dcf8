/**
 * The latent directions file stored with a model (`directions.json`, written by `latentvj directions`): GANSpace
 * and SeFa unit vectors in W, each with its σ (the spread of sampled W along it), and the one way a step
 * along them is taken: w += amount·σ·v on chosen W+ rows. `generate --direction`, the mapper's `direction.<k>`
 * targets and the /latents page read it from here.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors.js';

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
