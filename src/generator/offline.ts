/**
 * A converted model opened once for offline work (generate, seeds, directions, banks from z): the mapping and
 * generator sessions on the CPU, run over batches. The graphs' batch axis is dynamic, so many latents go
 * through one run; batches are cut into chunks so memory stays bounded for large sheets. Per-frame controls
 * (noise, bends, rewrites) have no batch axis: one setting applies to every picture of a batch.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { UserError } from '../errors.js';
import { readManifest } from './graph/manifest.js';
import { feedList, type GeneratorFeeds } from './graph/inputs.js';
import type { Manifest } from './types.js';

/** Pictures per generator run: large enough to amortise per-run costs, small enough for 1024² models. */
const DEFAULT_CHUNK = 8;

export interface OfflinePictures {
  /** One [H × W × 4] RGBA picture per latent. */
  rgba: Uint8Array[];
  /** One raw float image [3 × H × W] per latent (empty arrays when the model has no image output). */
  image: Float32Array[];
}

async function openSession(dir: string, file: string, threads: number): Promise<ort.InferenceSession> {
  const path = join(dir, file);
  try {
    return await ort.InferenceSession.create(path, { executionProviders: ['cpu'], ...(threads > 0 ? { intraOpNumThreads: threads } : {}) });
  } catch (e) {
    throw new UserError(`${path}: onnxruntime cannot load this model (${(e as Error).message.split('\n')[0]}); convert the checkpoint again`);
  }
}

export class OfflineModel {
  private mappingSession: ort.InferenceSession | null = null;
  private generatorSession: ort.InferenceSession | null = null;

  private constructor(
    readonly dir: string,
    readonly manifest: Manifest,
    private readonly threads: number,
  ) {}

  /** `threads`: CPU threads per run (0, the default: onnxruntime's choice, every core). */
  static async open(dir: string, opts: { threads?: number } = {}): Promise<OfflineModel> {
    return new OfflineModel(dir, await readManifest(dir), opts.threads ?? 0);
  }

  /** Labels the mapping network takes (0 for an unconditional model). */
  get cDim(): number {
    return this.manifest.cDim ?? 0;
  }

  private async mapping(): Promise<ort.InferenceSession> {
    this.mappingSession ??= await openSession(this.dir, this.manifest.files.mapping, this.threads);
    return this.mappingSession;
  }

  private async generator(): Promise<ort.InferenceSession> {
    this.generatorSession ??= await openSession(this.dir, this.manifest.files.generator, this.threads);
    return this.generatorSession;
  }

  /**
   * w [n × wDim] for n latents z [n × zDim]; `labels` [n × cDim] (one-hot classes) for a conditional model.
   * Runs in chunks of 1024 so a directions sample of 10⁵ latents does not hold one huge tensor.
   */
  async mapZ(z: Float32Array, labels?: Float32Array): Promise<Float32Array> {
    const { zDim, wDim } = this.manifest;
    const cDim = this.cDim;
    const n = z.length / zDim;
    if (!Number.isInteger(n)) throw new Error(`mapZ: ${z.length} values are not whole z vectors of ${zDim}`);
    if (cDim > 0 && (!labels || labels.length !== n * cDim)) {
      throw new UserError(`${this.dir}: a class-conditional model (${cDim} classes); give a class (--class k)`);
    }
    const session = await this.mapping();
    const out = new Float32Array(n * wDim);
    const chunk = 1024;
    for (let s = 0; s < n; s += chunk) {
      const m = Math.min(chunk, n - s);
      const feeds: Record<string, ort.Tensor> = { z: new ort.Tensor('float32', z.slice(s * zDim, (s + m) * zDim), [m, zDim]) };
      if (cDim > 0) feeds.c = new ort.Tensor('float32', labels!.slice(s * cDim, (s + m) * cDim), [m, cDim]);
      const r = await session.run(feeds);
      out.set((r.w!.data as Float32Array).subarray(0, m * wDim), s * wDim);
    }
    return out;
  }

  /**
   * Pictures for n W+ latents [n × numWs × wDim] under one setting of the per-frame inputs (`feeds.ws` is
   * ignored). `onChunk` reports progress.
   */
  async render(ws: Float32Array, feeds: GeneratorFeeds, chunk = DEFAULT_CHUNK, onChunk?: (done: number, total: number) => void): Promise<OfflinePictures> {
    const m = this.manifest;
    const per = m.numWs * m.wDim;
    const n = ws.length / per;
    if (!Number.isInteger(n)) throw new Error(`render: ${ws.length} values are not whole W+ latents of ${m.numWs}×${m.wDim}`);
    const session = await this.generator();
    const px = m.width * m.height;
    const out: OfflinePictures = { rgba: [], image: [] };
    for (let s = 0; s < n; s += chunk) {
      const b = Math.min(chunk, n - s);
      const feedsHere: Record<string, ort.Tensor> = {};
      for (const f of feedList(m, { ...feeds, ws: ws.subarray(s * per, (s + b) * per) })) feedsHere[f.name] = new ort.Tensor('float32', f.data, f.dims);
      const r = await session.run(feedsHere);
      const rgba = r.rgba!.data as Uint8Array;
      const image = r.image ? (r.image.data as Float32Array) : null;
      for (let i = 0; i < b; i++) {
        out.rgba.push(rgba.slice(i * px * 4, (i + 1) * px * 4));
        out.image.push(image ? image.slice(i * 3 * px, (i + 1) * 3 * px) : new Float32Array(0));
      }
      onChunk?.(s + b, n);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.mappingSession?.release();
    await this.generatorSession?.release();
    this.mappingSession = null;
    this.generatorSession = null;
  }
}
