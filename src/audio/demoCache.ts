/**
 * The demo track's samples kept on disk between processes. Synthesis costs about a second of CPU, and every
 * `latentvj` start on the demo, every render of it and many tests pay it again; reading the stored samples costs a
 * few milliseconds. The key is a hash of the synthesiser's own compiled code and the sample rate, so a changed
 * synthesiser never reads an old file. The folder is the package's `.cache/` (beside the models' caches); a
 * read-only install simply synthesises every time.
 *
 * Layout: "LVJDEMO1", u32 truth JSON byte length, the JSON, zero padding to 4 bytes, then the left and the right
 * channel as little-endian float32. A file of any other size or shape is ignored and replaced.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../paths.js';
import type { DemoTruth } from './types.js';

const MAGIC = 'LVJDEMO1';

export interface CachedDemo {
  sampleRate: number;
  channels: Float32Array[];
  truth: DemoTruth;
}

let codeHash: string | null = null;

/** A hash of the synthesiser's code (the compiled demo module): its samples change only when it does. */
function synthHash(): string {
  if (codeHash === null) {
    const demoModule = fileURLToPath(new URL('./demo.js', import.meta.url));
    codeHash = createHash('sha256').update(readFileSync(demoModule)).digest('hex').slice(0, 16);
  }
  return codeHash;
}

export function demoCachePath(sampleRate: number, dir: string = join(PACKAGE_ROOT, '.cache')): string {
  return join(dir, `demo-${synthHash()}-${sampleRate}.f32`);
}

/** The stored render at `sampleRate`, or null when there is none or it is not exactly what this code writes. */
export function readCachedDemo(sampleRate: number, dir?: string): CachedDemo | null {
  let buf: Buffer;
  try {
    buf = readFileSync(demoCachePath(sampleRate, dir));
  } catch {
    return null;
  }
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) return null;
  const jsonBytes = buf.readUInt32LE(8);
  const dataStart = 12 + Math.ceil(jsonBytes / 4) * 4;
  if (dataStart > buf.length) return null;
  let truth: DemoTruth;
  try {
    truth = JSON.parse(buf.toString('utf8', 12, 12 + jsonBytes)) as DemoTruth;
  } catch {
    return null;
  }
  const n = Math.round(truth.durationS * sampleRate);
  if (truth.sampleRate !== sampleRate || buf.length !== dataStart + 8 * n) return null;
  // The file's own buffer when the samples sit at a 4-byte boundary of it (a large read gets a buffer of its own),
  // else an aligned copy: 20 MB copied is page faults and time in every process that starts on the demo.
  const at = buf.byteOffset + dataStart;
  let samples: Float32Array;
  if (at % 4 === 0) samples = new Float32Array(buf.buffer, at, 2 * n);
  else {
    samples = new Float32Array(2 * n);
    new Uint8Array(samples.buffer).set(buf.subarray(dataStart));
  }
  return { sampleRate, channels: [samples.subarray(0, n), samples.subarray(n)], truth };
}

/** Stores a render (write to a temporary name, then rename: readers never see half a file). Never throws. */
export function writeCachedDemo(render: CachedDemo, dir?: string): void {
  const file = demoCachePath(render.sampleRate, dir);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const json = Buffer.from(JSON.stringify(render.truth), 'utf8');
    const head = Buffer.alloc(12 + Math.ceil(json.length / 4) * 4);
    head.write(MAGIC, 0, 'latin1');
    head.writeUInt32LE(json.length, 8);
    json.copy(head, 12);
    const [l, r] = render.channels as [Float32Array, Float32Array];
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(tmp, Buffer.concat([head, Buffer.from(l.buffer, l.byteOffset, l.byteLength), Buffer.from(r.buffer, r.byteOffset, r.byteLength)]));
    renameSync(tmp, file);
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The folder itself is unusable: there is nothing to clean up.
    }
  }
}
