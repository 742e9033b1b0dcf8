/**
 * Opens the output (and monitor) in Electron windows when electron is installed; otherwise, or with
 * --no-window, says which URL to open in any browser. Electron is an optional dependency whose binary is
 * downloaded on install, so it is looked up at run time (require.resolve), never imported.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { logger } from '../../log.js';
import type { ShellOptions } from './shell.js';

const log = logger('output');

export const SHELL_ARG = '--latentvj-shell';

/** Where electron's binary is, or why it cannot be used. */
export type ElectronLookup = { binary: string } | { missing: string };

export interface LookupDeps {
  /** require.resolve + require of the 'electron' package (its main export is the binary's path). */
  resolve(id: string): string;
  load(id: string): unknown;
  exists(path: string): boolean;
}

const defaultLookupDeps = (): LookupDeps => {
  const req = createRequire(import.meta.url);
  return { resolve: (id) => req.resolve(id), load: (id) => req(id) as unknown, exists: existsSync };
};

export function findElectron(deps: LookupDeps = defaultLookupDeps()): ElectronLookup {
  try {
    deps.resolve('electron');
  } catch {
    return { missing: 'electron is not installed (it is an optional dependency: `npm install electron` where it can be downloaded)' };
  }
  let binary: unknown;
  try {
    binary = deps.load('electron');
  } catch (e) {
    return { missing: `electron is installed but unusable: ${(e as Error).message.split('\n')[0]}` };
  }
  if (typeof binary !== 'string' || !deps.exists(binary)) {
    return { missing: `electron's binary ${String(binary)} is missing (its download failed at install; reinstall electron)` };
  }
  return { binary };
}

export interface WindowOptions {
  /** Base URL of the engine, e.g. http://127.0.0.1:7878 */
  baseUrl: string;
  /** Open windows at all (false = --no-window). */
  window: boolean;
  display: number | string;
  fit: 'fit' | 'fill' | 'stretch';
  monitorWindow: boolean;
  fullscreen?: boolean;
}

export interface WindowsHandle {
  mode: 'electron' | 'browser';
  outputUrl: string;
  monitorUrl: string;
  child: ChildProcess | null;
  close(): Promise<void>;
}

export interface LaunchDeps {
  lookup(): ElectronLookup;
  spawn(binary: string, args: string[]): ChildProcess;
  /** Compiled main.js of the shell. */
  mainScript: string;
}

const defaultLaunchDeps = (): LaunchDeps => ({
  lookup: () => findElectron(),
  spawn: (binary, args) => {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE; // would make the binary a plain Node and ignore the windows
    return spawn(binary, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  },
  mainScript: fileURLToPath(new URL('./main.js', import.meta.url)),
});

/** `--display 1` or `--display EPSON`: digits are an index, anything else part of a name. */
export function parseDisplayOption(value: string): number | string {
  return /^\s*\d+\s*$/.test(value) ? Number(value) : value;
}

export function openWindows(opts: WindowOptions, deps: LaunchDeps = defaultLaunchDeps()): WindowsHandle {
  const base = opts.baseUrl.replace(/\/$/, '');
  const outputUrl = `${base}/output?fit=${opts.fit}`;
  const monitorUrl = `${base}/monitor`;
  const browser = (why: string | null): WindowsHandle => {
    if (why) log.info(why);
    log.info(`output: open ${outputUrl} in a browser (fullscreen: F11; on a projector, drag the window there first)`);
    log.info(`monitor: ${monitorUrl}`);
    return { mode: 'browser', outputUrl, monitorUrl, child: null, close: async () => undefined };
  };
  if (!opts.window) return browser(null);
  const found = deps.lookup();
  if ('missing' in found) return browser(`no window: ${found.missing}`);

  const shell: ShellOptions = {
    outputUrl,
    monitorUrl: opts.monitorWindow ? monitorUrl : null,
    display: opts.display,
    fullscreen: opts.fullscreen ?? true,
    reloadMs: 1000,
  };
  const child = deps.spawn(found.binary, [deps.mainScript, `${SHELL_ARG}=${JSON.stringify(shell)}`]);
  let exited = false;
  child.on('error', (e) => {
    exited = true;
    log.warn(`electron could not start (${e.message}); open ${outputUrl} in a browser`);
  });
  child.on('exit', (code, signal) => {
    exited = true;
    log.info(`output window closed (${signal ?? `exit ${code}`}); the engine keeps running: ${outputUrl}`);
  });
  log.info(`output window: electron on display ${JSON.stringify(opts.display)} → ${outputUrl}`);
  return {
    mode: 'electron',
    outputUrl,
    monitorUrl,
    child,
    close: async () => {
      if (exited || child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        // A shell that ignores SIGTERM (hung renderer, a debugger) must not hang the engine's stop: kill it after 3 s.
        const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(hard);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}
