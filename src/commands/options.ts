import { UserError } from '../errors.js';

/** Options every subcommand understands (declared on the root program in src/cli.ts). */
export interface GlobalOptions {
  verbose?: boolean;
  quiet?: boolean;
  config?: string;
}

/** Execution providers a rendering command takes with `--ep`. */
export const EPS = ['auto', 'cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;

/** A numeric flag in [lo, hi] (an integer when asked), or a UserError naming the flag, the value and the range. */
export function numFlag(flag: string, v: string, lo: number, hi: number, integer = false): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < lo || n > hi || (integer && !Number.isInteger(n))) {
    throw new UserError(`${flag} ${v}: expected ${integer ? 'an integer' : 'a number'} from ${lo} to ${hi}`);
  }
  return n;
}
