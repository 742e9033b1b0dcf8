/**
 * Checkpoint → model directory: generator.onnx, mapping.onnx and manifest.json, written atomically (each file
 * goes to a temporary name first; all renames happen only after every file was written, so an error leaves
 * nothing half-written behind).
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Manifest, StyleGan2Model } from './types.js';
import { resolveGraphOptions, type ConvertOptions } from './graph/options.js';
import { buildGeneratorGraph } from './graph/synthesis.js';
import { buildMappingGraph } from './graph/mapping.js';
import { GENERATOR_FILE, MANIFEST_FILE, MAPPING_FILE, makeManifest } from './graph/manifest.js';
import { SeededNormal } from './randomModel.js';

export type { ConvertOptions } from './graph/options.js';

/** Writes files so that either all appear under their final names or none does. */
export async function writeFilesAtomically(dir: string, files: { name: string; bytes: Uint8Array | string }[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tag = `.tmp-${process.pid}-${Date.now()}`;
  const temps = files.map((f) => join(dir, f.name + tag));
  try {
    for (let i = 0; i < files.length; i++) await writeFile(temps[i]!, files[i]!.bytes);
    for (let i = 0; i < files.length; i++) await rename(temps[i]!, join(dir, files[i]!.name));
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw e;
  }
}

/** w_avg for a checkpoint that has none: the mean of the mapping over seeded z samples. */
export async function estimateWAvg(mappingBytes: Uint8Array, zDim: number, wDim: number, samples = 4096, cDim = 0): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(mappingBytes);
  try {
    const rng = new SeededNormal(0x5eed);
    const z = new Float32Array(samples * zDim);
    for (let i = 0; i < z.length; i++) z[i] = rng.normal();
    const feeds: Record<string, ort.Tensor> = { z: new ort.Tensor('float32', z, [samples, zDim]) };
    if (cDim > 0) {
      // Every class in turn: the average over the whole conditional distribution.
      const c = new Float32Array(samples * cDim);
      for (let s = 0; s < samples; s++) c[s * cDim + (s % cDim)] = 1;
      feeds.c = new ort.Tensor('float32', c, [samples, cDim]);
    }
    const out = await session.run(feeds);
    const w = out.w!.data as Float32Array;
    const acc = new Float64Array(wDim);
    for (let s = 0; s < samples; s++) for (let d = 0; d < wDim; d++) acc[d]! += w[s * wDim + d]!;
    return Float32Array.from(acc, (v) => v / samples);
  } finally {
    await session.release();
  }
}

export interface BuiltModel {
  manifest: Manifest;
  generator: Uint8Array;
  mapping: Uint8Array;
}

/** Builds both graphs and the manifest in memory. */
export async function buildModel(model: StyleGan2Model, options: ConvertOptions = {}): Promise<BuiltModel> {
  const opts = resolveGraphOptions(model, options);
  const gen = buildGeneratorGraph(model, opts);
  const mapping = buildMappingGraph(model, opts.opset);
  const wAvg = model.wAvg ?? (await estimateWAvg(mapping, model.zDim, model.wDim, 4096, model.cDim ?? 0));
  return { manifest: makeManifest(model, gen, opts, wAvg, model.wAvg === null), generator: gen.bytes, mapping };
}

export async function buildModelFiles(model: StyleGan2Model, outDir: string, options: ConvertOptions = {}): Promise<Manifest> {
  const built = await buildModel(model, options);
  await writeFilesAtomically(outDir, [
    { name: GENERATOR_FILE, bytes: built.generator },
    { name: MAPPING_FILE, bytes: built.mapping },
    { name: MANIFEST_FILE, bytes: JSON.stringify(built.manifest, null, 1) + '\n' },
  ]);
  return built.manifest;
}
