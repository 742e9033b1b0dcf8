/**
 * The generator as `render` drives it: every frame, in order, nothing dropped, with frames batched through the
 * graph where that is exact. The live stage (runtime/generator.ts) keeps only the newest params and drops the
 * rest by design, so offline we hold our own onnxruntime session, opened with the same provider fallback.
 *
 * Batching: the graph's batch is dynamic on `ws` only; noise, masks, bends and rewrites are per call. So
 * consecutive frames are batched when every input but W+ is identical (held bends, a still noise field, the
 * default mapping between beats), up to `batch` frames; others run alone. Which frames share a call depends
 * only on the params and on the segment boundaries, so a render is reproducible with the same --batch.
 *
 * The session runs on the main thread, which it blocks while it runs: offline nothing else waits on it (ffmpeg
 * encodes in its own process, fed from a thread of its own, see pipeWorker.ts; SIGINT is handled between runs).
 */
import ort from 'onnxruntime-node';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { UserError } from '../errors.js';
import { logger } from '../log.js';
import { generatorConfigSchema, type GeneratorConfig } from '../generator/config.js';
import { loadModelFiles } from '../generator/runtime/modelFiles.js';
import { neutralParams, paramsMismatch, writeParams, type SlabEntry } from '../generator/runtime/params.js';
import { providerCandidates, type ProviderName } from '../generator/runtime/providers.js';
import { assertReadable, layoutFor, ModelError, openFirstWorking } from '../generator/runtime/session.js';
import type { Fallback, WebGpuVerdict } from '../generator/runtime/protocol.js';
import { webGpuProbe } from '../generator/runtime/webgpuProbe.js';
import { SeededNormal } from '../generator/randomModel.js';
import type { Manifest } from '../generator/types.js';
import type { FrameParams } from '../visual/types.js';

/** onnxruntime session settings: the generator config's defaults (its schema declares them). */
const SESSION = generatorConfigSchema.parse({});

const log = logger('render');

export interface OfflineGeneratorOptions {
  modelDir: string;
  ep: GeneratorConfig['ep'];
  /** Most frames per call (1 = no batching). */
  batch: number;
  threads?: number;
}

/** One frame's graph inputs, written from its params when it was pulled (params objects do not live long). */
export interface FrameInputs {
  frame: number;
  slab: Float32Array;
}

export class OfflineGenerator {
  private constructor(
    readonly manifest: Manifest,
    readonly ep: ProviderName,
    private readonly session: InferenceSession,
    private readonly entries: SlabEntry[],
    private readonly slabLength: number,
    readonly batchSize: number,
    /** Full-size noise inputs (a convert option): fixed seeded noise, as the live worker feeds them. */
    private readonly fixedNoise: Map<string, OrtTensor>,
  ) {
    this.wAvg = manifest.wAvg.length === manifest.wDim ? Float32Array.from(manifest.wAvg) : null;
    this.wsEntry = entries.find((e) => e.name === 'ws') ?? null;
  }

  private readonly wAvg: Float32Array | null;
  private readonly wsEntry: SlabEntry | null;
  private last: Float32Array | null = null;
  /** Frames run, calls made (for the summary and the bench). */
  frames = 0;
  calls = 0;

  static async open(o: OfflineGeneratorOptions): Promise<OfflineGenerator> {
    const files = loadModelFiles(o.modelDir);
    try {
      assertReadable(files.generatorFile);
      const fallbacks: Fallback[] = [];
      const candidates = providerCandidates(o.ep);
      // WebGPU is probed in a child process first, as live does: a driver that crashes while starting ends the
      // probe, not the render.
      const webgpu = candidates.includes('webgpu') ? webGpuProbe().then((p): WebGpuVerdict => ({ ok: p.ok, reason: p.reason })) : null;
      // fp32 always: a render is for quality, and the fp16 variant differs from it by up to 2/255.
      const opened = await openFirstWorking(
        candidates,
        0,
        {
          generatorFile: files.generatorFile,
          generatorFp16File: null,
          manifestFile: files.manifestFile,
          manifest: files.manifest,
          session: { threads: o.threads ?? SESSION.threads, interOpThreads: SESSION.interOpThreads, graphOptimization: SESSION.graphOptimization, spin: SESSION.spin },
          cacheDir: null,
          ...(webgpu ? { webgpu } : {}),
        },
        fallbacks,
      );
      for (const f of fallbacks) log.info(`provider ${f.ep} skipped: ${f.reason}`);
      const layout = layoutFor(opened.session, files.manifest);
      const noise = new Map<string, OrtTensor>();
      const rng = new SeededNormal(1);
      for (const e of layout.entries) if (e.workerFed) noise.set(e.name, new ort.Tensor('float32', rng.fill(new Float32Array(e.length)), e.shape));
      return new OfflineGenerator(files.manifest, opened.ep, opened.session, layout.entries, layout.length, Math.max(1, o.batch), noise);
    } catch (e) {
      if (e instanceof ModelError) throw new UserError(e.message);
      throw e;
    }
  }

  /**
   * A frame's inputs from its params. Params the model cannot take (wrong lengths, NaN) repeat the previous
   * frame's inputs, as live keeps the last good picture; said once per kind of problem.
   */
  inputs(p: FrameParams): FrameInputs {
    const slab = new Float32Array(this.slabLength);
    const bad = paramsMismatch(p, this.entries);
    if (bad) {
      log.limited('warn', 'params', `frame ${p.frame}: ${bad}; the previous frame's picture is repeated`);
      if (this.last) slab.set(this.last);
      else writeParams(slab, this.entries, neutralParams(this.manifest, p.frame), this.wAvg);
    } else writeParams(slab, this.entries, p, this.wAvg);
    this.last = slab;
    return { frame: p.frame, slab };
  }

  /** Pictures (H×W×4 RGBA each) for the frames, in order; consecutive frames share a call where exact. */
  async run(frames: readonly FrameInputs[]): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    let i = 0;
    while (i < frames.length) {
      let n = 1;
      while (n < this.batchSize && i + n < frames.length && this.sameButWs(frames[i]!.slab, frames[i + n]!.slab)) n++;
      out.push(...(await this.call(frames.slice(i, i + n))));
      i += n;
    }
    return out;
  }

  private sameButWs(a: Float32Array, b: Float32Array): boolean {
    for (const e of this.entries) {
      if (e === this.wsEntry || !e.field) continue;
      for (let j = e.offset; j < e.offset + e.length; j++) if (a[j] !== b[j]) return false;
    }
    return true;
  }

  private async call(group: readonly FrameInputs[]): Promise<Uint8Array[]> {
    const n = group.length;
    const feeds: Record<string, OrtTensor> = {};
    for (const e of this.entries) {
      if (e.workerFed) {
        feeds[e.name] = this.fixedNoise.get(e.name)!;
      } else if (e === this.wsEntry) {
        const ws = new Float32Array(n * e.length);
        group.forEach((f, k) => ws.set(f.slab.subarray(e.offset, e.offset + e.length), k * e.length));
        feeds[e.name] = new ort.Tensor('float32', ws, [n, ...e.shape.slice(1)]);
      } else {
        feeds[e.name] = new ort.Tensor('float32', group[0]!.slab.slice(e.offset, e.offset + e.length), e.shape);
      }
    }
    const res = await this.session.run(feeds);
    const rgba = res['rgba']!.data as Uint8Array;
    const bytes = this.manifest.width * this.manifest.height * 4;
    if (rgba.length !== n * bytes) throw new Error(`generator returned ${rgba.length} bytes for ${n} frames of ${bytes}`);
    this.frames += n;
    this.calls += 1;
    return group.map((_, k) => rgba.slice(k * bytes, (k + 1) * bytes));
  }

  /**
   * The same session for another render (a queue worker keeps one session for every render it joins): its own
   * batch size, counters and memory of the last good params. Close only the generator that was opened.
   */
  forRender(batch: number): OfflineGenerator {
    return new OfflineGenerator(this.manifest, this.ep, this.session, this.entries, this.slabLength, Math.max(1, batch), this.fixedNoise);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
