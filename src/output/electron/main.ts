/**
 * Electron's main-process entry (run as `electron dist/src/output/electron/main.js --latentvj-shell=<json>`
 * by launcher.ts). Everything it does is in shell.ts, which tests drive with a fake Electron API.
 */
import type { ElectronApi } from './api.js';
import { runShell, type ShellOptions } from './shell.js';
import { SHELL_ARG } from './launcher.js';

const log = {
  info: (m: string) => process.stderr.write(`latentvj shell: ${m}\n`),
  warn: (m: string) => process.stderr.write(`latentvj shell: warning: ${m}\n`),
};

export function readShellOptions(argv: string[]): ShellOptions {
  const arg = argv.find((a) => a.startsWith(`${SHELL_ARG}=`));
  if (!arg) throw new Error(`missing ${SHELL_ARG}=<json>; start the shell with \`latentvj live\``);
  return JSON.parse(arg.slice(SHELL_ARG.length + 1)) as ShellOptions;
}

async function main(): Promise<void> {
  const options = readShellOptions(process.argv);
  // A variable module name: electron's types are not installed (optional dependency), api.ts declares them.
  const name = 'electron';
  const mod = (await import(name)) as Partial<ElectronApi> & { default?: ElectronApi };
  const electron: ElectronApi = mod.app ? (mod as ElectronApi) : mod.default!;
  await runShell(electron, options, log);
}

// Only when Electron runs this file (process.versions.electron), never when a test imports it.
if ((process.versions as Record<string, string | undefined>).electron) {
  main().catch((e: unknown) => {
    log.warn(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
