/**
 * Determinism and resume: two renders with the default model give identical decoded frames (framemd5); a render
 * killed outright (SIGKILL) once half of its segments are written, or stopped with Ctrl-C (SIGINT: exit 130 and a
 * line saying how to resume), finished with --resume, gives the frames of an uninterrupted render; a state made
 * with other settings is refused. A tiny model and clips of the demo track in 0.5 s segments keep the renders
 * CI-sized (each segment is an ffmpeg run, so their number sets the cost); the segments still take long enough to
 * stop a render at half. The two stops share one uninterrupted reference.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoClip, framemd5, killAtHalf, renderCli, renderInProcess, tinyModel, tmp } from './helpers.js';

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

test('a render killed at half (SIGKILL) or stopped with Ctrl-C (SIGINT), finished with --resume, gives the frames of an uninterrupted one; other settings cannot resume it', async () => {
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

    const stopped = join(t.dir, 'stopped.mp4');
    const s = await killAtHalf(args, stopped, 6, 'SIGINT');
    assert.ok(s.segmentsAtKill >= 3 && s.segmentsAtKill < 6, `stopped with ${s.segmentsAtKill} of 6 segments`);
    assert.equal(s.code, 130, s.stderr);
    assert.match(s.stderr, /interrupted at frame \d+ of 90; .* run the same command with --resume/);
    assert.equal(existsSync(stopped), false, 'no file at the output path');
    // The two refusals come before any work, through main() in this process.
    const again = await renderInProcess(...args, '--out', stopped);
    assert.equal(again.status, 2, 'a partial render is not silently overwritten');
    assert.match(again.stderr, /--resume to continue it or --force/);
    const other = await renderInProcess(...args, '--crf', '30', '--out', stopped, '--resume');
    assert.equal(other.status, 2);
    assert.match(other.stderr, /--resume: .*other settings/);
    const resumed = renderCli(...args, '--out', stopped, '--resume');
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.equal(framemd5(stopped), md5);
  } finally {
    t.done();
  }
});
