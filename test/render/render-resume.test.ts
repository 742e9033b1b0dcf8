/**
 * Determinism and resume with the default model: two renders give identical decoded frames (framemd5); a render
 * killed (SIGKILL) once half of its segments are written, finished with --resume, gives the same frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { framemd5, killAtHalf, renderCli, tmp } from './helpers.js';

const FPS = 30;
const WINDOW = ['demo', '--start', '14', '--duration', '2', '--size', '320x180', '--fps', String(FPS), '--segment', '0.25'];

test('two renders give identical frames; a render killed at half (SIGKILL) and finished with --resume gives the same frames', async () => {
  const t = tmp();
  try {
    const a = join(t.dir, 'a.mp4');
    const b = join(t.dir, 'b.mp4');
    assert.equal(renderCli(...WINDOW, '--out', a).status, 0);
    assert.equal(renderCli(...WINDOW, '--out', b).status, 0);
    const md5 = framemd5(a);
    assert.ok(md5.split('\n').length > 2 * FPS);
    assert.equal(framemd5(b), md5);

    const killed = join(t.dir, 'killed.mp4');
    const k = await killAtHalf(WINDOW, killed, 8, 'SIGKILL');
    assert.ok(k.segmentsAtKill >= 4 && k.segmentsAtKill < 8, `killed with ${k.segmentsAtKill} of 8 segments`);
    assert.equal(k.signal, 'SIGKILL');
    assert.equal(existsSync(killed), false, 'no file at the output path');
    const r = renderCli(...WINDOW, '--out', killed, '--resume');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(framemd5(killed), md5);
    assert.equal(existsSync(`${killed}.partial`), false, 'the partial state is removed when done');
  } finally {
    t.done();
  }
});
