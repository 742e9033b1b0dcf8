/**
 * The default model: a StyleGAN2 with seeded random weights, built on the user's machine (nothing to download,
 * nothing large in git) and rebuilt only when its recipe or the graph builder changes.
 *
 * Sizing: channels min(2048/res, 128) at 256×256 (128 channels up to 16², then 64, 32, 16, 8 at 256²), 8
 * mapping layers of 512. Measured with `latentvj bench generator` on 2 shared CPU cores: ≈ 15 ms per frame (see
 * the report in models/README.md), so ≥ 30 fps with room for the rest of the engine.
 *
 * Look: an untrained StyleGAN2 with NVIDIA's initialisation paints smooth blobs (its learned noise strength is
 * 0). Noise at 8²–64² turns them into organic, painterly structure; none above 128² keeps pixel grain away; a
 * style spread of 1.5 makes W changes move colour and layout strongly; ToRGB at 0.4 keeps most pixels inside
 * [−1, 1] so colours grade instead of clipping. The seed was picked among 1–8 for a balanced average colour
 * (116/146/126) and the widest spread of colour across latents (an untrained net otherwise tints everything).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConvertOptions } from './convert.js';
import type { RandomModelOptions } from './randomModel.js';
import type { Manifest } from './types.js';

/** Bump when the recipe changes in a way the key below cannot see. */
const RECIPE_VERSION = 1;

const NOISE_BY_RES: Readonly<Record<number, number>> = { 8: 0.3, 16: 0.3, 32: 0.2, 64: 0.08, 128: 0.02 };

export const DEFAULT_MODEL_OPTIONS: RandomModelOptions = {
  seed: 7,
  resolution: 256,
  channelBase: 2048,
  channelMax: 128,
  zDim: 512,
  wDim: 512,
  mappingLayers: 8,
  look: {
    styleStd: 1.5,
    noiseStrength: (res) => NOISE_BY_RES[res] ?? 0,
    rgbGain: () => 0.4,
    rgbBiasStd: 0,
    constStd: 1,
  },
};

/**
 * Graph options of the default model: bends after the last conv of the 8²…64² blocks (the converter's default
 * also bends 128², but on the CPU that one GridSample over 16×128² costs more than the layer's convolution:
 * measured 43 fps with it, 56–61 fps without); rewrites 8²–32², noise bank K = 4; no float image output.
 */
export const DEFAULT_GRAPH_OPTIONS: ConvertOptions = {
  imageOutput: false,
  bendLayers: ['b8.conv1', 'b16.conv1', 'b32.conv1', 'b64.conv1'],
};

const STAMP_FILE = 'default-model.json';

/** `model: default` (the config's default) → `<root>/models/default`; anything else is a path. */
export function resolveModelDir(model: string, root: string): string {
  return model === 'default' ? join(root, 'models', 'default') : resolve(model);
}

/**
 * What the built files depend on: the recipe, the graph options, and the compiled builder code (so a change in
 * the graph builder rebuilds the model on the next install or start).
 */
export function defaultModelKey(): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ RECIPE_VERSION, DEFAULT_GRAPH_OPTIONS, o: describeOptions(DEFAULT_MODEL_OPTIONS) }));
  const here = dirname(fileURLToPath(import.meta.url));
  const code = [join(here, 'randomModel.js'), join(here, '..', 'contracts', 'random.js'), join(here, 'convert.js'), join(here, 'runtime', 'fp16.js')];
  const graphDir = join(here, 'graph');
  if (existsSync(graphDir)) for (const f of readdirSync(graphDir).sort()) if (f.endsWith('.js')) code.push(join(graphDir, f));
  for (const f of code) if (existsSync(f)) h.update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

function describeOptions(o: RandomModelOptions): unknown {
  const per: Record<number, [number, number]> = {};
  for (let r = 4; r <= o.resolution; r *= 2) per[r] = [o.look?.noiseStrength?.(r) ?? 0, o.look?.rgbGain?.(r) ?? 1];
  return { ...o, look: { ...o.look, per } };
}

/** True when `dir` holds the default model built from the current recipe and builder. */
export function defaultModelUpToDate(dir: string, key = defaultModelKey()): boolean {
  const stamp = join(dir, STAMP_FILE);
  if (!existsSync(stamp) || !existsSync(join(dir, 'manifest.json')) || !existsSync(join(dir, 'generator.onnx'))) return false;
  try {
    return (JSON.parse(readFileSync(stamp, 'utf8')) as { key?: string }).key === key;
  } catch {
    return false;
  }
}

/** Builds the default model into `dir` (deterministic: same recipe, same bytes). */
export async function buildDefaultModel(dir: string): Promise<Manifest> {
  // The graph builder and protobuf writer load only when a build is due: every command start checks the stamp.
  const [{ buildModelFiles }, { randomStyleGan2Model }, { writeFp16Variant }] = await Promise.all([
    import('./convert.js'),
    import('./randomModel.js'),
    import('./runtime/fp16.js'),
  ]);
  const key = defaultModelKey();
  const model = randomStyleGan2Model(DEFAULT_MODEL_OPTIONS);
  await buildModelFiles(model, dir, DEFAULT_GRAPH_OPTIONS);
  // The fp16 variant, preferred by GPU providers (rgba within 2/255 of fp32; see test/generator/runtime-fp16).
  await writeFp16Variant(dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  // The stamp goes last: an interrupted build is rebuilt next time.
  await writeFile(join(dir, STAMP_FILE), JSON.stringify({ key, recipe: RECIPE_VERSION, builtAt: new Date().toISOString() }, null, 1) + '\n');
  return manifest;
}

/** Builds the default model when it is missing or outdated; returns whether it built. */
export async function ensureDefaultModel(dir: string): Promise<boolean> {
  const key = defaultModelKey();
  if (defaultModelUpToDate(dir, key)) return false;
  await buildDefaultModel(dir);
  return true;
}
