/**
 * Latent studio benchmark (`npm run bench -- latents`): a contact sheet of N seeds from the default model in one
 * process (`latentvj seeds`, batched inference) against N separate `latentvj generate --seed S` runs (process
 * start, model load and one inference each), the way a user without `seeds` would make them. Both are whole
 * CLI processes timed from spawn to exit. N = 16 by default (about a minute on two shared cores);
 * LATENTVJ_BENCH_SEEDS=64 gives the 64-seed figure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDefaultModel } from '../src/generator/defaultModel.js';

const root = process.cwd();
const cli = join(root, 'bin', 'latentvj.js');
const n = Number(process.env.LATENTVJ_BENCH_SEEDS ?? 16);
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
} finally {
  await rm(tmp, { recursive: true, force: true });
}
