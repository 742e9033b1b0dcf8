import type { Command } from 'commander';

/**
 * Every subcommand is a module with `register(program)`. Add one entry per command; keep the table alphabetical so
 * parallel additions do not collide.
 *
 * The modules are loaded on demand: all of them together pull in most of the engine and its libraries (a second
 * of CPU), while one run of `latentvj generate` needs a quarter of that. A command line that names a command loads
 * that module alone; anything else (help, an unknown word) loads the whole table so commander can list and suggest.
 */
interface CommandModule {
  register(program: Command): void;
}

export const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  analyze: () => import('./analyze.js'),
  bench: () => import('./bench.js'),
  convert: () => import('./convert.js'),
  devices: () => import('./devices.js'),
  directions: () => import('./directions.js'),
  generate: () => import('./generate.js'),
  latents: () => import('./latents.js'),
  learn: () => import('./learn.js'),
  live: () => import('./live.js'),
  meter: () => import('./meter.js'),
  render: () => import('./render.js'),
  seeds: () => import('./seeds.js'),
  trace: () => import('./trace.js'),
  worker: () => import('./worker.js'),
};

/** Global options that take a value: the word after them is not the command. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['-c', '--config']);

/** The command `args` (argv without node and the script) names, or null when it names none or asks for help. */
export function commandNamed(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return null;
    if (GLOBAL_OPTIONS_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return Object.hasOwn(COMMANDS, a) ? a : null;
  }
  return null;
}

export async function registerCommands(program: Command, args: readonly string[] = []): Promise<void> {
  const named = commandNamed(args);
  const names = named ? [named] : Object.keys(COMMANDS);
  const modules = await Promise.all(names.map((n) => COMMANDS[n]!()));
  for (const m of modules) m.register(program);
}
