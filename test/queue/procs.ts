/** Child processes of the CLI for the queue tests, and the tiny model they render with. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { randomStyleGan2Model } from '../../src/generator/randomModel.js';
import { buildModelFiles } from '../../src/generator/convert.js';

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

