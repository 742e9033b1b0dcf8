/**
 * Reads an audio file by its content: RIFF/WAVE is decoded in-process; anything else goes through ffmpeg.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { UserError } from '../errors.js';
import { readWavFile, type DecodedAudio } from './wav.js';
import { decodeWithFfmpeg, type FfmpegOptions } from './ffmpeg.js';

function sniff(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: cannot read audio file (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message})`);
  }
  try {
    const head = Buffer.alloc(12);
    const n = readSync(fd, head, 0, 12, 0);
    return head.subarray(0, n);
  } catch (e) {
    throw new UserError(`${path}: cannot read audio file (${(e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : (e as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

/** Whether a file is to be read as WAV (by its first bytes, or by its extension); errors name the path. */
export function sniffAudio(path: string): { isWav: boolean } {
  const head = sniff(path);
  if (head.length === 0) throw new UserError(`${path}: audio file is empty`);
  const isWav = head.length >= 12 && ['RIFF', 'RF64'].includes(head.toString('latin1', 0, 4)) && head.toString('latin1', 8, 12) === 'WAVE';
  return { isWav: isWav || /\.wave?$/i.test(path) };
}

/** Decodes WAV in-process and every other format through ffmpeg (a clear error naming ffmpeg when it is missing). */
export async function readAudioFile(path: string, opts: FfmpegOptions = {}): Promise<DecodedAudio> {
  if (sniffAudio(path).isWav) return readWavFile(path);
  return decodeWithFfmpeg(path, opts);
}
