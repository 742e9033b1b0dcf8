import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CODECS } from '../../src/render/codecs.js';
import { SegmentWriter } from '../../src/render/encoder.js';
import { scaledSize, scaleFilter, type FitMode, type Size } from '../../src/render/size.js';
import { testFfmpeg } from '../helpers/ffmpeg.js';
import { rgbFrames, tmp } from './helpers.js';

test('fit letterboxes, fill crops, stretch fills: the scaled size for 16:9, 9:16, 1:1 and 2:1 from a square model', () => {
  const sq: Size = { width: 256, height: 256 };
  const cases: Array<[Size, FitMode, Size]> = [
    [{ width: 1280, height: 720 }, 'fit', { width: 720, height: 720 }],
    [{ width: 1280, height: 720 }, 'fill', { width: 1280, height: 1280 }],
    [{ width: 1080, height: 1920 }, 'fit', { width: 1080, height: 1080 }],
    [{ width: 1080, height: 1920 }, 'fill', { width: 1920, height: 1920 }],
    [{ width: 1024, height: 1024 }, 'fit', { width: 1024, height: 1024 }],
    [{ width: 2048, height: 1024 }, 'fit', { width: 1024, height: 1024 }],
    [{ width: 2048, height: 1024 }, 'stretch', { width: 2048, height: 1024 }],
  ];
  for (const [dst, fit, want] of cases) assert.deepEqual(scaledSize(sq, dst, fit), want, `${dst.width}x${dst.height} ${fit}`);
  // A 2:1 model into 16:9 by fit: the width is the limit.
  assert.deepEqual(scaledSize({ width: 512, height: 256 }, { width: 1280, height: 720 }, 'fit'), { width: 1280, height: 640 });
  assert.equal(scaleFilter(sq, sq, 'fit'), 'setsar=1');
  assert.match(scaleFilter(sq, { width: 1280, height: 720 }, 'fit'), /^scale=720:720:flags=lanczos.*,pad=1280:720:280:0:black,setsar=1$/);
  assert.match(scaleFilter(sq, { width: 1280, height: 720 }, 'fill'), /crop=1280:720:0:280/);
});

/** A square picture: white with a red border of 8 pixels. */
function bordered(side: number): Uint8Array {
  const px = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const edge = x < 8 || y < 8 || x >= side - 8 || y >= side - 8;
      px.set(edge ? [255, 0, 0, 255] : [255, 255, 255, 255], (y * side + x) * 4);
    }
  }
  return px;
}

test('real ffmpeg (lossless PNG): fit puts black bars beside a 2:1 output and above a 9:16 one, fill crops the border away, stretch keeps it', async () => {
  const t = tmp();
  try {
    const source = { width: 64, height: 64 };
    const pic = bordered(64);
    const one = async (output: Size, fit: FitMode): Promise<Uint8Array> => {
      const file = join(t.dir, `${output.width}x${output.height}-${fit}.mov`);
      const w = new SegmentWriter({ ffmpeg: testFfmpeg(), source, output, fit, fps: '30', codec: CODECS.png, crf: 0 }, `${file}.tmp`, file);
      await w.write(pic);
      await w.finish();
      const frames = rgbFrames(file, output.width, output.height);
      assert.equal(frames.length, 1);
      return frames[0]!;
    };
    const at = (f: Uint8Array, o: Size, x: number, y: number) => Array.from(f.subarray((y * o.width + x) * 3, (y * o.width + x) * 3 + 3));
    const wide = { width: 256, height: 128 };
    const fit = await one(wide, 'fit');
    assert.deepEqual(at(fit, wide, 10, 64), [0, 0, 0], 'left bar');
    assert.deepEqual(at(fit, wide, 245, 64), [0, 0, 0], 'right bar');
    assert.deepEqual(at(fit, wide, 128, 64), [255, 255, 255], 'picture centre');
    assert.deepEqual(at(fit, wide, 66, 64), [255, 0, 0], 'its border, scaled ×2');
    const fill = await one(wide, 'fill');
    assert.deepEqual(at(fill, wide, 128, 2), [255, 255, 255], 'top border cropped away');
    assert.deepEqual(at(fill, wide, 2, 64), [255, 0, 0], 'left border kept');
    const stretch = await one(wide, 'stretch');
    assert.deepEqual(at(stretch, wide, 128, 2), [255, 0, 0]);
    assert.deepEqual(at(stretch, wide, 2, 64), [255, 0, 0]);
    const tall = { width: 90, height: 160 };
    const v = await one(tall, 'fit');
    assert.deepEqual(at(v, tall, 45, 10), [0, 0, 0], 'top bar');
    assert.deepEqual(at(v, tall, 45, 80), [255, 255, 255]);
  } finally {
    t.done();
  }
});
