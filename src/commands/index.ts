import type { Command } from 'commander';
import * as analyze from './analyze.js';
import * as bench from './bench.js';
import * as convert from './convert.js';
import * as devices from './devices.js';
import * as directions from './directions.js';
import * as generate from './generate.js';
import * as latents from './latents.js';
import * as learn from './learn.js';
import * as live from './live.js';
import * as meter from './meter.js';
import * as render from './render.js';
import * as seeds from './seeds.js';
import * as trace from './trace.js';
import * as worker from './worker.js';

/**
 * Every subcommand is a module with `register(program)`. Add one import and one entry per command;
 * keep the list alphabetical so parallel additions do not collide.
 */
interface CommandModule {
  register(program: Command): void;
}

const modules: CommandModule[] = [analyze, bench, convert, devices, directions, generate, latents, learn, live, meter, render, seeds, trace, worker];

export function registerCommands(program: Command): void {
  for (const m of modules) m.register(program);
}
