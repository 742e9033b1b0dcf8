/**
 * `latentvj render … --queue redis://host:port/name --shared <dir>`: the coordinator. It writes what workers need
 * into the render's folder on the shared path, plans the chunks, queues them on BullMQ, follows the workers'
 * progress, and joins the finished segments with the audio without re-encoding — the render's own join.
 *
 * The render's folder is named by a hash of everything that changes a frame, and segments in it are complete
 * once they exist; so running the same command again (after the coordinator stopped, or a chunk failed for
 * good) queues only the chunks whose segments are missing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, normalize } from 'node:path';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Features } from '../analysis/types.js';
import { describeError, UserError } from '../errors.js';
import type { Manifest } from '../generator/types.js';
import { logger } from '../log.js';
import type { CodecSpec } from '../render/codecs.js';
import { joinSegments } from '../render/encoder.js';
import type { FrameSource, FrameWindow } from '../render/frameSource.js';
import { segmentFile } from '../render/partial.js';
import type { ProgressSink } from '../render/progress.js';
import type { FitMode, Size } from '../render/size.js';
import type { Session } from '../session/reader.js';
import { chunkFinished } from './chunk.js';
import { copySession, sessionSources } from './sessionInput.js';
import { mappingAssets } from './mappingAssets.js';
export { mappingAssets };
import { connectionOptions, probeRedis, type QueueAddress } from './connection.js';
import { dependsFrom, planChunks, type Chunk, type PostMemory } from './plan.js';
import { FarmProgress } from './farmProgress.js';
import {
  featuresFile,
  fileSha256,
  latentvjVersion,
  sha256,
  SPEC_FORMAT,
  SPEC_VERSION,
  type ChunkJobData,
  type ChunkProgress,
  type ChunkResult,
  type QueuedRenderSpec,
} from './spec.js';

const log = logger('queue');

/**
 * What the frames are made from besides the model: a track's mapping file as loaded (its text is copied into the
 * render's folder) and its analysed features, or a recorded session (copied whole, see sessionInput.ts).
 */
export type QueuedInput = { kind: 'track'; mappingFile: string; features: readonly Features[] } | { kind: 'session'; session: Session; recordedParams: boolean };

export interface QueuedRenderOptions {
  address: QueueAddress;
  shared: string;
  /** Segments per chunk. */
  chunkSegments: number;
  /** Most segments of post warm-up before a chunk (see plan.ts). */
  maxWarmupSegments: number;
  modelDir: string;
  manifest: Manifest;
  input: QueuedInput;
  /** The params of every frame, once, for the plan (trails and freeze decide where chunks may be cut). */
  source: FrameSource;
  window: FrameWindow;
  output: Size;
  fit: FitMode;
  codec: CodecSpec;
  crf: number;
  batch: number;
  segmentFrames: number;
  ep: string;
  ffmpeg: string;
  container: string;
  out: string;
  audio: { file: string } | null;
  progress: ProgressSink;
  /** Chunk attempts before a chunk (and the render) fails: a worker error, not a worker's death. */
  attempts?: number;
}

export interface QueuedRenderStats {
  frames: number;
  chunks: number;
  skippedChunks: number;
  /** Chunks done per worker name. */
  workers: Map<string, { chunks: number; frames: number; fps: number; cpuMs: number }>;
  /** Chunks that were started more than once (a worker died or stalled). */
  retried: number;
  /** From queueing the chunks to the last one done (the farm's own time: no analysis, plan or join). */
  farmMs: number;
  /** The coordinator's own CPU time (user + system) over farmMs: it only waits on Redis while the workers render. */
  farmCpuMs: number;
  totalMs: number;
}

/** Writes `name` in `dir` unless it already holds exactly these bytes (workers may be reading it). */
async function writeOnce(dir: string, name: string, bytes: string | Uint8Array): Promise<void> {
  const file = join(dir, name);
  if (existsSync(file) && sha256(await readFile(file)) === sha256(bytes)) return;
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}

/** The post memory of every frame: one pass of the params (the mapper only, no generator). */
async function postMemories(source: FrameSource): Promise<PostMemory[]> {
  const out: PostMemory[] = [];
  for await (const p of source.frames()) out.push({ trails: p.post.trails, crossfade: p.post.crossfade, freeze: p.post.freeze, scene: p.scene });
  if (out.length !== source.frameCount) throw new Error(`the frame source gave ${out.length} frames, expected ${source.frameCount}`);
  return out;
}

type InputSpec = Pick<QueuedRenderSpec, 'mapping' | 'assets' | 'analysis' | 'session'>;

/** The input's part of the spec, and how its files are written into the render's folder once it is named. */
async function inputFiles(i: QueuedInput): Promise<{ input: InputSpec; write: (dir: string) => Promise<void> }> {
  if (i.kind === 'session') {
    const s = await sessionSources(i.session, i.recordedParams);
    return { input: { mapping: null, assets: [], analysis: null, session: s.spec }, write: (dir) => copySession(dir, s) };
  }
  const mappingText = await readFile(i.mappingFile);
  const assets: Array<{ file: string; sha256: string; bytes: Buffer }> = [];
  for (const f of mappingAssets(i.mappingFile, mappingText.toString('utf8'))) {
    const bytes = await readFile(join(dirname(i.mappingFile), f)).catch((e: NodeJS.ErrnoException) => {
      throw new UserError(`${i.mappingFile}: cannot read ${f} (${e.code ?? describeError(e)})`);
    });
    assets.push({ file: f, sha256: sha256(bytes), bytes });
  }
  const analysis = featuresFile(i.features);
  const input: InputSpec = {
    mapping: { file: `mapping${extname(i.mappingFile) || '.yaml'}`, sha256: sha256(mappingText), source: i.mappingFile },
    assets: assets.map((a) => ({ file: a.file, sha256: a.sha256 })),
    analysis: { file: 'features.jsonl.gz', sha256: sha256(analysis), hops: i.features.length },
    session: null,
  };
  const write = async (dir: string): Promise<void> => {
    await writeOnce(dir, input.mapping!.file, mappingText);
    for (const a of assets) {
      await mkdir(dirname(join(dir, a.file)), { recursive: true });
      await writeOnce(dir, a.file, a.bytes);
    }
    await writeOnce(dir, input.analysis!.file, analysis);
  };
  return { input, write };
}

export async function prepareQueuedRender(o: QueuedRenderOptions): Promise<{ spec: QueuedRenderSpec; dir: string; chunks: Chunk[] }> {
  const { input, write } = await inputFiles(o.input);
  const generatorSha256 = await fileSha256(join(o.modelDir, o.manifest.files.generator));
  const base = {
    format: SPEC_FORMAT,
    version: SPEC_VERSION,
    latentvj: latentvjVersion(),
    model: { origin: o.manifest.origin.sha256, generatorSha256, width: o.manifest.width, height: o.manifest.height },
    ...input,
    window: o.window,
    output: o.output,
    fit: o.fit,
    codec: o.codec.name,
    crf: o.crf,
    batch: o.batch,
    segmentFrames: o.segmentFrames,
    ep: o.ep,
  } as const;
  // The folder name: what changes a frame (not where the mapping came from, nor which provider was asked for).
  const id = `r-${sha256(JSON.stringify({ ...base, mapping: base.mapping?.sha256 ?? null, ep: null })).slice(0, 16)}`;
  const spec: QueuedRenderSpec = { ...base, id };
  const dir = join(o.shared, id);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new UserError(`--shared ${o.shared}: cannot create the render's folder ${dir} (${(e as NodeJS.ErrnoException).code ?? describeError(e)})`);
  }
  await write(dir);
  await writeOnce(dir, 'render.json', JSON.stringify(spec, null, 1) + '\n');

  const memories = await postMemories(o.source);
  const remembers = memories.some((m) => m.trails > 0 || m.crossfade > 0 || m.freeze);
  const chunks = planChunks(
    { frameCount: o.window.frameCount, segmentFrames: o.segmentFrames, chunkSegments: o.chunkSegments, maxWarmupSegments: o.maxWarmupSegments },
    remembers ? dependsFrom(memories) : null,
  );
  return { spec, dir, chunks };
}

const sameChunk = (a: Chunk, b: Chunk | undefined): boolean =>
  !!b && a.index === b.index && a.firstSegment === b.firstSegment && a.segments === b.segments && a.warmupSegment === b.warmupSegment && a.firstFrame === b.firstFrame && a.frameCount === b.frameCount;

/**
 * What an earlier coordinator of this render left (it was stopped or killed; its workers went on): chunks whose
 * segments are all in the render's folder are done; a chunk still to do whose job is waiting or in a worker's
 * hands is followed, not queued again, so it is not rendered twice. The jobs are listed before the folder is
 * looked at: a chunk that finishes in between is then either seen done or followed (its job resolves at once),
 * never queued anew. Waiting jobs this run does not follow (done meanwhile, or cut differently by another
 * --chunk) are removed; a running one finishes on its own and writes the same files this run's would.
 */
async function earlierRun(queue: Queue<ChunkJobData, ChunkResult>, id: string, dir: string, chunks: readonly Chunk[]): Promise<{ todo: Chunk[]; taken: Map<number, Job<ChunkJobData, ChunkResult>> }> {
  const jobs = (await queue.getJobs(['active', 'waiting', 'delayed', 'prioritized'])).filter((j) => j?.data?.spec?.id === id);
  const todo = chunks.filter((c) => !chunkFinished(dir, c));
  const taken = new Map<number, Job<ChunkJobData, ChunkResult>>();
  for (const j of jobs) {
    const chunk = todo.find((c) => sameChunk(c, j.data.chunk));
    if (chunk && !taken.has(chunk.index)) taken.set(chunk.index, j);
    else if (!(await j.isActive())) await j.remove().catch(() => undefined);
  }
  return { todo, taken };
}

export async function queuedRender(o: QueuedRenderOptions): Promise<QueuedRenderStats> {
  const t0 = performance.now();
  await probeRedis(o.address);
  const { spec, dir, chunks } = await prepareQueuedRender(o);
  const stats: QueuedRenderStats = { frames: 0, chunks: chunks.length, skippedChunks: 0, workers: new Map(), retried: 0, farmMs: 0, farmCpuMs: 0, totalMs: 0 };

  const connection = connectionOptions(o.address);
  const queue = new Queue<ChunkJobData, ChunkResult>(o.address.name, { connection });
  const events = new QueueEvents(o.address.name, { connection });
  const onError = (e: Error): void => log.limited('error', 'redis', `queue ${o.address.display}: ${describeError(e)}`);
  queue.on('error', onError);
  events.on('error', onError);
  let idle: NodeJS.Timeout | undefined;
  let farm: FarmProgress | null = null;
  try {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]).catch((e: unknown) => {
      throw new UserError(`--queue ${o.address.display}: cannot reach Redis (${describeError(e)})`);
    });
    const { todo, taken } = await earlierRun(queue, spec.id, dir, chunks);
    stats.skippedChunks = chunks.length - todo.length;
    const wanted = Math.ceil(o.window.frameCount / o.segmentFrames / o.chunkSegments);
    log.info(
      `render ${spec.id}: ${o.window.frameCount} frames in ${chunks.length} chunks of up to ${o.chunkSegments * o.segmentFrames} frames` +
        (chunks.length < wanted ? ` (${wanted - chunks.length} fewer than asked: the post's trails or freeze reach across those cuts)` : '') +
        (stats.skippedChunks ? `; ${stats.skippedChunks} already rendered in ${dir}` : '') +
        (taken.size ? `; ${taken.size} still queued or rendering from an earlier run, followed rather than queued again` : '') +
        `; queue ${o.address.display}`,
    );
    const view = (farm = new FarmProgress(o.progress, o.window.frameCount, chunks.filter((c) => !todo.includes(c)).reduce((s, c) => s + c.frameCount, 0)));

    const run = randomBytes(4).toString('hex');
    const eps = new Set<string>();
    const byJob = new Map<string, Chunk>();
    let heard = todo.length === 0;
    idle = setTimeout(() => {
      if (!heard) log.warn(`no worker has reported on ${o.address.display} yet; start one on each machine: latentvj worker --queue ${o.address.display} --shared <its mount of ${o.shared}>`);
    }, 20_000);
    idle.unref();
    events.on('active', () => (heard = true));
    events.on('progress', ({ jobId, data }) => {
      heard = true;
      const chunk = byJob.get(jobId);
      const p = data as unknown as ChunkProgress;
      if (chunk && p && typeof p.worker === 'string') view.progress(chunk.index, p.worker, p.frames, p.fps);
    });
    events.on('stalled', ({ jobId }) => {
      const chunk = byJob.get(jobId);
      if (!chunk) return;
      stats.retried += 1;
      view.restart(chunk.index);
      log.warn(`chunk ${chunk.index} (frames ${chunk.firstFrame}–${chunk.firstFrame + chunk.frameCount - 1}) stalled: its worker stopped renewing the lock; it goes back in the queue`);
    });
    const tq = performance.now();
    const cpu0 = process.cpuUsage();
    for (const [index, job] of taken) byJob.set(job.id!, todo.find((c) => c.index === index)!);
    const queued: Array<Job<ChunkJobData, ChunkResult>> = await queue.addBulk(
      todo.filter((c) => !taken.has(c.index)).map((chunk) => {
        const jobId = `${spec.id}.${run}.${chunk.index}`;
        byJob.set(jobId, chunk);
        return {
          name: 'chunk',
          data: { spec, chunk },
          opts: { jobId, attempts: o.attempts ?? 3, backoff: { type: 'fixed', delay: 2000 }, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
        };
      }),
    );
    const jobs = [...taken.values(), ...queued];
    await Promise.all(
      jobs.map(async (job) => {
        const chunk = byJob.get(job.id!)!;
        let r: ChunkResult;
        try {
          r = await job.waitUntilFinished(events);
        } catch (e) {
          throw new UserError(`chunk ${chunk.index} (frames ${chunk.firstFrame}–${chunk.firstFrame + chunk.frameCount - 1}) failed on every attempt: ${describeError(e)}; the finished chunks stay in ${dir}: run the same command again to retry the rest`);
        }
        stats.frames += r.frames;
        eps.add(r.ep);
        const w = stats.workers.get(r.worker) ?? { chunks: 0, frames: 0, fps: 0, cpuMs: 0 };
        w.chunks += 1;
        w.frames += r.frames;
        w.cpuMs += r.cpuMs ?? 0;
        stats.workers.set(r.worker, w);
        view.done(chunk.index, chunk.frameCount, r.worker);
        const done = view.line();
        if (!o.progress.isTTY) log.info(`chunk ${chunk.index} (frames ${chunk.firstFrame}–${chunk.firstFrame + chunk.frameCount - 1}) done by ${r.worker}; ${done}`);
      }),
    );
    stats.farmMs = performance.now() - tq;
    const cpu = process.cpuUsage(cpu0);
    stats.farmCpuMs = (cpu.user + cpu.system) / 1000;
    for (const [name, w] of stats.workers) w.fps = view.workerFps(name);
    if (eps.size > 1) log.warn(`the workers ran different providers (${[...eps].join(', ')}): frames may differ in their last bits from a single-machine render`);
  } finally {
    clearTimeout(idle);
    farm?.end();
    await events.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
  }

  const segCount = Math.ceil(o.window.frameCount / o.segmentFrames);
  const segments = Array.from({ length: segCount }, (_, i) => segmentFile(dir, i));
  for (const s of segments) if (!existsSync(s)) throw new Error(`${s}: segment missing at the join`);
  await joinSegments({
    ffmpeg: o.ffmpeg,
    segments,
    listFile: join(dir, `segments-${process.pid}.ffconcat`),
    codec: o.codec,
    container: o.container,
    audio: o.audio ? { file: o.audio.file, startS: o.source.startS, durationS: o.window.frameCount / o.window.fps } : null,
    videoDurationS: o.window.frameCount / o.window.fps,
    out: o.out,
  });
  await rm(dir, { recursive: true, force: true });
  stats.totalMs = performance.now() - t0;
  return stats;
}

export function queuedSummary(out: string, s: QueuedRenderStats, fps: number, frameCount: number): string {
  const secs = s.totalMs / 1000;
  const workers = [...s.workers].map(([n, w]) => `${n} ${w.chunks} chunk${w.chunks === 1 ? '' : 's'} ${w.fps.toFixed(1)} fps`).join(', ');
  return (
    `${out}: ${frameCount} frames (${(frameCount / fps).toFixed(2)} s at ${fps} fps) in ${secs.toFixed(1)} s on the queue, ${(s.frames / Math.max(secs, 1e-9)).toFixed(1)} fps; ` +
    `${s.chunks} chunks${s.skippedChunks ? ` (${s.skippedChunks} already rendered)` : ''}${s.retried ? `, ${s.retried} retried after a stall` : ''}; workers: ${workers || 'none needed'}`
  );
}
