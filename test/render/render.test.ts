/**
 * `latentvj render` end to end with real ffmpeg: the demo track (60 s, known kicks from 15 s at 128 BPM).
 * Costs are kept CI-sized: the 1280×720 kick test renders a 6 s window of the track with the default model; the
 * full 60 s check runs a tiny model at 320×180; determinism and resume use a 4 s window at 320×180.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { randomStyleGan2Model } from '../../src/generator/randomModel.js';
import { buildModelFiles } from '../../src/generator/convert.js';
import { framemd5, greyFrames, meanAbsDiff, probe, renderChild, renderCli, tmp } from './helpers.js';

const FPS = 30;

test('render at 1280×720, 30 fps: audio stream, durations within a frame, the picture moves most right after kicks', () => {
  const t = tmp();
  try {
    const out = join(t.dir, 'kicks.mp4');
    const startS = 12;
    const r = renderCli('demo', '--start', String(startS), '--duration', '6', '--size', '1280x720', '--fps', String(FPS), '--out', out);
    assert.equal(r.status, 0, r.stderr);
    const streams = probe(out);
    const v = streams.find((s) => s.codec_type === 'video')!;
    const a = streams.find((s) => s.codec_type === 'audio');
    assert.ok(a, 'an audio stream');
    assert.equal(a.codec_name, 'aac');
    assert.equal(v.codec_name, 'h264');
    assert.deepEqual([v.width, v.height], [1280, 720]);
    assert.equal(Number(v.nb_frames), 6 * FPS);
    assert.ok(Math.abs(Number(v.duration) - 6) <= 1 / FPS, `video ${v.duration} s`);
    assert.ok(Math.abs(Number(a.duration) - Number(v.duration)) <= 1 / FPS, `audio ${a.duration} s vs video ${v.duration} s`);

    // Frame k shows t = startS + k/fps. Picture change from frame k−1 to k, right after a kick (within 0.1 s)
    // against the quiet middle of the beats (0.55–0.9 of a beat after it).
    const frames = greyFrames(out, 160, 90);
    assert.equal(frames.length, 6 * FPS);
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
    assert.ok(after.length >= 20 && between.length >= 20);
    assert.ok(mean(after) > 2 * mean(between), `after kicks ${mean(after).toFixed(2)}, between ${mean(between).toFixed(2)}`);
  } finally {
    t.done();
  }
});

test('the whole 60 s track: every frame, video and audio as long as the track within one frame (tiny model, 320×180)', async () => {
  const t = tmp();
  try {
    const model = join(t.dir, 'tiny');
    await buildModelFiles(randomStyleGan2Model({ seed: 3, resolution: 32, channelBase: 256, channelMax: 32, zDim: 32, wDim: 32, mappingLayers: 2, wAvgSamples: 64 }), model, {
      noiseBank: 2,
      maskRegions: 2,
      maskSize: 8,
      imageOutput: false,
      bendLayers: ['b8.conv1', 'b16.conv1'],
    });
    const out = join(t.dir, 'full.mp4');
    const r = renderCli('demo', '--model', model, '--size', '320x180', '--fps', String(FPS), '--out', out);
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

const WINDOW = ['demo', '--start', '14', '--duration', '4', '--size', '320x180', '--fps', String(FPS), '--segment', '0.5'];

/** Starts a render, and kills it with `signal` once half of its segments are finished. */
async function killAtHalf(out: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; segmentsAtKill: number }> {
  const child = renderChild(...WINDOW, '--out', out);
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const partial = `${out}.partial`;
  const total = 8;
  let segmentsAtKill = -1;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, sig) => res({ code, signal: sig })));
  let finished = false;
  void exited.then(() => (finished = true));
  while (!finished) {
    const segs = existsSync(partial) ? readdirSync(partial).filter((f) => /^seg-\d+\.mov$/.test(f)).length : 0;
    if (segs >= total / 2) {
      segmentsAtKill = segs;
      child.kill(signal);
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { ...(await exited), stderr, segmentsAtKill };
}

test('two renders give identical frames; a render killed at half (SIGKILL, or Ctrl-C) and finished with --resume gives the same frames', async () => {
  const t = tmp();
  try {
    const a = join(t.dir, 'a.mp4');
    const b = join(t.dir, 'b.mp4');
    assert.equal(renderCli(...WINDOW, '--out', a).status, 0);
    assert.equal(renderCli(...WINDOW, '--out', b).status, 0);
    const md5 = framemd5(a);
    assert.equal(md5.split('\n').length > 4 * FPS, true);
    assert.equal(framemd5(b), md5);

    const killed = join(t.dir, 'killed.mp4');
    const k = await killAtHalf(killed, 'SIGKILL');
    assert.ok(k.segmentsAtKill >= 4 && k.segmentsAtKill < 8, `killed with ${k.segmentsAtKill} of 8 segments`);
    assert.equal(k.signal, 'SIGKILL');
    assert.equal(existsSync(killed), false, 'no file at the output path');
    const r = renderCli(...WINDOW, '--out', killed, '--resume');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(framemd5(killed), md5);
    assert.equal(existsSync(`${killed}.partial`), false, 'the partial state is removed when done');

    const stopped = join(t.dir, 'stopped.mp4');
    const s = await killAtHalf(stopped, 'SIGINT');
    assert.equal(s.code, 130, s.stderr);
    assert.match(s.stderr, /--resume/);
    assert.equal(existsSync(stopped), false, 'no file at the output path');
    assert.equal(renderCli(...WINDOW, '--out', stopped).status, 2, 'a partial render is not silently overwritten');
    const r2 = renderCli(...WINDOW, '--out', stopped, '--resume');
    assert.equal(r2.status, 0, r2.stderr);
    assert.equal(framemd5(stopped), md5);

    // Other settings cannot resume that state.
    const c = join(t.dir, 'c.mp4');
    await killAtHalf(c, 'SIGKILL');
    const other = renderCli(...WINDOW, '--crf', '30', '--out', c, '--resume');
    assert.equal(other.status, 2);
    assert.match(other.stderr, /--resume: .*other settings/);
  } finally {
    t.done();
  }
});

test('bad input: one line naming the flag or file, exit 2, nothing at the output path', async () => {
  const t = tmp();
  try {
    const out = join(t.dir, 'x.mp4');
    const cases: Array<[string[], RegExp]> = [
      [[join(t.dir, 'missing.wav'), '--out', out], /missing\.wav: cannot read audio file/],
      [['demo', '--codec', 'vp9', '--out', out], /--codec vp9: expected one of h264, h265, prores, png/],
      [['demo', '--size', '1281x720', '--out', out], /--size 1281x720: .*even/],
      [['demo', '--size', '99999x10', '--out', out], /--size 99999x10: each side must be from 2 to 8192/],
      [['demo', '--size', 'big', '--out', out], /--size big: expected WIDTHxHEIGHT/],
      [['demo', '--codec', 'prores', '--out', out], /--out .*x\.mp4: prores is written to \.mov, \.mkv/],
      [['demo', '--crf', '80', '--out', out], /--crf 80: expected an integer from 0 to 51/],
      [['demo', '--fps', '0', '--out', out], /--fps 0: expected a number from 1 to 240/],
      [['demo', '--start', '61', '--out', out], /--start 61: expected a time from 0/],
      [['demo', '--fit', 'zoom', '--out', out], /--fit zoom: expected one of fit, fill, stretch/],
    ];
    for (const [args, re] of cases) {
      const r = renderCli(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(existsSync(out), false);
    }
    const { writeFileSync } = await import('node:fs');
    const junk = join(t.dir, 'junk.wav');
    writeFileSync(junk, 'not audio at all');
    const j = renderCli(junk, '--out', out);
    assert.equal(j.status, 2, j.stderr);
    assert.match(j.stderr, /junk\.wav: /);
    assert.equal(existsSync(out), false);
    assert.equal(existsSync(`${out}.partial`), false);
    writeFileSync(out, 'keep me');
    const e = renderCli('demo', '--out', out);
    assert.equal(e.status, 2);
    assert.match(e.stderr, /x\.mp4: the file exists; pass --force/);
  } finally {
    t.done();
  }
});
