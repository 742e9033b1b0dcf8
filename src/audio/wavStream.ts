/**
 * A WAV file read from disk block by block, for the live file source: the header is parsed and validated when the
 * file is opened (format, rate, channels, data size), and each block reads only its own bytes. A 2 GB recording
 * starts at once and costs a block of memory, not the whole file (nor the 2 GB limit of one Node buffer).
 *
 * Reads are synchronous positioned reads of one block (a few kilobytes, from the page cache once the file has been
 * played): the pacing timer that asks for a block is the only caller, so there is nothing to overlap with.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from '../errors.js';
import { decodeFrames, parseFmt, type WavFormat } from './wav.js';

export interface WavStream {
  readonly path: string;
  readonly format: WavFormat;
  readonly sampleRate: number;
  readonly channelCount: number;
  /** Frames in the data chunk. */
  readonly frames: number;
  /** Decodes frames [pos, pos + n) into planar `out` (one array per file channel) at `outOffset`. */
  read(pos: number, n: number, out: Float32Array[], outOffset: number): void;
  close(): void;
}

const ascii = (b: Buffer): string => b.toString('latin1').replace(/[^\x20-\x7e]/g, '?');

/** Opens and validates a WAV file; every problem is a UserError naming the path. */
export function openWavStream(path: string): WavStream {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: cannot read audio file (${code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
  }
  try {
    return parse(fd, path);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

function parse(fd: number, path: string): WavStream {
  const fileBytes = fstatSync(fd).size;
  const readAt = (at: number, n: number): Buffer => {
    const b = Buffer.alloc(n);
    const got = readSync(fd, b, 0, n, at);
    return b.subarray(0, got);
  };
  const head = readAt(0, 12);
  const magic = ascii(head.subarray(0, 4));
  if (head.length < 12 || (magic !== 'RIFF' && magic !== 'RF64') || ascii(head.subarray(8, 12)) !== 'WAVE') {
    throw new UserError(`${path}: not a WAV file (${head.length === 0 ? 'is empty' : `starts with "${ascii(head)}"`}; expected "RIFF....WAVE")`);
  }
  let fmt: WavFormat | null = null;
  let dataAt = -1;
  let dataSize = 0;
  let at = 12;
  // Chunks are walked by their headers; only fmt's body is read. A hostile file could declare many tiny chunks:
  // the walk is bounded by the file's size in steps of at least 8 bytes, and by a chunk count.
  for (let chunks = 0; at + 8 <= fileBytes && chunks < 10_000; chunks++) {
    const h = readAt(at, 8);
    const id = ascii(h.subarray(0, 4));
    let size = h.readUInt32LE(4);
    const body = at + 8;
    const remaining = fileBytes - body;
    if (id === 'data') {
      if (size === 0xffffffff || (size === 0 && remaining > 0)) size = remaining;
      if (size > remaining) throw new UserError(`${path}: truncated WAV: data chunk at byte ${at} declares ${size} bytes but only ${remaining} remain`);
      dataAt = body;
      dataSize = size;
      if (fmt) break;
    } else if (id === 'fmt ') {
      if (size > remaining) throw new UserError(`${path}: truncated WAV: fmt chunk at byte ${at} declares ${size} bytes but only ${remaining} remain`);
      if (size > 1024) throw new UserError(`${path}: fmt chunk of ${size} bytes; a WAV fmt chunk is at most a few dozen`);
      const b = readAt(body, size);
      fmt = parseFmt(new DataView(b.buffer, b.byteOffset, b.byteLength), 0, size, path);
      if (dataAt >= 0) break;
    } else if (size > remaining) {
      throw new UserError(`${path}: truncated WAV: "${id}" chunk at byte ${at} declares ${size} bytes but only ${remaining} remain`);
    }
    at = body + size + (size & 1);
  }
  if (!fmt) throw new UserError(`${path}: WAV has no fmt chunk (truncated or not a WAV file)`);
  if (dataAt < 0) throw new UserError(`${path}: WAV has no data chunk (truncated?)`);
  const format = fmt;
  const frames = Math.floor(dataSize / format.blockAlign);
  if (frames === 0) throw new UserError(`${path}: the file holds no audio samples`);
  let buf = Buffer.alloc(0);
  let closed = false;
  return {
    path,
    format,
    sampleRate: format.sampleRate,
    channelCount: format.channels,
    frames,
    read(pos: number, n: number, out: Float32Array[], outOffset: number): void {
      if (closed) throw new Error(`${path}: read after close`);
      const bytes = n * format.blockAlign;
      if (buf.length < bytes) buf = Buffer.alloc(bytes);
      const got = readSync(fd, buf, 0, bytes, dataAt + pos * format.blockAlign);
      const whole = Math.floor(got / format.blockAlign);
      decodeFrames(buf, 0, whole, format, out, outOffset);
      // A file cut short while playing (still being written, or truncated) reads as silence, not as a crash.
      for (let c = 0; c < out.length; c++) out[c]!.fill(0, outOffset + whole, outOffset + n);
    },
    close(): void {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}
