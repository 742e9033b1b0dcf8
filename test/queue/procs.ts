/** Child processes of the CLI for the queue tests, and the tiny model they render with. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomStyleGan2Model } from '../../src/generator/randomModel.js';
import { buildModelFiles } from '../../src/generator/convert.js';
import { tmp } from '../render/helpers.js';
import { startRedis, type TestRedis } from './redis.js';

export async function tinyModel(dir: string, seed: number): Promise<string> {
  const model = join(dir, `tiny-${seed}`);
  await buildModelFiles(randomStyleGan2Model({ seed, resolution: 32, channelBase: 256, channelMax: 32, zDim: 32, wDim: 32, mappingLayers: 2, wAvgSamples: 64 }), model, {
    noiseBank: 2,
    maskRegions: 2,
    maskSize: 8,
    imageOutput: false,
    bendLayers: ['b8.conv1', 'b16.conv1'],
  });
  return model;
}

export interface Proc {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stderr line matching `re` (or null if the process ends first). */
  line(re: RegExp): Promise<RegExpMatchArray | null>;
}

export function cli(args: string[]): Proc {
  const child = spawn(process.execPath, ['bin/latentvj.js', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const waiters: Array<{ re: RegExp; resolve: (m: RegExpMatchArray | null) => void }> = [];
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
    for (const w of [...waiters]) {
      const m = err.match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, signal) => {
      for (const w of waiters.splice(0)) w.resolve(null);
      res({ code, signal });
    }),
  );
  return {
    child,
    stderr: () => err,
    exited,
    line: (re) => {
      const m = err.match(re);
      return m ? Promise.resolve(m) : new Promise((resolve) => waiters.push({ re, resolve }));
    },
  };
}


export interface Farm {
  /** The test's temporary folder. */
  dir: string;
  /** An empty folder in it, for --shared. */
  shared: string;
  redis: TestRedis;
  /** A CLI child (as `cli`) that is stopped at the end if it still runs. */
  cli(args: string[]): Proc;
}

/**
 * One queued-render test's parts: a temporary folder with an empty `shared/`, a real redis-server, and the CLI
 * children started through `farm.cli`. At the end, children still running are woken (SIGCONT: a test may have
 * frozen one) and stopped (SIGTERM), then Redis and the folder go.
 */
export async function withFarm(run: (farm: Farm) => Promise<void>): Promise<void> {
  const t = tmp();
  const redis = await startRedis();
  const procs: Proc[] = [];
  try {
    const shared = join(t.dir, 'shared');
    mkdirSync(shared);
    await run({
      dir: t.dir,
      shared,
      redis,
      cli: (args) => {
        const p = cli(args);
        procs.push(p);
        return p;
      },
    });
  } finally {
    for (const p of procs) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
      p.child.kill('SIGCONT');
      p.child.kill('SIGTERM');
    }
    await Promise.all(procs.map((p) => p.exited));
    await redis.stop();
    t.done();
  }
}
