/**
 * `latentvj worker`: takes chunks of queued renders from BullMQ, renders each with its own generator through the
 * render's segment path, and writes the segments into the render's folder on the shared path.
 *
 * A worker that dies mid-chunk stops renewing the chunk's lock; after `lockMs` another worker's stalled check puts
 * the chunk back in the queue and someone renders it again from its start. Segments appear in the shared folder
 * only by rename once complete, and the same chunk always gives the same files, so a chunk rendered twice (a
 * worker that was only slow) is harmless: nothing is lost and nothing is doubled.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DelayedError, Worker, type Job } from 'bullmq';
import { describeError, UserError } from '../errors.js';
import type { GeneratorConfig } from '../generator/config.js';
import type { Manifest } from '../generator/types.js';
import { logger } from '../log.js';
import { parseCodec } from '../render/codecs.js';
import { middleFrameSource, type FrameSource } from '../render/frameSource.js';
import { OfflineGenerator } from '../render/offlineGenerator.js';
import type { LatentProvider } from '../visual/latents.js';
import { ParamsCursor, renderChunk } from './chunk.js';
import { connectionOptions, probeRedis, type QueueAddress } from './connection.js';
import { openSessionCopy } from './sessionInput.js';
import {
  fileSha256,
  identityMismatch,
  latentvjVersion,
  readFeatures,
  readChecked,
  SpecMismatch,
  type ChunkJobData,
  type ChunkProgress,
  type ChunkResult,
  type QueuedRenderSpec,
  type WorkerIdentity,
} from './spec.js';

const log = logger('worker');

export interface WorkerOptions {
  address: QueueAddress;
  /** This machine's mount of the shared folder. */
  shared: string;
  modelDir: string;
  manifest: Manifest;
  ep: GeneratorConfig['ep'];
  /** Generator threads (0: onnxruntime's default). */
  threads: number;
  ffmpeg: string;
  /** How long a chunk's lock lives without renewal: how soon a dead worker's chunk is taken again. */
  lockMs: number;
  name?: string;
}

/** A render this worker has opened: its generator and params cursor, kept while its chunks keep coming. */
interface OpenRender {
  spec: QueuedRenderSpec;
  dir: string;
  generator: OfflineGenerator;
  cursor: ParamsCursor;
  /** A track's latent provider (a session's replay holds its own). */
  latents?: LatentProvider;
}

export interface RunningWorker {
  readonly name: string;
  /** Resolves when the worker should stop: 'refused' after a job it cannot render (then call close()), 'closed' after close(). */
  readonly stopped: Promise<{ reason: 'refused' | 'closed'; message?: string }>;
  close(): Promise<void>;
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const name = o.name ?? `${hostname()}:${process.pid}`;
  await probeRedis(o.address);
  const me: WorkerIdentity = {
    latentvj: latentvjVersion(),
    modelDir: o.modelDir,
    model: {
      origin: o.manifest.origin.sha256,
      generatorSha256: await fileSha256(join(o.modelDir, o.manifest.files.generator)),
      width: o.manifest.width,
      height: o.manifest.height,
    },
  };
  // The model's session is opened once, before the first chunk: a worker that joins a render starts rendering at
  // once (on a 104 MB model the session's graph optimisation is ~0.7 CPU-s), and renders after it reuse it.
  const model = await OfflineGenerator.open({ modelDir: o.modelDir, ep: o.ep, batch: 1, threads: o.threads });
  let open: OpenRender | null = null;
  let framesDone = 0;
  let busyMs = 0;
  let attempt = 0;
  let stop: (v: { reason: 'refused' | 'closed'; message?: string }) => void = () => {};
  const stopped = new Promise<{ reason: 'refused' | 'closed'; message?: string }>((r) => (stop = r));

  const closeRender = async (): Promise<void> => {
    const r = open;
    open = null;
    if (!r) return;
    await r.cursor.close();
    await r.latents?.close?.();
  };

  /** The frames' params as the coordinator planned them: a track's mapping over its features, or a recorded session. */
  const paramsSource = async (spec: QueuedRenderSpec, dir: string): Promise<{ open: () => Promise<FrameSource>; latents?: LatentProvider }> => {
    if (spec.session) {
      const session = await openSessionCopy(dir, spec.session);
      const { sessionFrameSource, replayFrameSource } = await import('../render/sessionSource.js');
      if (spec.session.recordedParams) {
        try {
          sessionFrameSource(session, o.manifest);
        } catch (e) {
          if (e instanceof UserError) throw new SpecMismatch(`render ${spec.id}: ${e.message}`);
          throw e;
        }
        return { open: async () => sessionFrameSource(session, o.manifest) };
      }
      const { openSessionReplay } = await import('../pipeline/replay.js');
      const model = { dir: o.modelDir, manifest: o.manifest };
      return { open: async () => replayFrameSource(await openSessionReplay(session, { fps: spec.window.fps, model, mappingsInFolder: true })) };
    }
    if (!spec.mapping || !spec.analysis) throw new SpecMismatch(`render ${spec.id}: the job names neither a mapping and features nor a session`);
    const { mapping, analysis } = spec;
    const mappingFile = join(dir, mapping.file);
    await readChecked(dir, mapping.file, mapping.sha256, 'mapping');
    for (const a of spec.assets) await readChecked(dir, a.file, a.sha256, 'mapping asset');
    const features = await readFeatures(await readChecked(dir, analysis.file, analysis.sha256, 'analysis'));
    if (features.length !== analysis.hops) throw new SpecMismatch(`analysis ${join(dir, analysis.file)}: ${features.length} hops, the job says ${analysis.hops}`);
    const { createOnnxLatentProvider } = await import('../visual/latents.js');
    const { createMapper } = await import('../mapping/index.js');
    const latents = await createOnnxLatentProvider(o.modelDir, o.manifest);
    return { open: async () => middleFrameSource(features, await createMapper({ file: mappingFile, manifest: o.manifest, latents, watch: false }), spec.window), latents };
  };

  const openRender = async (spec: QueuedRenderSpec): Promise<OpenRender> => {
    const dir = join(o.shared, spec.id);
    const { open, latents } = await paramsSource(spec, dir);
    const cursor = new ParamsCursor(async () => {
      const s = await open();
      if (s.frameCount !== spec.window.frameCount || s.fps !== spec.window.fps) {
        await s.close();
        throw new Error(`render ${spec.id}: this worker's frame source has ${s.frameCount} frames at ${s.fps} fps, the job ${spec.window.frameCount} at ${spec.window.fps}`);
      }
      return s;
    });
    const generator = model.forRender(spec.batch);
    if (spec.ep !== 'auto' && generator.ep !== spec.ep) log.warn(`${name}: render ${spec.id} asked for --ep ${spec.ep}, this worker runs ${generator.ep}: frames may differ in their last bits from a single-machine render`);
    log.info(`${name}: joined render ${spec.id} (${spec.window.frameCount} frames at ${spec.window.fps} fps, ${spec.output.width}×${spec.output.height} ${spec.codec}, generator on ${generator.ep})`);
    return { spec, dir, generator, cursor, ...(latents ? { latents } : {}) };
  };

  const processChunk = async (job: Job<ChunkJobData, ChunkResult>, token?: string): Promise<ChunkResult> => {
    const { spec, chunk } = job.data;
    try {
      if (open?.spec.id !== spec.id) {
        await closeRender();
        const bad = identityMismatch(spec, me);
        if (bad) throw new SpecMismatch(bad);
        open = await openRender(spec);
      }
    } catch (e) {
      if (!(e instanceof SpecMismatch)) throw e;
      // Put the chunk back for a worker that can render it, and stop taking chunks.
      await job.moveToDelayed(Date.now() + 1000, token);
      stop({ reason: 'refused', message: `worker ${name} refuses render ${spec.id}: ${e.message}` });
      throw new DelayedError();
    }
    const r = open;
    const last = chunk.firstFrame + chunk.frameCount - 1;
    const segs = chunk.segments > 1 ? `segments ${chunk.firstSegment}–${chunk.firstSegment + chunk.segments - 1}` : `segment ${chunk.firstSegment}`;
    const warm = chunk.warmupSegment < chunk.firstSegment ? `, warm-up from frame ${chunk.warmupSegment * spec.segmentFrames} (the post remembers earlier pictures)` : '';
    log.info(`${name}: chunk ${chunk.index} of ${spec.id}: frames ${chunk.firstFrame}–${last} (${segs})${warm}`);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    attempt += 1;
    const stats = await renderChunk(
      {
        cursor: r.cursor,
        generator: r.generator,
        segment: {
          ffmpeg: o.ffmpeg,
          source: { width: o.manifest.width, height: o.manifest.height },
          output: spec.output,
          fit: spec.fit,
          fps: String(spec.window.fps),
          codec: parseCodec(spec.codec),
          crf: spec.crf,
        },
        segmentFrames: spec.segmentFrames,
        frameCount: spec.window.frameCount,
        dir: r.dir,
        tmpTag: `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}-${attempt}`,
        onSegment: async (frames, segment) => {
          const fps = (framesDone + frames) / ((busyMs + performance.now() - t0) / 1000);
          log.info(`${name}: chunk ${chunk.index}: segment ${segment} written (${frames}/${chunk.frameCount} frames)`);
          const p: ChunkProgress = { worker: name, frames, fps };
          await job.updateProgress(p as unknown as object);
        },
      },
      chunk,
    );
    framesDone += stats.frames;
    busyMs += performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    log.info(
      `${name}: chunk ${chunk.index} done: ${stats.frames} frames${stats.warmupFrames ? ` (+${stats.warmupFrames} warm-up)` : ''} in ${(stats.renderMs / 1000).toFixed(1)} s, ${(stats.frames / (stats.renderMs / 1000)).toFixed(1)} fps, ${(cpuMs / 1000).toFixed(1)} CPU-s`,
    );
    return { worker: name, ep: r.generator.ep, frames: stats.frames, warmupFrames: stats.warmupFrames, renderMs: stats.renderMs, cpuMs };
  };

  const worker = new Worker<ChunkJobData, ChunkResult>(o.address.name, processChunk, {
    connection: connectionOptions(o.address),
    // One chunk at a time: the generator uses the machine; more workers per machine means more processes.
    concurrency: 1,
    lockDuration: o.lockMs,
    stalledInterval: Math.max(500, Math.round(o.lockMs / 2)),
    // A chunk comes back after a stall this many times before it counts as failed (a crash loop, not bad luck).
    maxStalledCount: 5,
    autorun: false,
  });
  worker.on('error', (e) => log.limited('error', 'redis', `${name}: queue ${o.address.display}: ${describeError(e)}`));
  worker.on('failed', (job, e) => {
    if (job && !(e instanceof DelayedError)) log.error(`${name}: chunk ${job.data.chunk.index} of ${job.data.spec.id} failed: ${describeError(e)}`);
  });
  await worker.waitUntilReady();
  void worker.run();
  log.info(`${name}: waiting for chunks on ${o.address.display} (shared folder ${o.shared}, model ${o.modelDir})`);

  const close = async (): Promise<void> => {
    await worker.close();
    await closeRender();
    await model.close();
    stop({ reason: 'closed' });
  };
  return { name, stopped, close };
}
