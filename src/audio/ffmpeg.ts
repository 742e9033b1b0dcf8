/**
 * Compressed audio (mp3, flac, ogg, m4a, …) decoded by spawning `ffmpeg`. ffmpeg writes 32-bit float WAV to a
 * pipe (rate and channel count travel in the header, the data size is left open), which our WAV decoder reads.
 * Decoding happens once, into memory, before playback starts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { UserError } from '../errors.js';
import { FFMPEG_INSTALL_HINT, ffmpegBinary } from '../ffmpeg.js';
import { decodeWav, type DecodedAudio } from './wav.js';

export interface FfmpegOptions {
  /** The ffmpeg executable (default: the one `ffmpegBinary()` resolves). */
  ffmpegPath?: string;
}

/** Decodes any file ffmpeg can read into planar float audio at the file's own rate and channel count. */
export function decodeWithFfmpeg(path: string, opts: FfmpegOptions = {}): Promise<DecodedAudio> {
  if (!existsSync(path)) return Promise.reject(new UserError(`${path}: cannot read audio file (no such file)`));
  const exe = opts.ffmpegPath ?? ffmpegBinary()?.path;
  if (!exe) {
    return Promise.reject(new UserError(`${path}: decoding this format needs ffmpeg, which was not found; ${FFMPEG_INSTALL_HINT}, or convert the file to WAV`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(exe, ['-nostdin', '-hide_banner', '-v', 'error', '-i', path, '-vn', '-f', 'wav', '-acodec', 'pcm_f32le', '-'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      if (err.length < 8192) err += b.toString('utf8');
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') {
        reject(new UserError(`${path}: decoding this format needs ffmpeg, which was not found ("${exe}" does not exist); ${FFMPEG_INSTALL_HINT}, or convert the file to WAV`));
      } else reject(new UserError(`${path}: could not start ffmpeg ("${exe}"): ${e.message}`));
    });
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const last = err.trim().split('\n').filter(Boolean).pop() ?? `exit ${code ?? signal}`;
        reject(new UserError(`${path}: ffmpeg could not decode it: ${last}`));
        return;
      }
      try {
        const audio = decodeWav(Buffer.concat(out), `${path} (via ffmpeg)`);
        if (audio.channels[0]!.length === 0) throw new UserError(`${path}: ffmpeg decoded no audio samples (no audio stream?)`);
        resolve(audio);
      } catch (e) {
        reject(e);
      }
    });
  });
}
