/**
 * The resumable state of an unfinished render, in `<out>.partial/`:
 *   state.json          { format, version, key, settings, frameCount, segmentFrames, segments: [...] }
 *   seg-00000.mov …     finished video segments (a segment file exists only once ffmpeg finished it)
 *   post-00000.bin …    the post processor's memory after each segment (trails/crossfade), so a resumed render
 *                       continues exactly
 *   audio.wav           the demo track, when the audio is the built-in one
 * The key is a hash of everything that changes a frame (audio, mapping text, model, size, fps, window, codec,
 * quality, batch, segment length, provider); --resume refuses a state made with other settings.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';

export const PARTIAL_FORMAT = 'latentvj-render-partial';
// 2: H.264 segments are encoded with x264's superfast preset; a v1 state's segments (medium) must not be joined
// with them.
export const PARTIAL_VERSION = 2;

export interface PartialState {
  format: typeof PARTIAL_FORMAT;
  version: number;
  key: string;
  settings: Record<string, unknown>;
  frameCount: number;
  segmentFrames: number;
  /** Scene of the last frame of each finished segment (the post processor's memory). */
  segments: Array<{ index: number; frames: number; scene: number | string | null }>;
}

export const partialDirFor = (out: string): string => `${out}.partial`;
export const segmentFile = (dir: string, i: number): string => join(dir, `seg-${String(i).padStart(5, '0')}.mov`);
export const postFile = (dir: string, i: number): string => join(dir, `post-${String(i).padStart(5, '0')}.bin`);

/** A stable hash of the settings (keys sorted) plus file identities (size and modification time). */
export function settingsKey(settings: Record<string, unknown>): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
      : v;
  return createHash('sha256').update(JSON.stringify(sorted(settings))).digest('hex').slice(0, 24);
}

/** What identifies a file's content cheaply: its size and modification time (and the text's hash when small). */
export function fileIdentity(path: string): string {
  const st = statSync(path);
  if (st.size < 1 << 20) return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
  return `${st.size}:${Math.round(st.mtimeMs)}`;
}

export async function readPartial(dir: string): Promise<PartialState | null> {
  const file = join(dir, 'state.json');
  if (!existsSync(file)) return null;
  let s: PartialState;
  try {
    s = JSON.parse(await readFile(file, 'utf8')) as PartialState;
  } catch (e) {
    throw new UserError(`${file}: unreadable render state (${(e as Error).message}); remove ${dir} or render with --force`);
  }
  if (s.format !== PARTIAL_FORMAT || s.version !== PARTIAL_VERSION) {
    throw new UserError(`${file}: not a render state of this version (format ${String(s.format)} v${String(s.version)}); render with --force to start over`);
  }
  return s;
}

export async function writePartial(dir: string, s: PartialState): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'state.json');
  await writeFile(`${file}.tmp`, JSON.stringify(s, null, 1) + '\n');
  await rename(`${file}.tmp`, file);
}

/** Segments finished in order from the first (a gap ends the run: later ones are encoded again). */
export function finishedSegments(dir: string, s: PartialState): number {
  let n = 0;
  while (n < s.segments.length && s.segments[n]!.index === n && existsSync(segmentFile(dir, n)) && existsSync(postFile(dir, n))) n++;
  return n;
}

export const removePartial = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });
