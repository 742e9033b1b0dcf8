/**
 * `latentvj generate --model <dir> (--z | --w | --ws | --seed) --out image.png`: one picture from a converted
 * model, run directly with onnxruntime-node on the CPU. The mapping graph turns z into w; truncation
 * (w_avg + ψ·(w − w_avg), all rows) happens here; the generator runs with neutral per-frame inputs.
 */
import type { Command } from 'commander';
import { ensureDefaultModel, resolveModelDir } from '../generator/defaultModel.js';
import { PACKAGE_ROOT } from '../paths.js';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { UserError } from '../errors.js';
import { logger } from '../log.js';
import { readNpy, encodeNpy } from '../generator/npy.js';
import { encodePng } from '../generator/png.js';
import { readManifest } from '../generator/graph/manifest.js';
import { broadcastW, feedList, neutralFeeds, truncateRows, type NoiseMode } from '../generator/graph/inputs.js';
import { zFromSeed } from '../generator/seeds.js';
import type { Manifest, Tensor } from '../generator/types.js';

export interface GenerateOptions {
  model: string;
  z?: string;
  w?: string;
  ws?: string;
  seed?: number;
  truncation: number;
  noise: NoiseMode;
  noiseSeed: number;
  out?: string;
  outNpy?: string;
}

export interface GenerateResult {
  manifest: Manifest;
  /** Raw float image [3, H, W] before clamping. */
  image: Float32Array;
  rgba: Uint8Array;
  ws: Float32Array;
}

async function session(dir: string, file: string): Promise<ort.InferenceSession> {
  const path = join(dir, file);
  try {
    return await ort.InferenceSession.create(path, { executionProviders: ['cpu'] });
  } catch (e) {
    throw new UserError(`${path}: onnxruntime cannot load this model (${(e as Error).message.split('\n')[0]}); convert the checkpoint again`);
  }
}

function expectShape(file: string, t: Tensor, allowed: number[][], what: string): void {
  if (!allowed.some((s) => s.length === t.shape.length && s.every((d, i) => d === t.shape[i]))) {
    throw new UserError(`${file}: shape [${t.shape.join(', ')}], expected ${what} ${allowed.map((s) => `[${s.join(', ')}]`).join(' or ')}`);
  }
  // A NaN or ±Infinity latent paints a black (or garbage) picture with no error; say where it is instead.
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i]!;
    if (!Number.isFinite(v)) throw new UserError(`${file}: value ${i} is ${v}; ${what} latents must be finite numbers`);
  }
}

/** W+ latents [numWs × wDim] from exactly one of --z, --w, --ws, --seed, truncated toward w_avg by ψ. */
async function latents(o: GenerateOptions, m: Manifest): Promise<Float32Array> {
  const given = [o.z, o.w, o.ws, o.seed].filter((v) => v !== undefined).length;
  if (given !== 1) throw new UserError('give exactly one of --z, --w, --ws or --seed');
  let ws: Float32Array;
  if (o.ws !== undefined) {
    const t = await readNpy(o.ws);
    expectShape(o.ws, t, [[m.numWs, m.wDim], [1, m.numWs, m.wDim]], 'ws');
    ws = Float32Array.from(t.data);
  } else if (o.w !== undefined) {
    const t = await readNpy(o.w);
    expectShape(o.w, t, [[m.wDim], [1, m.wDim]], 'w');
    ws = broadcastW(t.data, m.numWs);
  } else {
    let z: Float32Array;
    if (o.z !== undefined) {
      const t = await readNpy(o.z);
      expectShape(o.z, t, [[1, m.zDim], [m.zDim]], 'z');
      z = t.data;
    } else {
      z = zFromSeed(o.seed!, m.zDim);
    }
    const mapping = await session(o.model, m.files.mapping);
    try {
      const out = await mapping.run({ z: new ort.Tensor('float32', z, [1, m.zDim]) });
      ws = broadcastW(Float32Array.from(out.w!.data as Float32Array), m.numWs);
    } finally {
      await mapping.release();
    }
  }
  return truncateRows(ws, m.wAvg, o.truncation);
}

export async function generateImage(o: GenerateOptions): Promise<GenerateResult> {
  const m = await readManifest(o.model);
  const ws = await latents(o, m);
  const gen = await session(o.model, m.files.generator);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const f of feedList(m, neutralFeeds(m, ws, o.noise, o.noiseSeed))) feeds[f.name] = new ort.Tensor('float32', f.data, f.dims);
    const out = await gen.run(feeds);
    const rgba = out.rgba!.data as Uint8Array;
    const image = out.image ? (out.image.data as Float32Array) : new Float32Array(0);
    return { manifest: m, image, rgba, ws };
  } finally {
    await gen.release();
  }
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new UserError(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

interface GenerateFlags {
  model: string;
  z?: string;
  w?: string;
  ws?: string;
  seed?: string;
  truncation: string;
  noise: string;
  noiseSeed?: string;
  out: string;
  outNpy?: string;
}

export function register(program: Command): void {
  program
    .command('generate')
    .description('paint one picture with a converted model (CPU)')
    .requiredOption('--model <dir>', "model directory written by latentvj convert, or 'default' (built if missing)")
    .option('--z <file>', 'z latent .npy, [1, zDim] or [zDim]')
    .option('--w <file>', 'w latent .npy, [wDim] (used on every layer)')
    .option('--ws <file>', 'W+ latents .npy, [numWs, wDim]')
    .option('--seed <N>', 'z drawn from this seed')
    .option('--truncation <psi>', 'truncation ψ toward w_avg (1 = none)', '1')
    .option('--noise <mode>', 'const (the checkpoint noise), zero, or random', 'const')
    .option('--noise-seed <N>', 'seed of --noise random (default: the clock)')
    .requiredOption('--out <png>', 'picture to write (PNG)')
    .option('--out-npy <file>', 'also write the raw float image [3, H, W] before clamping')
    .action(async (flags: GenerateFlags) => {
      const log = logger('generate');
      const t0 = performance.now();
      const truncation = Number(flags.truncation);
      if (!Number.isFinite(truncation)) throw new UserError(`--truncation: '${flags.truncation}' is not a number`);
      if (!['const', 'zero', 'random'].includes(flags.noise)) throw new UserError(`--noise: '${flags.noise}' is not one of const, zero, random`);
      const int = (flag: string, v: string): number => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1) throw new UserError(`${flag}: '${v}' is not an integer in 0..${2 ** 32 - 1}`);
        return n;
      };
      const model = resolveModelDir(flags.model, PACKAGE_ROOT);
      if (flags.model === 'default') await ensureDefaultModel(model);
      const r = await generateImage({
        model,
        z: flags.z,
        w: flags.w,
        ws: flags.ws,
        seed: flags.seed !== undefined ? int('--seed', flags.seed) : undefined,
        truncation,
        noise: flags.noise as NoiseMode,
        noiseSeed: flags.noiseSeed !== undefined ? int('--noise-seed', flags.noiseSeed) : Date.now() >>> 0,
      });
      const { width: W, height: H } = r.manifest;
      await writeAtomically(flags.out, encodePng(r.rgba.subarray(0, W * H * 4), W, H));
      if (flags.outNpy) {
        if (r.image.length === 0) throw new UserError(`${flags.model}: this model was converted with --no-image, so there is no raw image for --out-npy`);
        await writeAtomically(flags.outNpy, encodeNpy({ shape: [3, H, W], data: r.image.subarray(0, 3 * H * W) }));
      }
      log.info(`${flags.out}: ${W}×${H} in ${Math.round(performance.now() - t0)} ms`);
    });
}
