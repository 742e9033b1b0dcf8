/**
 * `latentvj render` end to end with real ffmpeg on the demo track (60 s; kicks from 15 s at 128 BPM). The
 * 1280×720 test renders a 4 s window of the kicks with the default model (120 frames: CI-sized); with
 * LATENTVJ_FULL_RENDER=1 it renders the whole 60 s track. The whole 60 s at 30 fps is always checked for duration
 * and audio with a tiny model (render-full.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { greyFrames, meanAbsDiff, probe, renderCli, tmp } from './helpers.js';

const FPS = 30;

test('render at 1280×720, 30 fps: audio stream, durations within a frame, the picture moves most right after kicks', () => {
  const t = tmp();
  try {
    const out = join(t.dir, 'kicks.mp4');
    const full = process.env.LATENTVJ_FULL_RENDER === '1';
    const startS = full ? 0 : 15;
    const durationS = full ? 60 : 4;
    const r = renderCli('demo', '--start', String(startS), '--duration', String(durationS), '--size', '1280x720', '--fps', String(FPS), '--out', out);
    assert.equal(r.status, 0, r.stderr);
    const streams = probe(out);
    const v = streams.find((s) => s.codec_type === 'video')!;
    const a = streams.find((s) => s.codec_type === 'audio');
    assert.ok(a, 'an audio stream');
    assert.equal(a.codec_name, 'aac');
    assert.equal(v.codec_name, 'h264');
    assert.deepEqual([v.width, v.height], [1280, 720]);
    assert.equal(Number(v.nb_frames), durationS * FPS);
    assert.ok(Math.abs(Number(v.duration) - durationS) <= 1 / FPS, `video ${v.duration} s`);
    assert.ok(Math.abs(Number(a.duration) - Number(v.duration)) <= 1 / FPS, `audio ${a.duration} s vs video ${v.duration} s`);

    // Frame k shows t = startS + k/fps. Picture change from frame k−1 to k, right after a kick (within 0.1 s)
    // against the quiet middle of the beats (0.55–0.9 of a beat after it).
    const frames = greyFrames(out, 160, 90);
    assert.equal(frames.length, durationS * FPS);
    const kicks = renderDemoTrack().truth.onsets.kick;
    const after: number[] = [];
    const between: number[] = [];
    for (let k = 1; k < frames.length; k++) {
      const tk = startS + k / FPS;
      const prev = kicks.filter((x) => x <= tk).pop();
      if (prev === undefined) continue;
      const next = kicks.find((x) => x > tk);
      const since = tk - prev;
      const gap = (next ?? prev + 60 / 128) - prev;
      const d = meanAbsDiff(frames[k - 1]!, frames[k]!);
      if (since <= 0.1) after.push(d);
      else if (since >= 0.55 * gap && since <= 0.9 * gap) between.push(d);
    }
    const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
    console.log(`mean picture change: ${mean(after).toFixed(2)} right after kicks, ${mean(between).toFixed(2)} between (${after.length} / ${between.length} frames)`);
    assert.ok(after.length >= 20 && between.length >= 20);
    assert.ok(mean(after) > 2 * mean(between), `after kicks ${mean(after).toFixed(2)}, between ${mean(between).toFixed(2)}`);
  } finally {
    t.done();
  }
});
