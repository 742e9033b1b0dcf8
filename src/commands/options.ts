/**
 * Flag parsing every command shares, so a bad value reads the same everywhere: `--flag value: expected …`.
 */
import { UserError } from '../errors.js';
import { ensureDefaultModel, resolveModelDir } from '../generator/defaultModel.js';
import { parseSeedList } from '../contracts/seeds.js';
import { PACKAGE_ROOT } from '../paths.js';

/** Options every subcommand understands (declared on the root program in src/cli.ts). */
export interface GlobalOptions {
  verbose?: boolean;
  quiet?: boolean;
  config?: string;
}

/** Execution providers a rendering command takes with `--ep`. */
export const EPS = ['auto', 'cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type EpName = (typeof EPS)[number];

/** A numeric flag in [lo, hi] (an integer when asked), or a UserError naming the flag, the value and the range. */
export function numFlag(flag: string, v: string, lo: number, hi: number, integer = false): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < lo || n > hi || (integer && !Number.isInteger(n))) {
    throw new UserError(`${flag} ${v}: expected ${integer ? 'an integer' : 'a number'} from ${lo} to ${hi}`);
  }
  return n;
}

/** An integer flag in [lo, hi]. */
export function intFlag(flag: string, v: string, lo: number, hi: number): number {
  return numFlag(flag, v, lo, hi, true);
}

/** An optional integer flag: undefined when not given. */
export function optionalIntFlag(flag: string, v: string | undefined, lo: number, hi: number): number | undefined {
  return v === undefined ? undefined : intFlag(flag, v, lo, hi);
}

/** `--ep`: one of EPS. */
export function epFlag(v: string): EpName {
  const ep = EPS.find((e) => e === v);
  if (!ep) throw new UserError(`--ep ${v}: expected one of ${EPS.join(', ')}`);
  return ep;
}

/** NVIDIA-style seeds (`100-163`, `1,2,3`), at most `max` of them. */
export function seedsFlag(flag: string, v: string, max?: number): number[] {
  try {
    return parseSeedList(v, max);
  } catch (e) {
    throw new UserError(`${flag}: ${(e as Error).message}`);
  }
}

/** `--model`: a model directory, or 'default' (models/default, built first when missing or outdated). */
export async function modelFlag(v: string): Promise<string> {
  const dir = resolveModelDir(v, PACKAGE_ROOT);
  if (v === 'default') await ensureDefaultModel(dir);
  return dir;
}
