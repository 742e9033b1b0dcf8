/**
 * The encoder sink: RGBA frames into ffmpeg through its stdin (rawvideo), one ffmpeg per segment of K frames, each
 * fed from a thread of its own so the generator and the encoder run side by side, and a final join that copies the segments' video (no re-encode) and muxes the source audio beside it.
 *
 * A render is always cut into segments, resumed or not, so an interrupted render finished with --resume gives
 * the very same bitstream as an uninterrupted one (each segment is encoded alone, from the same frames, by a
 * deterministic encoder). Segments are written under a temporary name and renamed when ffmpeg has finished, so a
 * segment file that exists is complete. The joined file, too, is written beside the output and renamed at the end:
 * a failed or interrupted render never leaves a half-written file at the output path.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { CodecSpec } from './codecs.js';
import type { PipeReport, PipeRequest } from './pipeWorker.js';
import { spawnFfmpeg, type FfmpegExit } from './ffmpegChild.js';
import { scaleFilter, type FitMode, type Size } from './size.js';

export interface SegmentOptions {
  ffmpeg: string;
  /** The model's picture (the frames written). */
  source: Size;
  /** The output picture. */
  output: Size;
  fit: FitMode;
  /** Frames per second as ffmpeg reads it ('30', '30000/1001'). */
  fps: string;
  codec: CodecSpec;
  crf: number;
}

/** An ffmpeg failure: its last stderr line, said with what it was doing. */
export class EncoderError extends Error {
  override name = 'EncoderError';
}

/** Why ffmpeg failed, from its exit and the last line it wrote (null: it succeeded). */
function exitError(what: string, ffmpeg: string, r: FfmpegExit): EncoderError | null {
  if (r.startError) return new EncoderError(`${what}: cannot start ffmpeg (${ffmpeg}): ${r.startError}`);
  if (r.code === 0) return null;
  const last = r.stderrTail.trim().split('\n').filter(Boolean).pop() ?? '';
  return new EncoderError(`${what}: ffmpeg ${r.signal ? `was killed (${r.signal})` : `exited with ${r.code}`}${last ? `: ${last}` : ''}`);
}

/** An ffmpeg that reads nothing (the join), run to its end. */
function runFfmpeg(ffmpeg: string, args: string[], what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    spawnFfmpeg(ffmpeg, args, false, (exit) => {
      const e = exitError(what, ffmpeg, exit);
      if (e) reject(e);
      else resolve();
    });
  });
}

/** The ffmpeg arguments of one video-only segment read as raw RGBA from stdin. */
export function segmentArgs(o: SegmentOptions, file: string): string[] {
  return [
    '-nostdin',
    '-hide_banner',
    '-v',
    'error',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgba',
    '-s',
    `${o.source.width}x${o.source.height}`,
    '-framerate',
    o.fps,
    '-i',
    'pipe:0',
    '-vf',
    scaleFilter(o.source, o.output, o.fit),
    '-c:v',
    o.codec.encoder,
    '-pix_fmt',
    o.codec.pixFmt,
    ...o.codec.quality(o.crf),
    // Segments carry no encoder-version tag or creation time, so identical frames give identical files.
    '-fflags',
    '+bitexact',
    '-map_metadata',
    '-1',
    '-an',
    '-f',
    'mov',
    '-y',
    file,
  ];
}

/**
 * Frames a segment may have on their way to ffmpeg (posted to the pipe thread, not yet in the pipe): enough that
 * the generator runs on while ffmpeg reads the last frames, few enough that a fast generator cannot heap up
 * memory in front of a slow encoder (it waits instead: backpressure).
 */
export const MAX_FRAMES_IN_FLIGHT = 3;

/**
 * The segment encoders' niceness: low enough that the generator's threads win a contended core, not so low that
 * other programs starve the encoder (the render waits on it at the end of every segment).
 */
export const ENCODER_NICENESS = 10;

type Closed = Extract<PipeReport, { t: 'closed' }>;

interface SegmentLink {
  written(): void;
  closed(r: Closed): void;
  /** The pipe thread itself failed: every open segment fails with it. */
  lost(e: Error): void;
}

/**
 * The process's pipe thread (pipeWorker.ts), started with the first segment and kept for the next: held (ref'd)
 * only while a segment is open, so it never keeps a finished program alive.
 */
class PipeThread {
  private static current: PipeThread | null = null;
  private readonly worker = new Worker(new URL('./pipeWorker.js', import.meta.url));
  private readonly links = new Map<number, SegmentLink>();
  private nextId = 1;

  static get(): PipeThread {
    PipeThread.current ??= new PipeThread();
    return PipeThread.current;
  }

  private constructor() {
    this.worker.on('message', (r: PipeReport) => {
      const link = this.links.get(r.id);
      if (!link) return;
      if (r.t === 'written') link.written();
      else {
        this.links.delete(r.id);
        if (this.links.size === 0) this.worker.unref();
        link.closed(r);
      }
    });
    const lose = (e: Error): void => {
      if (PipeThread.current === this) PipeThread.current = null;
      const links = [...this.links.values()];
      this.links.clear();
      for (const l of links) l.lost(e);
    };
    this.worker.on('error', (e) => lose(new EncoderError(`the encoders' pipe thread failed: ${e.message}`)));
    this.worker.on('exit', (code) => lose(new EncoderError(`the encoders' pipe thread ended (exit code ${code})`)));
  }

  open(link: SegmentLink, ffmpeg: string, args: string[], slots: SharedArrayBuffer, frameBytes: number): number {
    const id = this.nextId++;
    this.links.set(id, link);
    this.worker.ref();
    this.send({ t: 'open', id, ffmpeg, args, niceness: ENCODER_NICENESS, slots, frameBytes });
    return id;
  }

  send(m: PipeRequest): void {
    this.worker.postMessage(m);
  }
}

/**
 * One segment being written: frames go in, in order; `finish()` waits for the file. ffmpeg is fed from a thread of
 * its own (pipeWorker.ts), so writing a frame costs the caller a copy into shared memory, not a wait on the pipe.
 */
export class SegmentWriter {
  private readonly thread = PipeThread.get();
  private readonly id: number;
  private readonly frameBytes: number;
  /** MAX_FRAMES_IN_FLIGHT frames, shared with the pipe thread: frame n goes to slot n mod MAX_FRAMES_IN_FLIGHT. */
  private readonly slots: Uint8Array;
  private readonly closed: Promise<void>;
  private failed: Error | null = null;
  private isClosed = false;
  private inFlight = 0;
  private wake: (() => void) | null = null;
  frames = 0;

  constructor(
    private readonly o: SegmentOptions,
    private readonly tmpFile: string,
    private readonly finalFile: string,
  ) {
    this.frameBytes = o.source.width * o.source.height * 4;
    const shared = new SharedArrayBuffer(MAX_FRAMES_IN_FLIGHT * this.frameBytes);
    this.slots = new Uint8Array(shared);
    let settle: { resolve: () => void; reject: (e: Error) => void } | null = null;
    this.closed = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    this.closed.catch(() => undefined); // reported by write/finish
    const end = (e: Error | null): void => {
      this.isClosed = true;
      if (e) this.failed ??= e;
      this.wakeUp();
      if (this.failed) settle!.reject(this.failed);
      else settle!.resolve();
    };
    this.id = this.thread.open(
      {
        written: () => {
          this.inFlight -= 1;
          this.wakeUp();
        },
        closed: (r) => end(exitError(finalFile, o.ffmpeg, r)),
        lost: (e) => end(new EncoderError(`${finalFile}: ${e.message}`)),
      },
      o.ffmpeg,
      segmentArgs(o, tmpFile),
      shared,
      this.frameBytes,
    );
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Hands one frame (width·height·4 bytes, copied) to ffmpeg, waiting while too many are in flight. */
  async write(rgba: Uint8Array): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.isClosed) throw new EncoderError(`${this.finalFile}: frame ${this.frames} written after the segment was closed`);
    const expected = this.frameBytes;
    if (rgba.length < expected) throw new EncoderError(`${this.finalFile}: frame ${this.frames} has ${rgba.length} bytes, expected ${expected}`);
    // Copied into the next slot: the caller may keep its picture (the post remembers the last one for trails). The
    // slot is free: write() returns only once fewer than MAX_FRAMES_IN_FLIGHT frames are on their way, and the pipe
    // takes them in order, so the slot's previous frame (MAX_FRAMES_IN_FLIGHT back) has been written.
    const slot = this.frames % MAX_FRAMES_IN_FLIGHT;
    this.slots.set(rgba.length === expected ? rgba : rgba.subarray(0, expected), slot * expected);
    this.thread.send({ t: 'frame', id: this.id, slot });
    this.inFlight += 1;
    this.frames += 1;
    while (this.inFlight >= MAX_FRAMES_IN_FLIGHT && !this.isClosed) await new Promise<void>((r) => (this.wake = r));
    if (this.failed) throw this.failed;
  }

  /** Closes the pipe, waits for ffmpeg, and renames the segment into place. */
  async finish(): Promise<void> {
    if (!this.isClosed) this.thread.send({ t: 'end', id: this.id });
    await this.closed;
    await rename(this.tmpFile, this.finalFile);
  }

  /** Stops ffmpeg and removes the unfinished file. */
  async abort(): Promise<void> {
    if (!this.isClosed) this.thread.send({ t: 'kill', id: this.id });
    await this.closed.catch(() => undefined);
    await rm(this.tmpFile, { force: true });
  }
}

export interface JoinOptions {
  ffmpeg: string;
  segments: string[];
  /** Where the concat list is written. */
  listFile: string;
  codec: CodecSpec;
  container: string;
  /** The audio to mux, from `startS` for `durationS` (null: video only). */
  audio: { file: string; startS: number; durationS: number } | null;
  /** The video's exact duration (frames / fps). */
  videoDurationS: number;
  out: string;
}

const quote = (p: string): string => `'${p.replace(/'/g, "'\\''")}'`;

export function joinArgs(o: JoinOptions, tmpOut: string): string[] {
  const fmt = o.container === '.mkv' ? 'matroska' : o.container === '.mov' ? 'mov' : 'mp4';
  const audioIn = o.audio ? ['-ss', o.audio.startS.toFixed(6), '-t', o.audio.durationS.toFixed(6), '-i', o.audio.file] : [];
  return [
    '-nostdin',
    '-hide_banner',
    '-v',
    'error',
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    o.listFile,
    ...audioIn,
    '-map',
    '0:v:0',
    ...(o.audio ? ['-map', '1:a:0', ...o.codec.audio(o.container)] : []),
    '-c:v',
    'copy',
    ...o.codec.tag(o.container),
    '-t',
    o.videoDurationS.toFixed(6),
    '-fflags',
    '+bitexact',
    '-map_metadata',
    '-1',
    ...(fmt === 'mp4' || fmt === 'mov' ? ['-movflags', '+faststart'] : []),
    '-f',
    fmt,
    '-y',
    tmpOut,
  ];
}

/**
 * Joins finished segments and the audio into `out`: written to a temporary file beside it, renamed into place
 * when ffmpeg succeeded, removed when it failed.
 */
export async function joinSegments(o: JoinOptions): Promise<void> {
  await writeFile(o.listFile, 'ffconcat version 1.0\n' + o.segments.map((s) => `file ${quote(s)}\n`).join(''));
  const tmpOut = `${o.out}.tmp-${process.pid}${o.container}`;
  try {
    await runFfmpeg(o.ffmpeg, joinArgs(o, tmpOut), o.out);
    await rename(tmpOut, o.out);
  } catch (e) {
    await rm(tmpOut, { force: true });
    throw e;
  }
}
