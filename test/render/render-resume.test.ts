/**
 * Determinism and resume: two renders with the default model give identical decoded frames (framemd5); a render
 * killed outright (SIGKILL) once half of its segments are written, finished with --resume, gives the frames of an
 * uninterrupted render (a tiny model and the first 20 s of the demo track keep the four renders CI-sized).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { encodeWav } from '../../src/audio/wav.js';
import { framemd5, killAtHalf, renderCli, tinyModel, tmp } from './helpers.js';

test('two renders with the default model give identical frames', () => {
  const t = tmp();
  try {
    const args = ['demo', '--start', '14.5', '--duration', '1', '--size', '320x180', '--segment', '0.5'];
    const a = join(t.dir, 'a.mp4');
    const b = join(t.dir, 'b.mp4');
    assert.equal(renderCli(...args, '--out', a).status, 0);
    assert.equal(renderCli(...args, '--out', b).status, 0);
    const md5 = framemd5(a);
    assert.ok(md5.split('\n').length >= 30);
    assert.equal(framemd5(b), md5);
  } finally {
    t.done();
  }
});

test('a render killed at half (SIGKILL) and finished with --resume gives the frames of an uninterrupted one', async () => {
  const t = tmp();
  try {
    const model = await tinyModel(join(t.dir, 'tiny'));
    const demo = renderDemoTrack();
    const n = 20 * demo.sampleRate;
    const wav = join(t.dir, 'first20.wav');
    writeFileSync(wav, encodeWav({ sampleRate: demo.sampleRate, channels: demo.channels.map((c) => c.subarray(0, n)) }, 'pcm16'));
    const args = [wav, '--model', model, '--start', '12', '--duration', '8', '--size', '320x180', '--segment', '0.5'];
    const ref = join(t.dir, 'ref.mp4');
    assert.equal(renderCli(...args, '--out', ref).status, 0);
    const md5 = framemd5(ref);

    const killed = join(t.dir, 'killed.mp4');
    const k = await killAtHalf(args, killed, 16, 'SIGKILL');
    assert.ok(k.segmentsAtKill >= 8 && k.segmentsAtKill < 16, `killed with ${k.segmentsAtKill} of 16 segments`);
    assert.equal(k.signal, 'SIGKILL');
    assert.equal(existsSync(killed), false, 'no file at the output path');
    const r = renderCli(...args, '--out', killed, '--resume');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(framemd5(killed), md5);
    assert.equal(existsSync(`${killed}.partial`), false, 'the partial state is removed when done');
  } finally {
    t.done();
  }
});
