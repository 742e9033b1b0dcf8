/**
 * Ctrl-C (SIGINT) during a render: exit 130 with a line saying how to resume, nothing at the output path, and
 * --resume finishes it with the frames of an uninterrupted render; a state made with other settings is refused.
 * A tiny model and a 3 s clip of the demo track in six segments keep it quick (each segment is an ffmpeg run,
 * so their number sets the cost); the segments still take long enough to stop the render at half.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoClip, framemd5, killAtHalf, renderCli, renderInProcess, tinyModel, tmp } from './helpers.js';

test('Ctrl-C at half leaves a resumable state; --resume gives the uninterrupted frames; other settings cannot resume it', async () => {
  const t = tmp();
  try {
    const model = await tinyModel(join(t.dir, 'tiny'));
    const clip = await demoClip(t.dir, 10, 3);
    const args = [clip, '--model', model, '--ep', 'cpu', '--size', '320x180', '--segment', '0.5'];
    const ref = join(t.dir, 'ref.mp4');
    assert.equal(renderCli(...args, '--out', ref).status, 0);
    const md5 = framemd5(ref);

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
    const r = renderCli(...args, '--out', stopped, '--resume');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(framemd5(stopped), md5);
  } finally {
    t.done();
  }
});
