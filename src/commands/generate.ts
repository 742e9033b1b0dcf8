/**
 * `latentvj generate --model <dir> (--seed LIST | --z | --w | --ws) --out image.png`: pictures from a converted
 * model on the CPU, one per latent, with every per-frame control the engine has (truncation, directions, noise
 * strength and mask, bends, rewrites). Seeds mean NVIDIA's seeds (numpy RandomState(seed).randn(z_dim)), so
 * `--seed 7` paints what upstream's generate.py paints for seed 7. Several seeds go through the network in
 * batches in one process.
 */
import type { Command } from 'commander';
import { rename, rm, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { UserError } from '../errors.js';
import { logger } from '../log.js';
import { encodeNpy } from '../contracts/npy.js';
import { encodePng } from '../contracts/png.js';
import type { NoiseMode } from '../generator/graph/inputs.js';
import { NEUTRAL_CONTROLS, parseMaskShape, type PictureControls } from '../generator/controls.js';
import { parseDirectionStep } from '../generator/directions.js';
import { OfflineModel } from '../generator/offline.js';
import { makePictures, type Picture } from '../generator/pictures.js';
import { intFlag, modelFlag, numFlag, optionalIntFlag, seedsFlag } from './options.js';
import type { Manifest } from '../contracts/model.js';

export interface GenerateOptions {
  model: string;
  z?: string;
  w?: string;
  ws?: string;
  seed?: number;
  seeds?: number[];
  classIndex?: number;
  truncation: number;
  noise: NoiseMode;
  noiseSeed: number;
  controls?: Partial<PictureControls>;
  directions?: string[];
  directionLayers?: [number, number] | null;
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

/** Every picture of a request. */
export async function generatePictures(o: GenerateOptions): Promise<{ manifest: Manifest; pictures: Picture[] }> {
  const model = await OfflineModel.open(o.model);
  try {
    const seeds = o.seeds ?? (o.seed !== undefined ? [o.seed] : undefined);
    const pictures = await makePictures(model, {
      seeds,
      z: o.z,
      w: o.w,
      ws: o.ws,
      classIndex: o.classIndex,
      truncation: o.truncation,
      directions: (o.directions ?? []).map((d) => parseDirectionStep(d, o.directionLayers ?? null)),
      controls: { ...NEUTRAL_CONTROLS, ...o.controls, noise: o.noise, noiseSeed: o.noiseSeed },
    });
    return { manifest: model.manifest, pictures };
  } finally {
    await model.close();
  }
}

/** The first picture of a request (the single-latent case). */
export async function generateImage(o: GenerateOptions): Promise<GenerateResult> {
  const { manifest, pictures } = await generatePictures(o);
  const p = pictures[0]!;
  return { manifest, image: p.image, rgba: p.rgba, ws: p.ws };
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

/** The file for picture `label` of several: `{}` in the name is replaced, else `-label` goes before the extension. */
export function outName(out: string, label: string, several: boolean): string {
  if (out.includes('{}')) return out.replaceAll('{}', label);
  if (!several) return out;
  const ext = extname(out);
  return `${out.slice(0, out.length - ext.length)}-${label}${ext}`;
}

interface GenerateFlags {
  model: string;
  z?: string;
  w?: string;
  ws?: string;
  seed?: string;
  class?: string;
  truncation: string;
  noise: string;
  noiseSeed?: string;
  noiseStrength?: string;
  noiseMask?: string;
  bendZoom?: string;
  bendRotate?: string;
  bendTx?: string;
  bendTy?: string;
  bendMirror?: string;
  bendLayers?: string;
  rewrite?: string;
  direction?: string[];
  directionLayers?: string;
  out: string;
  outNpy?: string;
}

/** Any finite number (controls have no natural bounds; the model checks what it can). */
const num = (flag: string, v: string): number => numFlag(flag, v, -1e9, 1e9);
const int = (flag: string, v: string, max = 2 ** 32 - 1): number => intFlag(flag, v, 0, max);

/** `a-b` or `a` (inclusive row range). */
function rowRange(flag: string, v: string): [number, number] {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(v);
  if (!m) throw new UserError(`${flag}: '${v}' is not a row or a range a-b`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

/** The controls the flags ask for (pure parsing; the model checks them when the feeds are made). */
export function controlsFromFlags(f: GenerateFlags): Partial<PictureControls> {
  const c: Partial<PictureControls> = {};
  if (f.noiseStrength !== undefined) c.noiseStrength = num('--noise-strength', f.noiseStrength);
  if (f.noiseMask !== undefined) c.noiseMask = parseMaskShape(f.noiseMask);
  const bendGiven = [f.bendZoom, f.bendRotate, f.bendTx, f.bendTy, f.bendMirror].some((v) => v !== undefined);
  if (bendGiven || f.bendLayers !== undefined) {
    const mirror = f.bendMirror ?? '';
    if (!/^(|x|y|xy|yx|none)$/.test(mirror)) throw new UserError(`--bend-mirror: '${mirror}' is not x, y or xy`);
    c.bend = {
      zoom: f.bendZoom !== undefined ? num('--bend-zoom', f.bendZoom) : 1,
      rotateTurns: f.bendRotate !== undefined ? num('--bend-rotate', f.bendRotate) / 360 : 0,
      tx: f.bendTx !== undefined ? num('--bend-tx', f.bendTx) : 0,
      ty: f.bendTy !== undefined ? num('--bend-ty', f.bendTy) : 0,
      mirrorX: mirror.includes('x'),
      mirrorY: mirror.includes('y'),
      layers: f.bendLayers === undefined || f.bendLayers === 'all' ? null : f.bendLayers.split(',').map((s) => int('--bend-layers', s.trim(), 1023)),
    };
    if (c.bend.zoom <= 0) throw new UserError(`--bend-zoom: ${c.bend.zoom} must be > 0 (2 magnifies twice)`);
  }
  if (f.rewrite !== undefined) {
    // `0.4` (every rewritable layer), or `0:0.4,2:1` (layer:strength).
    const m = new Map<number, number>();
    if (/^\s*[-+]?[\d.]+(e[-+]?\d+)?\s*$/i.test(f.rewrite)) c.rewriteAll = num('--rewrite', f.rewrite);
    else {
      for (const part of f.rewrite.split(',')) {
        const [l, s] = part.split(':');
        if (l === undefined || s === undefined) throw new UserError(`--rewrite: '${part}' is not layer:strength (or one strength for every layer)`);
        m.set(int('--rewrite', l.trim(), 1023), num('--rewrite', s));
      }
    }
    c.rewrite = m;
  }
  return c;
}

export function register(program: Command): void {
  program
    .command('generate')
    .description('paint pictures with a converted model (CPU): one per seed or latent, with any per-frame control')
    .requiredOption('--model <dir>', "model directory written by latentvj convert, or 'default' (built if missing)")
    .option('--seed <list>', "seeds as NVIDIA's generate.py means them (numpy RandomState(seed).randn): 7, 1,2,3 or 100-163")
    .option('--z <file>', 'z latents .npy/.npz/.json, [N, zDim] or [zDim]')
    .option('--w <file>', 'w latents, [N, wDim] or [wDim] (used on every layer)')
    .option('--ws <file>', 'W+ latents, [N, numWs, wDim] or [numWs, wDim] (e.g. projected_w.npz)')
    .option('--class <k>', 'class of a conditional model (c_dim > 0)')
    .option('--truncation <psi>', 'truncation ψ toward w_avg (1 = none)', '1')
    .option('--direction <[method.]k:amount>', 'step along direction k by amount σ (ganspace by default, or sefa.k), before truncation as in the show; repeatable', (v: string, acc: string[] = []) => [...acc, v])
    .option('--direction-layers <a-b>', 'W+ rows the directions move (default all)')
    .option('--noise <mode>', 'const (the checkpoint noise), zero, or random', 'const')
    .option('--noise-seed <N>', 'seed of --noise random (default: the clock)')
    .option('--noise-strength <s>', 'multiply every noise layer by s')
    .option('--noise-mask <shape>', 'noise only in: left, right, top, bottom, circle[:x,y,r], or a PNG (luma)')
    .option('--bend-zoom <z>', 'bend: zoom the feature maps (2 magnifies twice)')
    .option('--bend-rotate <deg>', 'bend: rotate, degrees counter-clockwise')
    .option('--bend-tx <t>', 'bend: move right by t feature-map widths')
    .option('--bend-ty <t>', 'bend: move down by t feature-map heights')
    .option('--bend-mirror <x|y|xy>', 'bend: mirror')
    .option('--bend-layers <list>', "which bend layers (indices, default all): see the model's manifest")
    .option('--rewrite <s>', 'rewrite strength s on every rewritable layer, or layer:strength,…')
    .requiredOption('--out <png>', "picture to write (PNG); with several, '{}' in the name is the seed/index, else -seed0007 is added")
    .option('--out-npy <file>', 'also write the raw float image [3, H, W] before clamping (named like --out)')
    .action(async (flags: GenerateFlags) => {
      const log = logger('generate');
      const t0 = performance.now();
      const truncation = num('--truncation', flags.truncation);
      if (!['const', 'zero', 'random'].includes(flags.noise)) throw new UserError(`--noise: '${flags.noise}' is not one of const, zero, random`);
      const seeds = flags.seed !== undefined ? seedsFlag('--seed', flags.seed) : undefined;
      const controls = controlsFromFlags(flags);
      const model = await modelFlag(flags.model);
      const { manifest, pictures } = await generatePictures({
        model,
        z: flags.z,
        w: flags.w,
        ws: flags.ws,
        seeds,
        classIndex: optionalIntFlag('--class', flags.class, 0, 1e6),
        truncation,
        noise: flags.noise as NoiseMode,
        noiseSeed: flags.noiseSeed !== undefined ? int('--noise-seed', flags.noiseSeed) : Date.now() >>> 0,
        controls,
        directions: flags.direction,
        directionLayers: flags.directionLayers !== undefined ? rowRange('--direction-layers', flags.directionLayers) : null,
      });
      const { width: W, height: H } = manifest;
      const several = pictures.length > 1;
      for (const p of pictures) {
        const file = outName(flags.out, p.label, several);
        await writeAtomically(file, encodePng(p.rgba, W, H));
        if (flags.outNpy) {
          if (p.image.length === 0) throw new UserError(`${flags.model}: this model was converted with --no-image, so there is no raw image for --out-npy`);
          await writeAtomically(outName(flags.outNpy, p.label, several), encodeNpy({ shape: [3, H, W], data: p.image }));
        }
      }
      const first = outName(flags.out, pictures[0]!.label, several);
      log.info(`${several ? `${pictures.length} pictures (${first} …)` : first}: ${W}×${H} in ${Math.round(performance.now() - t0)} ms`);
    });
}
