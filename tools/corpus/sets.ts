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
 * The value after `flag` as a number, undefined without the flag; an error naming the value (and `what` it should be)
 * when it does not match `pattern` or `inRange` rejects it.
 */
function numberOfArgs(
  args: readonly string[],
  flag: string,
  pattern: RegExp,
  inRange: (x: number) => boolean,
  what: string,
): number | undefined {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const v = args[at + 1];
  const x = Number(v);
  if (v === undefined || !pattern.test(v) || !inRange(x)) throw new Error(`${flag}: "${v ?? ''}" is not ${what}`);
  return x;
}

/** The sample rate `--rate <Hz>` asks the corpus tables to resample to (playback.ts atRate); undefined without it. */
export function rateOfArgs(args: readonly string[]): number | undefined {
  const what = 'a sample rate (a whole number of Hz from 8000 to 192000)';
  return numberOfArgs(args, '--rate', /^\d+$/, (hz) => hz >= 8000 && hz <= 192000, what);
}

/**
 * The level `--gain <dB>` asks the corpus tables to play the files at (playback.ts atGain), 0 without it: from −60 to
 * 0 dB (the renders peak at −1 dBFS: more would clip).
 */
export function gainOfArgs(args: readonly string[]): number {
  const what = 'a gain (dB from -60 to 0)';
  return numberOfArgs(args, '--gain', /^-?\d+(\.\d+)?$/, (db) => db >= -60 && db <= 0, what) ?? 0;
}

/** The limiter's gain reduction `--limit <dB>` asks the corpus tables for (playback.ts atLimit), 0 without it. */
export function limitOfArgs(args: readonly string[]): number {
  const what = 'a gain reduction (dB from 0 to 24)';
  return numberOfArgs(args, '--limit', /^\d+(\.\d+)?$/, (db) => db <= 24, what) ?? 0;
}

/** The mains hum's level `--hum <dBFS>` asks the corpus tables to add (playback.ts atHum), undefined without it. */
export function humOfArgs(args: readonly string[]): number | undefined {
  const what = 'a hum level (dBFS RMS from -90 to -20)';
  return numberOfArgs(args, '--hum', /^-\d+(\.\d+)?$/, (db) => db >= -90 && db <= -20, what);
}

/** The mains frequency `--mains <Hz>` asks the hum of (50 or 60), undefined without it. */
export function mainsOfArgs(args: readonly string[]): number | undefined {
  return numberOfArgs(args, '--mains', /^(50|60)$/, () => true, 'a mains frequency (50 or 60 Hz)');
}

/** The time into each song `--restart <s>` asks the analysis to start at (playback.ts Playback); undefined without. */
export function restartOfArgs(args: readonly string[]): number | undefined {
  const what = 'a time into the song (s, over 0 up to 60)';
  return numberOfArgs(args, '--restart', /^\d+(\.\d+)?$/, (s) => s > 0 && s <= 60, what);
}

/** The flags that take a value (the argument after one is no song name). */
const VALUE_FLAGS = ['--rate', '--limit', '--gain', '--hum', '--mains', '--restart', '--song'];

/** The song substring among the arguments: the first that is neither a flag nor a flag's value. */
export function songOfArgs(args: readonly string[]): string | undefined {
  return args.find((a, i) => !a.startsWith('--') && !VALUE_FLAGS.includes(args[i - 1] ?? ''));
}

/**
 * How the arguments ask the tables to play the files (`--rate`, `--limit`, `--gain`, `--hum`, `--mains`) and where
 * the analysis starts (`--restart`).
 */
export function playbackOfArgs(args: readonly string[]): Playback {
  const humDb = humOfArgs(args);
  const mainsHz = mainsOfArgs(args);
  if (mainsHz !== undefined && humDb === undefined) throw new Error('--mains: no --hum <dBFS> to give the mains of');
  const hum = humDb === undefined ? {} : { humDb, mainsHz };
  const restartS = restartOfArgs(args);
  const restart = restartS === undefined ? {} : { restartS };
  return { rateHz: rateOfArgs(args), limitDb: limitOfArgs(args), gainDb: gainOfArgs(args), ...hum, ...restart };
}

/** The set the arguments name, the corpus when they name none. */
export function setOfArgs(args: readonly string[]): CorpusSet {
  return holdoutOfArgs(args) ?? CORPUS;
}
