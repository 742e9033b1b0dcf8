/**
 * Builds one of the kit's models on the machine that runs it (nothing large travels): the default model from
 * its recipe, or a full-size StyleGAN2 with seeded random weights and every control compiled in (the converter's
 * default bends, rewrites, noise bank and mask), each with its fp16 variant. Run as a child of bench.ts, one per
 * model, in parallel; prints one JSON line.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { buildModelFiles } from '../../src/generator/convert.js';
import { buildDefaultModel } from '../../src/generator/defaultModel.js';
import { randomStyleGan2Model } from '../../src/generator/randomModel.js';
import { writeFp16Variant } from '../../src/generator/runtime/fp16.js';
import { shortReason } from '../../src/generator/runtime/providers.js';
import { FULL_SIZE, type ModelSpec } from './cases.js';

export interface ModelRecord {
  kind: 'model';
  key: string;
  ok: boolean;
  buildMs?: number;
  /** File sizes in MB. */
  mb?: Record<string, number>;
  error?: string;
}

export async function buildKitModel(spec: ModelSpec, dir: string): Promise<ModelRecord> {
  const t0 = performance.now();
  if (spec.model === 'default') {
    await buildDefaultModel(dir);
  } else {
    // NVIDIA's initialisation with a little noise (an untrained net with zero noise strength skips nothing, but
    // its pictures are flat): the arithmetic is that of a trained network of the same shape.
    const model = randomStyleGan2Model({ ...FULL_SIZE, resolution: spec.size, look: { noiseStrength: () => 0.1 } });
    await buildModelFiles(model, dir, { imageOutput: false });
    await writeFp16Variant(dir);
  }
  const mb: Record<string, number> = {};
  for (const f of ['generator.onnx', 'generator.fp16.onnx']) mb[f] = Math.round(statSync(join(dir, f)).size / 1e5) / 10;
  return { kind: 'model', key: spec.key, ok: true, buildMs: Math.round(performance.now() - t0), mb };
}

if (process.argv[1]?.endsWith('buildModel.js')) {
  const { spec, dir } = JSON.parse(process.argv[2] ?? '{}') as { spec: ModelSpec; dir: string };
  const r = await buildKitModel(spec, dir).catch((e: unknown): ModelRecord => ({ kind: 'model', key: spec.key, ok: false, error: shortReason(e) }));
  process.stdout.write(JSON.stringify(r) + '\n');
}
