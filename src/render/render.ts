/**
 * A render: every frame of a FrameSource through the generator, the post, and ffmpeg, segment by segment, then
 * joined with the audio into the output file. Resumable: finished segments (and the post's memory after each)
 * stay in `<out>.partial/` until the output exists; an interrupted render continues from the first unfinished
 * segment, stepping the params (cheap) through the frames it skips so every later frame is exactly the same.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { logger } from '../log.js';
import type { CodecSpec } from './codecs.js';
import { joinSegments, SegmentWriter } from './encoder.js';
import type { FrameSource } from './frameSource.js';
import type { FrameInputs, OfflineGenerator } from './offlineGenerator.js';
import { finishedSegments, PARTIAL_FORMAT, PARTIAL_VERSION, postFile, readPartial, removePartial, segmentFile, settingsKey, writePartial, type PartialState } from './partial.js';
import { PostProcessor } from './post.js';
import { Progress, type ProgressSink } from './progress.js';
import type { FitMode, Size } from './size.js';
import type { PostParams } from '../visual/types.js';

const log = logger('render');

export interface RenderJob {
  source: FrameSource;
  generator: OfflineGenerator;
  ffmpeg: string;
  codec: CodecSpec;
  crf: number;
  container: string;
  output: Size;
  fit: FitMode;
  out: string;
  partialDir: string;
  segmentFrames: number;
  /** The audio to mux (null: a silent video). */
  audio: { file: string } | null;
  /** Everything that changes a frame, hashed into the resume key. */
  settings: Record<string, unknown>;
  resume: boolean;
  progress: ProgressSink;
  /** Set (e.g. by SIGINT) to stop after the frames in flight, keeping the finished segments. */
  stop: { requested: boolean };
}

/** Wall time per stage (ms), frames done; for the summary line and the bench. */
export interface RenderStats {
  frames: number;
  resumedFrames: number;
  calls: number;
  mappingMs: number;
  generatorMs: number;
  postMs: number;
  encodeMs: number;
  joinMs: number;
  totalMs: number;
}

export class RenderInterrupted extends UserError {
  override name = 'RenderInterrupted';
}

export async function render(job: RenderJob): Promise<RenderStats> {
  const t0 = performance.now();
  const { source, generator } = job;
  const stats: RenderStats = { frames: 0, resumedFrames: 0, calls: 0, mappingMs: 0, generatorMs: 0, postMs: 0, encodeMs: 0, joinMs: 0, totalMs: 0 };
  const key = settingsKey(job.settings);
  const segCount = Math.ceil(source.frameCount / job.segmentFrames);
  const post = new PostProcessor(generator.manifest.width, generator.manifest.height);

  let state: PartialState | null = await readPartial(job.partialDir);
  let done = 0;
  if (state && job.resume) {
    if (state.key !== key) {
      throw new UserError(`--resume: ${job.partialDir} was rendered with other settings (audio, mapping, model, size, fps, window, codec, crf, batch or provider differ); render again with --force to start over`);
    }
    done = finishedSegments(job.partialDir, state);
    state.segments = state.segments.slice(0, done);
    if (done > 0) {
      const last = state.segments[done - 1]!;
      post.load(await readFile(postFile(job.partialDir, done - 1)), last.scene);
    }
    log.info(`resuming: ${done} of ${segCount} segments already rendered (${Math.min(source.frameCount, done * job.segmentFrames)} frames)`);
  } else {
    if (job.resume) log.info(`--resume: nothing to resume in ${job.partialDir}; rendering from the start`);
    await removePartial(job.partialDir);
    state = { format: PARTIAL_FORMAT, version: PARTIAL_VERSION, key, settings: job.settings, frameCount: source.frameCount, segmentFrames: job.segmentFrames, segments: [] };
  }
  try {
    await writePartial(job.partialDir, state);
  } catch (e) {
    throw new UserError(`--out ${job.out}: cannot write the render's working folder ${job.partialDir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }

  const skipFrames = Math.min(source.frameCount, done * job.segmentFrames);
  stats.resumedFrames = skipFrames;
  const progress = new Progress(job.progress, source.frameCount, skipFrames);
  const segOpts = { ffmpeg: job.ffmpeg, source: { width: generator.manifest.width, height: generator.manifest.height }, output: job.output, fit: job.fit, fps: String(source.fps), codec: job.codec, crf: job.crf };
  const batchSize = generator.batchSize;

  let writer: SegmentWriter | null = null;
  let seg = done;
  let k = 0;
  let pending: Array<{ inputs: FrameInputs; post: FrameParamsPost }> = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const tg = performance.now();
    const pictures = await generator.run(pending.map((p) => p.inputs));
    stats.generatorMs += performance.now() - tg;
    for (let i = 0; i < pictures.length; i++) {
      const tp = performance.now();
      const frame = post.apply(pictures[i]!, pending[i]!.post.post, pending[i]!.post.scene);
      const te = performance.now();
      stats.postMs += te - tp;
      // The temporary name carries our pid: the ffmpeg of a render that was killed may still be flushing its own.
      writer ??= new SegmentWriter(segOpts, `${segmentFile(job.partialDir, seg)}.${process.pid}.tmp`, segmentFile(job.partialDir, seg));
      await writer.write(frame);
      stats.encodeMs += performance.now() - te;
      stats.frames += 1;
    }
    pending = [];
    progress.update(stats.frames);
  };
  // A finished segment's ffmpeg flushes and exits while the next segment's frames are made; at most one does so at
  // a time (a fast generator must not pile up encoders), and segments are recorded in order.
  let finishing: Promise<void> = Promise.resolve();
  const closeSegment = async (): Promise<void> => {
    if (!writer) return;
    const w = writer;
    const index = seg;
    const saved = post.save();
    writer = null;
    seg += 1;
    try {
      await finishing;
    } catch (e) {
      await w.abort();
      throw e;
    }
    finishing = (async () => {
      const te = performance.now();
      await w.finish();
      await writeFile(postFile(job.partialDir, index), saved.bytes);
      state!.segments.push({ index, frames: w.frames, scene: saved.scene });
      await writePartial(job.partialDir, state!);
      stats.encodeMs += performance.now() - te;
    })();
    // Reported where it is awaited; this only keeps Node from calling it unhandled meanwhile.
    finishing.catch(() => undefined);
  };
  try {
    const it = source.frames()[Symbol.asyncIterator]();
    for (;;) {
      const tm = performance.now();
      const r = await it.next();
      if (r.done) break;
      const p = r.value;
      const inputs = generator.inputs(p);
      const postParams: FrameParamsPost = { post: { ...p.post }, scene: p.scene };
      stats.mappingMs += performance.now() - tm;
      const index = k++;
      if (index < skipFrames) continue;
      pending.push({ inputs, post: postParams });
      const endOfSegment = (index + 1) % job.segmentFrames === 0 || index + 1 === source.frameCount;
      if (pending.length >= batchSize || endOfSegment) await flush();
      if (endOfSegment) await closeSegment();
      if (job.stop.requested) break;
    }
    await finishing;
    // Ctrl-C means stop now, also when only the join is left (--resume then joins).
    if (job.stop.requested) {
      throw new RenderInterrupted(`interrupted at frame ${skipFrames + stats.frames} of ${source.frameCount}; ${seg} of ${segCount} segments are kept in ${job.partialDir}: run the same command with --resume to continue`);
    }
    if (k !== source.frameCount) throw new Error(`the frame source gave ${k} frames, expected ${source.frameCount}`);
  } catch (e) {
    await (writer as SegmentWriter | null)?.abort();
    await finishing.catch(() => undefined);
    progress.end();
    throw e;
  }
  progress.end();

  const tj = performance.now();
  const segments = Array.from({ length: segCount }, (_, i) => segmentFile(job.partialDir, i));
  for (const s of segments) if (!existsSync(s)) throw new Error(`${s}: segment missing at the join`);
  await joinSegments({
    ffmpeg: job.ffmpeg,
    segments,
    listFile: join(job.partialDir, 'segments.ffconcat'),
    codec: job.codec,
    container: job.container,
    audio: job.audio ? { file: job.audio.file, startS: source.startS, durationS: source.frameCount / source.fps } : null,
    videoDurationS: source.frameCount / source.fps,
    out: job.out,
  });
  stats.joinMs = performance.now() - tj;
  await removePartial(job.partialDir);
  stats.calls = generator.calls;
  stats.totalMs = performance.now() - t0;
  return stats;
}

interface FrameParamsPost {
  post: PostParams;
  scene: number | string;
}

export function summaryLine(out: string, s: RenderStats, fps: number): string {
  const secs = s.totalMs / 1000;
  const rate = secs > 0 ? s.frames / secs : 0;
  return (
    `${out}: ${s.frames + s.resumedFrames} frames (${((s.frames + s.resumedFrames) / fps).toFixed(2)} s at ${fps} fps)` +
    `${s.resumedFrames ? `, ${s.resumedFrames} resumed` : ''} in ${secs.toFixed(1)} s, ${rate.toFixed(1)} fps` +
    ` (mapping ${(s.mappingMs / 1000).toFixed(1)} s, generator ${(s.generatorMs / 1000).toFixed(1)} s in ${s.calls} calls, post ${(s.postMs / 1000).toFixed(1)} s, encoder waits ${(s.encodeMs / 1000).toFixed(1)} s, join ${(s.joinMs / 1000).toFixed(1)} s)`
  );
}
