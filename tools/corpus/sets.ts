/**
 * The kept-apart evaluation sets by the command-line flag that picks one in the evaluation and diagnosis tools
 * (tools/eval-analysis.ts, tools/corpus/*Diag.ts); without a flag they read the corpus.
 */
import { CORPUS, type CorpusSet } from './corpus.js';
import type { Playback } from './playback.js';
import { HOLDOUT } from './holdout.js';
import { HOLDOUT2 } from './holdout2.js';
import { HOLDOUT3 } from './holdout3.js';
import { HOLDOUT4 } from './holdout4.js';
import { HOLDOUT5 } from './holdout5.js';

export const HOLDOUT_SETS = {
  '--holdout': HOLDOUT,
  '--holdout2': HOLDOUT2,
  '--holdout3': HOLDOUT3,
  '--holdout4': HOLDOUT4,
  '--holdout5': HOLDOUT5,
} as const satisfies Record<string, CorpusSet>;

/** The kept-apart set whose flag the arguments hold (the first, in the order above), or null. */
export function holdoutOfArgs(args: readonly string[]): CorpusSet | null {
  const flag = (Object.keys(HOLDOUT_SETS) as Array<keyof typeof HOLDOUT_SETS>).find((f) => args.includes(f));
  return flag ? HOLDOUT_SETS[flag] : null;
}

/**
 * The sample rate `--rate <Hz>` asks the corpus tables to resample to (corpus.ts atRate); undefined without it. The
 * error names the value when it is not a whole number of hertz from 8000 to 192000.
 */
export function rateOfArgs(args: readonly string[]): number | undefined {
  const at = args.indexOf('--rate');
  if (at < 0) return undefined;
  const v = args[at + 1];
  const hz = Number(v);
  if (v === undefined || !/^\d+$/.test(v) || hz < 8000 || hz > 192000) throw new Error(`--rate: "${v ?? ''}" is not a sample rate (a whole number of Hz from 8000 to 192000)`);
  return hz;
}

/**
 * The level `--gain <dB>` asks the corpus tables to play the files at (corpus.ts atGain), 0 without it. The error names
 * the value when it is not a number of dB from −60 to 0 (the renders peak at −1 dBFS: more would clip).
 */
export function gainOfArgs(args: readonly string[]): number {
  const at = args.indexOf('--gain');
  if (at < 0) return 0;
  const v = args[at + 1];
  const db = Number(v);
  if (v === undefined || !/^-?\d+(\.\d+)?$/.test(v) || db < -60 || db > 0) {
    throw new Error(`--gain: "${v ?? ''}" is not a gain (dB from -60 to 0)`);
  }
  return db;
}

/**
 * The limiter's gain reduction `--limit <dB>` asks the corpus tables for (corpus.ts atLimit), 0 without it. The error
 * names the value when it is not a number of dB from 0 to 24.
 */
export function limitOfArgs(args: readonly string[]): number {
  const at = args.indexOf('--limit');
  if (at < 0) return 0;
  const v = args[at + 1];
  const db = Number(v);
  if (v === undefined || !/^\d+(\.\d+)?$/.test(v) || db > 24) throw new Error(`--limit: "${v ?? ''}" is not a gain reduction (dB from 0 to 24)`);
  return db;
}

/** The flags that take a value (the argument after one is no song name). */
const VALUE_FLAGS = ['--rate', '--limit', '--gain', '--song'];

/** The song substring among the arguments: the first that is neither a flag nor a flag's value. */
export function songOfArgs(args: readonly string[]): string | undefined {
  return args.find((a, i) => !a.startsWith('--') && !VALUE_FLAGS.includes(args[i - 1] ?? ''));
}

/** How the arguments ask the tables to play the files (`--rate`, `--limit`, `--gain`). */
export function playbackOfArgs(args: readonly string[]): Playback {
  return { rateHz: rateOfArgs(args), limitDb: limitOfArgs(args), gainDb: gainOfArgs(args) };
}

/** The set the arguments name, the corpus when they name none. */
export function setOfArgs(args: readonly string[]): CorpusSet {
  return holdoutOfArgs(args) ?? CORPUS;
}
