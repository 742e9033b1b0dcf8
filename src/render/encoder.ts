/**
 * The encoder sink: RGBA frames into ffmpeg through its stdin (rawvideo), one ffmpeg per segment of K frames,
 * and a final join that copies the segments' video (no re-encode) and muxes the source audio beside it.
 *
 * A render is always cut into segments, resumed or not, so an interrupted render finished with --resume gives
 * the very same bitstream as an uninterrupted one (each segment is encoded alone, from the same frames, by a
 * deterministic encoder). Segments are written under a temporary name and renamed when ffmpeg has finished, so a
 * segment file that exists is complete. The joined file, too, is written beside the output and renamed at the end:
 * a failed or interrupted render never leaves a half-written file at the output path.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rename, rm, writeFile } from 'node:fs/promises';
import type { CodecSpec } from './codecs.js';
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

const LAST_LINES = 8192;

function runFfmpeg(ffmpeg: string, args: string[], what: string): { child: ChildProcessWithoutNullStreams; done: Promise<void> } {
  // Its own process group: a Ctrl-C at the terminal reaches only us, and we decide what happens to the segment.
  const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  let err = '';
  child.stderr.on('data', (b: Buffer) => {
    err = (err + b.toString('utf8')).slice(-LAST_LINES);
  });
  child.stdout.resume();
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (e) => reject(new EncoderError(`${what}: cannot start ffmpeg (${ffmpeg}): ${e.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else {
        const last = err.trim().split('\n').filter(Boolean).pop() ?? '';
        reject(new EncoderError(`${what}: ffmpeg ${signal ? `was killed (${signal})` : `exited with ${code}`}${last ? `: ${last}` : ''}`));
      }
    });
  });
  // A write after ffmpeg died is reported by `done` with ffmpeg's own reason, not as an unhandled EPIPE.
  child.stdin.on('error', () => {});
  return { child, done };
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

/** One segment being written: frames go in, in order; `finish()` waits for the file. */
export class SegmentWriter {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly done: Promise<void>;
  private failed: Error | null = null;
  frames = 0;

  constructor(
    private readonly o: SegmentOptions,
    private readonly tmpFile: string,
    private readonly finalFile: string,
  ) {
    const r = runFfmpeg(o.ffmpeg, segmentArgs(o, tmpFile), finalFile);
    this.child = r.child;
    this.done = r.done;
    this.done.catch((e: Error) => (this.failed = e));
  }

  /** Writes one frame (exactly width·height·4 bytes), waiting while ffmpeg's pipe is full. */
  async write(rgba: Uint8Array): Promise<void> {
    if (this.failed) throw this.failed;
    const expected = this.o.source.width * this.o.source.height * 4;
    if (rgba.length < expected) throw new EncoderError(`${this.finalFile}: frame ${this.frames} has ${rgba.length} bytes, expected ${expected}`);
    const ok = this.child.stdin.write(rgba.length === expected ? rgba : rgba.subarray(0, expected));
    this.frames += 1;
    if (!ok) {
      await new Promise<void>((resolve) => {
        const go = (): void => {
          this.child.stdin.off('drain', go);
          this.child.off('close', go);
          resolve();
        };
        this.child.stdin.on('drain', go);
        this.child.on('close', go);
      });
      if (this.failed) throw this.failed;
    }
  }

  /** Closes the pipe, waits for ffmpeg, and renames the segment into place. */
  async finish(): Promise<void> {
    this.child.stdin.end();
    await this.done;
    await rename(this.tmpFile, this.finalFile);
  }

  /** Stops ffmpeg and removes the unfinished file. */
  async abort(): Promise<void> {
    this.child.stdin.destroy();
    this.child.kill('SIGKILL');
    await this.done.catch(() => undefined);
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
    const { child, done } = runFfmpeg(o.ffmpeg, joinArgs(o, tmpOut), o.out);
    child.stdin.end();
    await done;
    await rename(tmpOut, o.out);
  } catch (e) {
    await rm(tmpOut, { force: true });
    throw e;
  }
}
