/** manifest.json beside a converted model: what the runtime and the mapper need to drive the graph. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../errors.js';
import type { Manifest, StyleGan2Model } from '../types.js';
import type { GraphOptions } from './options.js';
import type { BuiltGenerator } from './synthesis.js';

export const MANIFEST_FILE = 'manifest.json';
export const GENERATOR_FILE = 'generator.onnx';
export const MAPPING_FILE = 'mapping.onnx';

export function makeManifest(model: StyleGan2Model, gen: BuiltGenerator, opts: GraphOptions, wAvg: Float32Array, wAvgEstimated: boolean): Manifest {
  return {
    version: 1,
    width: gen.width,
    height: gen.height,
    numWs: model.numWs,
    wDim: model.wDim,
    zDim: model.zDim,
    ...(model.cDim ? { cDim: model.cDim } : {}),
    layers: gen.layers,
    numNoise: gen.numNoise,
    noiseBank: opts.noiseInputs ? 0 : opts.noiseBank,
    maskRegions: opts.maskRegions,
    maskSize: opts.maskSize,
    numBend: gen.numBend,
    numRewrite: gen.numRewrite,
    wAvg: Array.from(wAvg),
    origin: { file: model.source.file, format: model.source.format, sha256: model.source.sha256 },
    files: { generator: GENERATOR_FILE, mapping: MAPPING_FILE },
    options: {
      opset: opts.opset,
      bendLayers: opts.bendLayers,
      rewriteLayers: opts.rewriteLayers,
      noiseInputs: opts.noiseInputs,
      aspect: `${opts.aspect.width}:${opts.aspect.height}`,
      widen: opts.widen,
      bendPadding: opts.bendPadding,
      rewriteSigma: opts.rewriteSigma,
      rewriteSeed: opts.rewriteSeed,
      noiseSeed: opts.noiseSeed,
      wAvgEstimated,
      resolution: model.resolution,
      inputs: gen.inputNames,
      outputs: gen.outputNames,
      /** Batch is folded into the first axis of the outputs: rgba [batch·H, W, 4], image [batch·3, H, W]. */
      batchLayout: 'rgba [batch*H, W, 4]; image [batch*3, H, W]',
      /** Bend rows map output pixel centres (x, y, 1) in [-1, 1] to sampling positions (GridSample, align_corners 0). */
      bendConvention: 'normalised [-1,1] coords, output -> input, align_corners=0',
    },
  };
}

const layerSchema = z.object({
  name: z.string(),
  resolution: z.number().int().positive(),
  channels: z.number().int().positive(),
  wIndex: z.number().int().min(0),
  noiseIndex: z.number().int().min(-1),
  bendIndex: z.number().int().min(-1),
  rewriteIndex: z.number().int().min(-1),
  height: z.number().int().positive().optional(),
  width: z.number().int().positive().optional(),
});

const manifestSchema = z.object({
  version: z.literal(1),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  numWs: z.number().int().positive(),
  wDim: z.number().int().positive(),
  zDim: z.number().int().positive(),
  cDim: z.number().int().min(0).optional(),
  layers: z.array(layerSchema),
  numNoise: z.number().int().min(0),
  noiseBank: z.number().int().min(0),
  maskRegions: z.number().int().positive(),
  maskSize: z.number().int().positive(),
  numBend: z.number().int().min(0),
  numRewrite: z.number().int().min(0),
  wAvg: z.array(z.number()),
  origin: z.object({ file: z.string(), format: z.string(), sha256: z.string() }),
  files: z.object({ generator: z.string(), mapping: z.string(), generatorFp16: z.string().optional() }),
  options: z.record(z.string(), z.unknown()),
});

/** Reads and validates `<dir>/manifest.json`; errors name the file and the key. */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read the model manifest (${(e as NodeJS.ErrnoException).code ?? String(e)}); is ${dir} a model directory written by 'latentvj convert'?`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new UserError(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const m = r.data as Manifest;
  if (m.wAvg.length !== m.wDim) throw new UserError(`${file}: wAvg has ${m.wAvg.length} values, expected wDim = ${m.wDim}`);
  return m;
}
