/**
 * The whole 60 s demo track rendered at 30 fps: every frame, and video and audio as long as the track; and a render
 * whose last segment would be a single frame.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { MIN_LAST_SEGMENT_FRAMES, segmentFramesFor } from '../../src/render/segments.js';
import { demoClip, probe, renderCli, tinyModel, tmp } from './helpers.js';

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

test('segments: a last segment too short to reorder is folded into the others; the joined video is exactly its frames long, in sync with its audio', async () => {
  assert.equal(segmentFramesFor(1201, 600), 601);
  assert.equal(segmentFramesFor(1208, 600), 600);
  assert.equal(segmentFramesFor(31, 15), 16);
  assert.equal(segmentFramesFor(17, 15), 17);
  assert.equal(segmentFramesFor(46, 15), 16);
  assert.equal(segmentFramesFor(90, 15), 15);
  assert.equal(segmentFramesFor(25, 6), 6, 'short wishes stay as asked');
  for (let frames = 1; frames < 400; frames++) {
    for (const want of [8, 15, 16, 40, 300]) {
      const s = segmentFramesFor(frames, want);
      const last = frames - (Math.ceil(frames / s) - 1) * s;
      assert.ok(last >= Math.min(frames, MIN_LAST_SEGMENT_FRAMES), `${frames} frames in segments of ${s}: the last has ${last}`);
    }
  }
  const t = tmp();
  try {
    const model = await tinyModel(join(t.dir, 'tiny'));
    // 31 frames in 0.5 s segments: 15 + 15 + 1 as asked, 16 + 15 as cut.
    const clip = await demoClip(t.dir, 10, 31 / FPS);
    const out = join(t.dir, 'tail.mp4');
    const r = renderCli(clip, '--model', model, '--ep', 'cpu', '--size', '160x90', '--fps', String(FPS), '--segment', '0.5', '--out', out);
    assert.equal(r.status, 0, r.stderr);
    const streams = probe(out);
    const v = streams.find((s) => s.codec_type === 'video')!;
    const a = streams.find((s) => s.codec_type === 'audio')!;
    assert.equal(Number(v.nb_frames), 31);
    assert.ok(Math.abs(Number(v.duration) - 31 / FPS) < 1e-3, `video ${v.duration} s for 31 frames`);
    assert.ok(Math.abs(Number(a.duration) - Number(v.duration)) <= 1 / FPS, `audio ${a.duration} s vs video ${v.duration} s`);
  } finally {
    t.done();
  }
});
