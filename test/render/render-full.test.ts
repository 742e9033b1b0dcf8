/** The whole 60 s demo track rendered at 30 fps: every frame, and video and audio as long as the track. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { probe, renderCli, tinyModel, tmp } from './helpers.js';

const FPS = 30;

test('the whole 60 s track: every frame, video and audio as long as the track within one frame (tiny model, 160×90)', async () => {
  const t = tmp();
  try {
    const model = await tinyModel(join(t.dir, 'tiny'));
    const out = join(t.dir, 'full.mp4');
    const r = renderCli('demo', '--model', model, '--size', '160x90', '--fps', String(FPS), '--out', out);
    assert.equal(r.status, 0, r.stderr);
    const trackS = renderDemoTrack().channels[0]!.length / renderDemoTrack().sampleRate;
    const streams = probe(out);
    const v = streams.find((s) => s.codec_type === 'video')!;
    const a = streams.find((s) => s.codec_type === 'audio')!;
    assert.equal(Number(v.nb_frames), Math.round(trackS * FPS));
    assert.ok(Math.abs(Number(v.duration) - trackS) <= 1 / FPS, `video ${v.duration} s, track ${trackS} s`);
    assert.ok(Math.abs(Number(a.duration) - trackS) <= 1 / FPS, `audio ${a.duration} s, track ${trackS} s`);
  } finally {
    t.done();
  }
});
