/**
 * Latent studio benchmark (`npm run bench -- latents`): a contact sheet of N seeds from the default model in one
 * process (`latentvj seeds`, batched inference) against N separate `latentvj generate --seed S` runs (process
 * start, model load and one inference each), the way a user without `seeds` would make them. Both are whole
 * CLI processes timed from spawn to exit. N = 8 by default (under a minute on two idle cores);
 * LATENTVJ_BENCH_SEEDS=64 gives the 64-seed figure.
 * Then a figure, not a timing: how much direction 0 (GANSpace) at ±3σ changes the default model's picture of
 * seed 100 (mean absolute pixel difference, 0–255), made twice to show it is reproducible.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cp } from 'node:fs/promises';
import { ensureDefaultModel } from '../src/generator/defaultModel.js';
import { computeDirections, writeDirections } from '../src/generator/directions.js';
import { OfflineModel } from '../src/generator/offline.js';
import { generateImage } from '../src/commands/generate.js';

const root = process.cwd();
const cli = join(root, 'bin', 'latentvj.js');
const n = Number(process.env.LATENTVJ_BENCH_SEEDS ?? 8);
const load = (): string => `load ${loadavg()[0]!.toFixed(2)}`;

function run(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args, '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`latentvj ${args.join(' ')} failed: ${r.stderr}`);
  return performance.now() - t0;
}

await ensureDefaultModel(join(root, 'models', 'default'));
const tmp = await mkdtemp(join(tmpdir(), 'latentvj-bench-seeds-'));
try {
  const first = 100;
  const last = first + n - 1;
  const sheetMs = run(['seeds', '--model', 'default', '--seeds', `${first}-${last}`, '--out', join(tmp, 'sheet.png')]);
  console.log(`sheet of ${n} seeds (${first}-${last}), one process: ${(sheetMs / 1000).toFixed(1)} s (${(sheetMs / n).toFixed(0)} ms per seed) ${load()}`);
  let separateMs = 0;
  for (let s = first; s <= last; s++) separateMs += run(['generate', '--model', 'default', '--seed', String(s), '--out', join(tmp, `s${s}.png`)]);
  console.log(`${n} separate generate runs: ${(separateMs / 1000).toFixed(1)} s (${(separateMs / n).toFixed(0)} ms per seed) ${load()}`);
  console.log(`ratio: the sheet takes ${(sheetMs / separateMs).toFixed(2)}× the time of separate runs (${(separateMs / sheetMs).toFixed(1)}× faster) [target < 1: ${sheetMs < separateMs ? 'ok' : 'MISSED'}]`);

  // Directions on a copy of the default model (models/default stays as built).
  const copy = join(tmp, 'default');
  await cp(join(root, 'models', 'default'), copy, { recursive: true });
  const t0 = performance.now();
  const model = await OfflineModel.open(copy);
  try {
    await writeDirections(copy, await computeDirections(model, { count: 4, samples: 4096, seed: 0 }));
  } finally {
    await model.close();
  }
  const dirMs = performance.now() - t0;
  const base = { model: copy, seed: 100, truncation: 1, noise: 'const' as const, noiseSeed: 1 };
  const mad = (a: Uint8Array, b: Uint8Array): number => {
    let s = 0;
    let n = 0;
    for (let i = 0; i < a.length; i++) if (i % 4 !== 3) (s += Math.abs(a[i]! - b[i]!)), n++;
    return s / n;
  };
  const plain = (await generateImage(base)).rgba;
  const plus = (await generateImage({ ...base, directions: ['0:3'] })).rgba;
  const minus = (await generateImage({ ...base, directions: ['0:-3'] })).rgba;
  const plus2 = (await generateImage({ ...base, directions: ['0:3'] })).rgba;
  console.log(
    `direction 0 (GANSpace, 4096 samples, computed in ${(dirMs / 1000).toFixed(1)} s) on the default model, seed 100: ` +
      `mean abs pixel difference +3σ vs −3σ ${mad(plus, minus).toFixed(1)}, +3σ vs none ${mad(plus, plain).toFixed(1)}, ` +
      `−3σ vs none ${mad(minus, plain).toFixed(1)} (of 255); +3σ made twice: difference ${mad(plus, plus2).toFixed(1)}`,
  );
} finally {
  await rm(tmp, { recursive: true, force: true });
}
