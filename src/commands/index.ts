import type { Command } from 'commander';

/**
 * Every subcommand is a module with `register(program)`. Add one import and one entry per command;
 * keep the list alphabetical so parallel additions do not collide.
 */
interface CommandModule {
  register(program: Command): void;
}

const modules: CommandModule[] = [];

export function registerCommands(program: Command): void {
  for (const m of modules) m.register(program);
}
