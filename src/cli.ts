#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { setLogLevel } from './log.js';
import { isUserError, describeError } from './errors.js';

import type { GlobalOptions } from './commands/options.js';

export type { GlobalOptions } from './commands/options.js';

/** The program with every command, or with only the one `args` names (see commands/index.ts). */
export async function buildProgram(args: readonly string[] = []): Promise<Command> {
  const program = new Command();
  program
    .name('latentvj')
    .description('Real-time audio-reactive StyleGAN2 engine for live visual performance')
    .option('-v, --verbose', 'log debug lines (timings, every fallback)')
    .option('-q, --quiet', 'log warnings and errors only')
    .option('-c, --config <file>', 'config file (YAML or JSON) with the same settings as the flags')
    .showHelpAfterError('(run with --help for usage)')
    // Set before the commands are added, so they inherit it: help and usage errors of a subcommand then return
    // through main() as well instead of ending the process from inside commander.
    .exitOverride()
    .hook('preAction', (cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      setLogLevel(g.verbose ? 'debug' : g.quiet ? 'warn' : 'info');
    });
  await registerCommands(program, args);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv.slice(2));
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander already printed the message (help, version, or a usage error).
      return e.exitCode;
    }
    if (isUserError(e)) {
      process.stderr.write(`latentvj: ${e.message}\n`);
      return 2;
    }
    const verbose = process.argv.includes('--verbose') || process.argv.includes('-v');
    process.stderr.write(`latentvj: internal error: ${describeError(e)}\n`);
    if (verbose && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
    else process.stderr.write('latentvj: run again with --verbose for the stack trace, and please report it\n');
    return 1;
  }
}
