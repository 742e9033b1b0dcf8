/**
 * Determinism and resume: two renders with the default model give identical decoded frames (framemd5); a render
 * killed outright (SIGKILL) once half of its segments are written, finished with --resume, gives the frames of an
 * uninterrupted render (a tiny model and clips of the demo track keep the five renders CI-sized).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoClip, framemd5, killAtHalf, renderCli, tinyModel, tmp } from './helpers.js';

test('two renders with the default model give identical frames', async () => {
  const t = tmp();
  try {
    const clip = await demoClip(t.dir, 14.5, 0.5);
    const args = [clip, '--size', '320x180', '--segment', '0.5'];
    const a = join(t.dir, 'a.mp4');
    const b = join(t.dir, 'b.mp4');
    assert.equal(renderCli(...args, '--out', a).status, 0);
    assert.equal(renderCli(...args, '--out', b).status, 0);
    const md5 = framemd5(a);
    assert.ok(md5.split('\n').length >= 15 + 20, 'every video frame and the audio frames');
    assert.equal(framemd5(b), md5);
  } finally {
    t.done();
  }
});

test('a render killed at half (SIGKILL) and finished with --resume gives the frames of an uninterrupted one', async () => {
  const t = tmp();
  try {
    const model = await tinyModel(join(t.dir, 'tiny'));
    // A window that does not start at the file's start.
    const clip = await demoClip(t.dir, 10, 5);
    const args = [clip, '--model', model, '--ep', 'cpu', '--start', '2', '--duration', '3', '--size', '320x180', '--segment', '0.5'];
    const ref = join(t.dir, 'ref.mp4');
    assert.equal(renderCli(...args, '--out', ref).status, 0);
    const md5 = framemd5(ref);

    const killed = join(t.dir, 'killed.mp4');
    const k = await killAtHalf(args, killed, 6, 'SIGKILL');
    assert.ok(k.segmentsAtKill >= 3 && k.segmentsAtKill < 6, `killed with ${k.segmentsAtKill} of 6 segments`);
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
