/**
 * A segment is the same file whatever machine encodes it: a queued render joins segments from workers with other
 * core counts, and a resumed render may finish on another machine. The encoder's default thread count follows
 * the cores the process may use, and x264/x265 frame threads change the bits; so one segment is written by the
 * real SegmentWriter twice, once through an ffmpeg confined to one core (taskset) and once with every core, and
 * the two files must be byte for byte equal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { CODECS, type CodecName } from '../../src/render/codecs.js';
import { SegmentWriter } from '../../src/render/encoder.js';
import { requireFfmpeg } from '../../src/render/ffmpegPath.js';
import { tmp } from './helpers.js';

const W = 320;
const H = 180;
const FRAMES = 24;

/** Moving bands over seeded noise: motion and detail, so frame threads have work that can differ. */
function frames(): Uint8Array[] {
  let s = 12345;
  const out: Uint8Array[] = [];
  for (let f = 0; f < FRAMES; f++) {
    const px = new Uint8Array(W * H * 4);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        s = (s * 1103515245 + 12345) >>> 0;
        const i = (y * W + x) * 4;
        px[i] = (x * 3 + f * 7 + (s >>> 28)) & 255;
        px[i + 1] = (y * 2 + Math.round(40 * Math.sin((x + f * 5) / 17))) & 255;
        px[i + 2] = ((x ^ y) + f * 11) & 255;
        px[i + 3] = 255;
      }
    }
    out.push(px);
  }
  return out;
}

async function segment(ffmpeg: string, codec: CodecName, file: string, pictures: Uint8Array[]): Promise<Buffer> {
  const c = CODECS[codec];
  const w = new SegmentWriter({ ffmpeg, source: { width: W, height: H }, output: { width: W, height: H }, fit: 'fit', fps: '30', codec: c, crf: c.defaultCrf }, `${file}.tmp`, file);
  for (const p of pictures) await w.write(p);
  await w.finish();
  return readFileSync(file);
}

const taskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const skip = !taskset ? 'needs taskset (util-linux)' : availableParallelism() < 2 ? 'needs two cores to compare with one' : false;

test('h264 and h265 segments are byte-identical whether ffmpeg may use one core or all of them', { skip }, async () => {
  const t = tmp();
  try {
    const ffmpeg = requireFfmpeg();
    const oneCore = join(t.dir, 'ffmpeg-one-core');
    writeFileSync(oneCore, `#!/bin/sh\nexec taskset -c 0 '${ffmpeg}' "$@"\n`);
    chmodSync(oneCore, 0o755);
    const pictures = frames();
    for (const codec of ['h264', 'h265'] as const) {
      const all = await segment(ffmpeg, codec, join(t.dir, `${codec}-all.mov`), pictures);
      const one = await segment(oneCore, codec, join(t.dir, `${codec}-one.mov`), pictures);
      assert.ok(all.length > 1000, `${codec}: a real segment`);
      assert.ok(one.equals(all), `${codec}: the one-core segment differs from the all-cores one (${one.length} vs ${all.length} bytes)`);
    }
  } finally {
    t.done();
  }
});
