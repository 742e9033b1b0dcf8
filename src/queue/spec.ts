/**
 * What a queued render's jobs carry: everything a worker needs to render the same frames as the coordinator,
 * and to check that it does. The spec is small and rides in every chunk's job; the two bulky inputs (the
 * analysed features and the mapping text) are files in the render's folder on the shared path, named by their
 * sha256 in the spec, so a worker reads exactly what the coordinator wrote and refuses a stale or foreign copy.
 *
 * Folder layout under the shared root (`--shared`):
 *   <id>/render.json      the spec (for people and for `worker` to print what it joins)
 *   <id>/features.jsonl.gz every analysis hop of the track (Float32Arrays tagged, so the round trip is exact)
 *   <id>/mapping.<ext>    the mapping text as the coordinator loaded it
 *   <id>/session/         instead of the two above, a recorded session's files (render --session)
 *   <id>/seg-00000.mov …  finished segments (the render's own names; written under a temporary name, renamed)
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Features } from '../analysis/types.js';
import type { CodecName } from '../render/codecs.js';
import type { FrameWindow } from '../render/frameSource.js';
import type { FitMode, Size } from '../render/size.js';
import { PACKAGE_ROOT } from '../paths.js';
import type { Chunk } from './plan.js';

export const SPEC_FORMAT = 'latentvj-queued-render';
export const SPEC_VERSION = 2;

export interface QueuedRenderSpec {
  format: typeof SPEC_FORMAT;
  version: number;
  /** The render's folder name under the shared root: a hash of everything that changes a frame. */
  id: string;
  /** The latentvj version that planned it; a worker of another version refuses. */
  latentvj: string;
  model: { origin: string; generatorSha256: string; width: number; height: number };
  /** The mapping and the analysed features of a track (null for a recorded session, which carries its own). */
  mapping: { file: string; sha256: string; source: string } | null;
  /** Files the mapping names by a relative path (latent banks, mask images), copied beside it. */
  assets: Array<{ file: string; sha256: string }>;
  analysis: { file: string; sha256: string; hops: number } | null;
  /** A recorded session (render --session) instead of a track: its copy in the render's folder. */
  session: SessionSpec | null;
  window: FrameWindow;
  output: Size;
  fit: FitMode;
  codec: CodecName;
  crf: number;
  batch: number;
  segmentFrames: number;
  /** The provider the coordinator resolved (workers may use another with --ep; see docs/render.md). */
  ep: string;
}

/** A recorded session's copy (queue/sessionInput.ts). */
export interface SessionSpec {
  /** The copy's folder inside the render's folder. */
  dir: string;
  /** The session's content: sha256 over every file's name and sha256. */
  sha256: string;
  files: Array<{ file: string; sha256: string }>;
  /** The params live showed (true), or the recorded inputs replayed through the pipeline (false). */
  recordedParams: boolean;
}

/** One BullMQ job: a chunk of a render. */
export interface ChunkJobData {
  spec: QueuedRenderSpec;
  chunk: Chunk;
}

/** What a worker reports while it renders a chunk (BullMQ progress). */
export interface ChunkProgress {
  worker: string;
  frames: number;
  /** This worker's frames per second over the chunks it rendered so far (encoded frames, warm-up excluded). */
  fps: number;
}

/** What a worker returns for a finished chunk. */
export interface ChunkResult {
  worker: string;
  /** The provider the worker's generator ran on. */
  ep: string;
  frames: number;
  warmupFrames: number;
  renderMs: number;
  /** The worker process's own CPU time over the chunk (its ffmpeg encoders not included). */
  cpuMs: number;
}

export function latentvjVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** sha256 of a (possibly large) file, streamed. */
export function fileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (b) => h.update(b))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

const tagF32 = (_k: string, v: unknown): unknown => (v instanceof Float32Array ? { f32: Array.from(v) } : ArrayBuffer.isView(v) ? badView(v) : v);
const badView = (v: ArrayBufferView): never => {
  throw new Error(`features: a ${v.constructor.name} field cannot be written to the shared folder (only Float32Array is)`);
};
const untagF32 = (_k: string, v: unknown): unknown => {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'f32' && Array.isArray((v as { f32: unknown }).f32)) return Float32Array.from((v as { f32: number[] }).f32);
  }
  return v;
};

/**
 * Features as gzipped JSON lines, one hop a line: Float32Arrays become `{"f32":[…]}` (a float32 survives the trip
 * through a double exactly). Lines, not one JSON text, because a 2-hour track has ~720,000 hops: one string of
 * that would pass V8's largest string; gzip because the shared folder carries it to every worker.
 */
export function featuresFile(features: readonly Features[]): Buffer {
  const lines = features.map((f) => JSON.stringify(f, tagF32));
  return gzipSync(Buffer.from(lines.join('\n') + '\n', 'utf8'), { level: 6 });
}

export async function readFeatures(gz: Buffer): Promise<Features[]> {
  const out: Features[] = [];
  const rl = createInterface({ input: Readable.from([gz]).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) if (line) out.push(JSON.parse(line, untagF32) as Features);
  return out;
}

/** What this worker has, compared with what the job needs. */
export interface WorkerIdentity {
  latentvj: string;
  modelDir: string;
  model: { origin: string; generatorSha256: string; width: number; height: number };
}

/** Null when the worker renders what the spec asks; else the one line saying what differs. */
export function identityMismatch(spec: QueuedRenderSpec, me: WorkerIdentity): string | null {
  if (spec.format !== SPEC_FORMAT || spec.version !== SPEC_VERSION) {
    return `render ${spec.id}: job format ${String(spec.format)} v${String(spec.version)}, this worker reads ${SPEC_FORMAT} v${SPEC_VERSION}`;
  }
  if (spec.latentvj !== me.latentvj) return `render ${spec.id}: planned by latentvj ${spec.latentvj}, this worker is latentvj ${me.latentvj}; run the same version on every machine`;
  if (spec.model.generatorSha256 !== me.model.generatorSha256 || spec.model.origin !== me.model.origin) {
    return (
      `render ${spec.id}: model differs — the job's generator has sha256 ${spec.model.generatorSha256.slice(0, 12)}… (checkpoint ${spec.model.origin.slice(0, 12)}…), ` +
      `this worker's --model ${me.modelDir} has ${me.model.generatorSha256.slice(0, 12)}… (checkpoint ${me.model.origin.slice(0, 12)}…); copy the coordinator's model folder`
    );
  }
  return null;
}

/** Reads a file of the render's folder and checks it against the sha256 the spec names. */
export async function readChecked(dir: string, name: string, expected: string, what: string): Promise<Buffer> {
  const file = join(dir, name);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new SpecMismatch(`${what} ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)}); is --shared the folder the coordinator writes to?`);
  }
  const got = sha256(bytes);
  if (got !== expected) throw new SpecMismatch(`${what} ${file} has sha256 ${got.slice(0, 12)}…, the job says ${expected.slice(0, 12)}… (a stale or foreign copy in the shared folder)`);
  return bytes;
}

/** The worker cannot render this job as asked: it refuses (one line) rather than render something else. */
export class SpecMismatch extends Error {
  override name = 'SpecMismatch';
}
