/**
 * `latentvj live` in a child process with real sockets, for the end-to-end tests: started on free ports, read
 * line by line until it serves, and stopped by a signal (SIGKILL after a grace period if it hangs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { CLI } from './paths.js';

export interface LiveChild {
  child: ChildProcess;
  /** Every line it wrote to stdout and stderr so far. */
  log: string[];
  /** The HTTP server's base URL (`http://127.0.0.1:<port>`). */
  url: string;
  oscPort: number;
}

/** How long start-up may take on a loaded 2-core machine before the test fails instead of hanging. */
const START_DEADLINE_MS = 90_000;

/** Starts `latentvj live --no-window` on free ports; resolves once it serves and its audio runs. */
export async function startLiveChild(args: string[], env: NodeJS.ProcessEnv = {}): Promise<LiveChild> {
  const child = spawn(process.execPath, [CLI, 'live', '--no-window', '--port', '0', '--osc-port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  let url = '';
  let oscPort = 0;
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`live did not start within ${START_DEADLINE_MS / 1000} s:\n${log.join('\n')}`));
    }, START_DEADLINE_MS);
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        log.push(line);
        const osc = /OSC in on udp:\/\/[\d.]+:(\d+)/.exec(line);
        if (osc) oscPort = Number(osc[1]);
        const m = /serving on (http:\/\/[\d.]+:\d+)/.exec(line);
        if (m) url = m[1]!;
        if (/\[engine\] audio:/.test(line) && url) {
          clearTimeout(deadline);
          resolve();
        }
      }
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(deadline);
      reject(new Error(`live exited early (${code}):\n${log.join('\n')}`));
    });
  });
  return { child, log, url, oscPort };
}

/** Sends `signal` and waits for the exit; SIGKILL after 20 s so a stuck stop fails the test instead of hanging it. */
export async function stopLiveChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit') as Promise<[number | null]>;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code] = await exited;
  clearTimeout(timer);
  return code;
}
