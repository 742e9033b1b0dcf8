/**
 * One chunk of a queued render on a worker: the render's own segment path (OfflineGenerator, PostProcessor,
 * SegmentWriter, segment file names) over whole segments, so each segment is the very file a single-machine
 * render writes. Frames are batched per segment exactly as `render` batches them (a call never spans a segment
 * boundary), because the batch a frame shares can change its last bits on some providers.
 *
 * The params come from a cursor over the frame source: the mapper integrates time from frame 0, so params are
 * stepped (cheap) through every frame before the chunk; a worker that takes chunks in order keeps its cursor and
 * steps only forward.
 */
import { existsSync } from 'node:fs';
import { SegmentWriter, type SegmentOptions } from '../render/encoder.js';
import type { FrameSource } from '../render/frameSource.js';
import type { FrameInputs, OfflineGenerator } from '../render/offlineGenerator.js';
import { segmentFile } from '../render/partial.js';
import { PostProcessor } from '../render/post.js';
import type { FrameParams, PostParams } from '../visual/types.js';
import type { Chunk } from './plan.js';

/** Params of the frames in order, restartable (a fresh mapper) when a chunk starts before the cursor. */
export class ParamsCursor {
  private source: FrameSource | null = null;
  private it: AsyncIterator<FrameParams> | null = null;
  /** Index (in the render's window) of the next frame `next()` returns. */
  position = 0;

  constructor(private readonly open: () => Promise<FrameSource>) {}

  async seekBefore(frame: number): Promise<void> {
    if (this.it && this.position <= frame) return;
    await this.close();
    this.source = await this.open();
    this.it = this.source.frames()[Symbol.asyncIterator]();
    this.position = 0;
  }

  async next(): Promise<FrameParams> {
    const r = await this.it!.next();
    if (r.done) throw new Error(`the frame source ended at frame ${this.position}`);
    this.position += 1;
    return r.value;
  }

  async close(): Promise<void> {
    const s = this.source;
    this.source = null;
    this.it = null;
    await s?.close();
  }
}

export interface ChunkContext {
  cursor: ParamsCursor;
  generator: OfflineGenerator;
  segment: SegmentOptions;
  segmentFrames: number;
  frameCount: number;
  /** The shared render folder the segments go to. */
  dir: string;
  /** Makes this attempt's temporary file names its own (a dead worker's orphaned ffmpeg may still write). */
  tmpTag: string;
  /** After each finished segment: frames encoded so far in this chunk. */
  onSegment(framesDone: number, segment: number): Promise<void> | void;
}

export interface ChunkStats {
  frames: number;
  warmupFrames: number;
  renderMs: number;
}

interface Pending {
  inputs: FrameInputs;
  post: PostParams;
  scene: number | string;
  encode: boolean;
}

export async function renderChunk(ctx: ChunkContext, chunk: Chunk): Promise<ChunkStats> {
  const t0 = performance.now();
  const { generator, segmentFrames } = ctx;
  const warmStart = chunk.warmupSegment * segmentFrames;
  const end = chunk.firstFrame + chunk.frameCount;
  await ctx.cursor.seekBefore(warmStart);
  // Frames before the warm-up still pass through inputs(): it remembers the last good params, as in `render`.
  // Awaiting the params is microtasks only: yield to the timers now and then, or a long stretch of stepping
  // (a chunk two hours in) would starve the queue's lock renewal and the chunk would be taken for dead.
  while (ctx.cursor.position < warmStart) {
    generator.inputs(await ctx.cursor.next());
    if (ctx.cursor.position % 512 === 0) await new Promise<void>((r) => setImmediate(r));
  }

  const post = new PostProcessor(generator.manifest.width, generator.manifest.height);
  const stats: ChunkStats = { frames: 0, warmupFrames: 0, renderMs: 0 };
  let writer: SegmentWriter | null = null;
  let segFrames = 0;
  let pending: Pending[] = [];
  const flush = async (segment: number): Promise<void> => {
    if (pending.length === 0) return;
    const pictures = await generator.run(pending.map((p) => p.inputs));
    for (let i = 0; i < pictures.length; i++) {
      const p = pending[i]!;
      const frame = post.apply(pictures[i]!, p.post, p.scene);
      if (!p.encode) {
        stats.warmupFrames += 1;
        continue;
      }
      const final = segmentFile(ctx.dir, segment);
      writer ??= new SegmentWriter(ctx.segment, `${final}.tmp-${ctx.tmpTag}`, final);
      await writer.write(frame);
      segFrames += 1;
      stats.frames += 1;
    }
    pending = [];
  };

  // A finished segment's ffmpeg flushes while the next segment's frames are made, as in `render`: at most one at a
  // time (a fast generator must not pile up encoders), progress reported in order.
  let finishing: Promise<void> = Promise.resolve();
  try {
    for (let k = warmStart; k < end; k++) {
      const p = await ctx.cursor.next();
      const segment = Math.floor(k / segmentFrames);
      pending.push({ inputs: generator.inputs(p), post: { ...p.post }, scene: p.scene, encode: k >= chunk.firstFrame });
      const endOfSegment = (k + 1) % segmentFrames === 0 || k + 1 === ctx.frameCount;
      if (pending.length >= generator.batchSize || endOfSegment) await flush(segment);
      if (endOfSegment && writer) {
        const w: SegmentWriter = writer;
        writer = null;
        if (w.frames !== segFrames) throw new Error(`segment ${segment}: ${w.frames} frames written, expected ${segFrames}`);
        segFrames = 0;
        const framesDone = stats.frames;
        try {
          await finishing;
        } catch (e) {
          await w.abort();
          throw e;
        }
        finishing = (async () => {
          await w.finish();
          await ctx.onSegment(framesDone, segment);
        })();
        finishing.catch(() => undefined); // reported where it is awaited
      }
    }
    await finishing;
  } catch (e) {
    await (writer as SegmentWriter | null)?.abort();
    await finishing.catch(() => undefined);
    throw e;
  }
  stats.renderMs = performance.now() - t0;
  return stats;
}

/** Segments of a chunk that are already in the shared folder (a render run again skips finished chunks). */
export function chunkFinished(dir: string, chunk: Chunk): boolean {
  for (let s = chunk.firstSegment; s < chunk.firstSegment + chunk.segments; s++) if (!existsSync(segmentFile(dir, s))) return false;
  return true;
}

