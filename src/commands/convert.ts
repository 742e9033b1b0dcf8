/** `latentvj convert <checkpoint> -o <dir>`: a StyleGAN2 checkpoint → generator.onnx, mapping.onnx, manifest.json. */
import type { Command } from 'commander';
import { basename } from 'node:path';
import { readCheckpoint } from '../generator/checkpoint/index.js';
import { buildModelFiles } from '../generator/convert.js';
import { writeFp16Variant } from '../generator/runtime/fp16.js';
import {
  defaultBendLayers,
  defaultRewriteLayers,
  parseAspect,
  parseLayerList,
  type BendPadding,
  type ConvertOptions,
  type WidenMode,
} from '../generator/graph/options.js';
import { UserError } from '../errors.js';
import { logger } from '../log.js';

interface ConvertFlags {
  out: string;
  bendLayers: string;
  rewriteLayers: string;
  noiseBank: string;
  noiseInputs?: boolean;
  maskRegions: string;
  maskSize: string;
  aspect?: string;
  widen: string;
  bendPadding: string;
  rewriteSigma: string;
  rewriteSeed: string;
  noiseSeed: string;
  image: boolean;
  fp16: boolean;
}

function intFlag(flag: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`${flag}: '${v}' is not an integer in ${min}..${max}`);
  return n;
}

function numFlag(flag: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new UserError(`${flag}: '${v}' is not a number ≥ ${min}`);
  return n;
}

function oneOf<T extends string>(flag: string, v: string, legal: readonly T[]): T {
  if (!(legal as readonly string[]).includes(v)) throw new UserError(`${flag}: '${v}' is not one of ${legal.join(', ')}`);
  return v as T;
}

export function register(program: Command): void {
  program
    .command('convert')
    .description('convert a StyleGAN2 checkpoint (rosinality .pt or NVIDIA .pkl) into a latentvj model directory')
    .argument('<checkpoint>', 'checkpoint file')
    .requiredOption('-o, --out <dir>', 'model directory to write (generator.onnx, mapping.onnx, manifest.json)')
    .option('--bend-layers <list>', 'convs followed by a bend: all, none, default, or names/indices (b8.conv1,b16.conv1)', 'default')
    .option('--rewrite-layers <list>', 'convs with a fadeable weight rewrite: all, none, default, or names/indices', 'default')
    .option('--noise-bank <K>', 'noise fields per noise layer (entry 0 = the checkpoint noise)', '4')
    .option('--noise-inputs', 'take full noise maps as inputs instead of banks (low resolutions only)')
    .option('--mask-regions <R>', 'regions of the spatial noise mask', '4')
    .option('--mask-size <M>', 'side of the spatial noise mask', '16')
    .option('--aspect <W:H>', "picture aspect; the constant input is widened to match (e.g. 2:1 paints 4×8 → 64×128); default: the checkpoint's own (its constant's shape)")
    .option('--widen <mode>', 'how the constant input and noise are widened: mirror or tile', 'mirror')
    .option('--bend-padding <mode>', 'what a bend shows outside the feature map: reflection, border or zeros', 'reflection')
    .option('--rewrite-sigma <s>', 'spread σ of the rewrite factor R ~ N(−1, σ)', '0.5')
    .option('--rewrite-seed <N>', 'seed of the rewrite perturbations', '1')
    .option('--noise-seed <N>', 'seed of the random noise-bank entries', '1')
    .option('--no-image', 'omit the raw float image output (rgba only)')
    .option('--no-fp16', 'skip the fp16 generator (written by default beside the fp32 one; GPU providers prefer it)')
    .action(async (checkpoint: string, flags: ConvertFlags) => {
      const log = logger('convert');
      const t0 = performance.now();
      const model = await readCheckpoint(checkpoint);
      const options: ConvertOptions = {
        bendLayers: parseLayerList(flags.bendLayers, model.convs, '--bend-layers', defaultBendLayers(model.convs)),
        rewriteLayers: parseLayerList(flags.rewriteLayers, model.convs, '--rewrite-layers', defaultRewriteLayers(model.convs)),
        noiseBank: intFlag('--noise-bank', flags.noiseBank, 1, 64),
        noiseInputs: flags.noiseInputs === true,
        maskRegions: intFlag('--mask-regions', flags.maskRegions, 1, 64),
        maskSize: intFlag('--mask-size', flags.maskSize, 1, 256),
        aspect: flags.aspect !== undefined ? parseAspect(flags.aspect) : undefined,
        widen: oneOf<WidenMode>('--widen', flags.widen, ['mirror', 'tile']),
        bendPadding: oneOf<BendPadding>('--bend-padding', flags.bendPadding, ['reflection', 'border', 'zeros']),
        rewriteSigma: numFlag('--rewrite-sigma', flags.rewriteSigma, 0),
        rewriteSeed: intFlag('--rewrite-seed', flags.rewriteSeed, 0, 2 ** 32 - 1),
        noiseSeed: intFlag('--noise-seed', flags.noiseSeed, 0, 2 ** 32 - 1),
        imageOutput: flags.image,
      };
      let manifest;
      try {
        manifest = await buildModelFiles(model, flags.out, options);
        // Half-precision weights and arithmetic: GPU providers run it faster; the CPU keeps fp32.
        if (flags.fp16) manifest.files.generatorFp16 = basename(await writeFp16Variant(flags.out));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw new UserError(`${flags.out}: cannot write the model (${code})`);
        throw e;
      }
      log.info(
        `${checkpoint} (${model.source.format}) → ${flags.out}: ${manifest.width}×${manifest.height}, ${manifest.numWs} ws, ` +
          `${manifest.numNoise} noise layers × ${manifest.noiseBank}, ${manifest.numBend} bends, ${manifest.numRewrite} rewrites` +
          `${manifest.files.generatorFp16 ? ', fp16 graph beside' : ''} ` +
          `in ${Math.round(performance.now() - t0)} ms`,
      );
    });
}
