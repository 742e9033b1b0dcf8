/**
 * Each codec into its containers, with the audio beside it (tiny model, half a second each). These renders resolve
 * ffmpeg as a user's command does (the system's first), whichever one tools/run-tests.js chose for the other tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { userFfmpegEnv } from '../helpers/ffmpeg.js';
import { demoClip, probe, renderCliWith, tinyModel, tmp } from './helpers.js';

test('h265 in MP4 (hvc1), ProRes 422 HQ in MOV, lossless PNG in MOV, each with its audio', async () => {
  const t = tmp();
  try {
    const model = await tinyModel(join(t.dir, 'tiny'));
    const clip = await demoClip(t.dir, 15, 0.5);
    const cases: Array<[string, string, string, string, string]> = [
      ['h265', 'a.mp4', 'hevc', 'yuv420p', 'aac'],
      ['prores', 'b.mov', 'prores', 'yuv422p10le', 'pcm_s16le'],
      ['png', 'c.mov', 'png', 'rgb24', 'pcm_s16le'],
    ];
    for (const [codec, file, name, pixFmt, audio] of cases) {
      const out = join(t.dir, file);
      const r = renderCliWith(userFfmpegEnv(), clip, '--model', model, '--ep', 'cpu', '--size', '160x90', '--codec', codec, '--out', out);
      assert.equal(r.status, 0, `${codec}: ${r.stderr}`);
      const streams = probe(out);
      const v = streams.find((s) => s.codec_type === 'video')!;
      assert.equal(v.codec_name, name);
      assert.equal(v.width, 160);
      assert.equal(streams.find((s) => s.codec_type === 'audio')?.codec_name, audio, codec);
      assert.equal(v.pix_fmt, pixFmt);
    }
  } finally {
    t.done();
  }
});
