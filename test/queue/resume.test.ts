/**
 * The coordinator dies (SIGKILL) in the middle of a queued render; the same command run again finishes it. Real
 * parts: redis-server on loopback, a `latentvj worker` process, real ffmpeg.
 *
 * To catch the rerun with work in every state, the worker is frozen (SIGSTOP) right after its first chunk: that
 * chunk's segments are in the shared folder, the others are still in the queue (one perhaps in the frozen
 * worker's hands). The rerun must skip the finished chunk, follow the queued ones instead of queueing them
 * again, and — once the worker goes on (SIGCONT) — join a video equal to the single-process render's (framemd5).
 * No chunk is rendered twice. CI size: a 3 s clip of the demo track (analysed in a moment), a tiny model at
 * 160×90, three 1 s chunks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoClip, framemd5, renderCli } from '../render/helpers.js';
import { tinyModel, withFarm } from './procs.js';

test('a coordinator killed mid-render: the same command again skips the finished chunks, follows the queued ones, and joins the single-process video (framemd5)', async () => {
  await withFarm(async ({ dir, shared, redis, cli }) => {
    const model = await tinyModel(dir, 5);
    const WINDOW = [await demoClip(dir, 20, 3), '--size', '160x90', '--fps', '30', '--segment', '1'];
    const single = join(dir, 'single.mp4');
    const r = renderCli(...WINDOW, '--model', model, '--out', single);
    assert.equal(r.status, 0, r.stderr);

    const queue = redis.url('resume');
    // A long lock: the worker is only paused here, never taken for dead.
    const worker = cli(['worker', '--queue', queue, '--shared', shared, '--model', model, '--threads', '1', '--lock', '120', '--name', 'w1']);
    assert.ok(await worker.line(/waiting for chunks/), worker.stderr());

    const out = join(dir, 'farm.mp4');
    const args = ['render', ...WINDOW, '--model', model, '--out', out, '--queue', queue, '--shared', shared, '--chunk', '1'];
    const first = cli(args);
    assert.ok(await worker.line(/w1: chunk \d+ done/), worker.stderr());
    worker.child.kill('SIGSTOP');
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    assert.equal(existsSync(out), false);

    const again = cli(args);
    const started = await again.line(
      /render r-[0-9a-f]+: 90 frames in 3 chunks of up to 30 frames(?:; (\d+) already rendered in [^;]+)?(?:; (\d+) still queued or rendering from an earlier run, followed rather than queued again)?; queue/,
    );
    assert.ok(started, again.stderr());
    const [already, followed] = [Number(started[1] ?? 0), Number(started[2] ?? 0)];
    assert.ok(already >= 1, `the finished chunk is skipped: ${started[0]}`);
    assert.ok(followed >= 1, `the queued chunks are followed: ${started[0]}`);
    assert.equal(already + followed, 3, 'every chunk is either finished or followed; none queued anew');
    worker.child.kill('SIGCONT');

    const c = await again.exited;
    assert.equal(c.code, 0, again.stderr());
    assert.equal(framemd5(out), framemd5(single));
    // Each chunk was rendered once, by the one worker, across both coordinators.
    const rendered = [...worker.stderr().matchAll(/w1: chunk (\d+) of r-/g)].map((m) => Number(m[1])).sort();
    assert.deepEqual(rendered, [0, 1, 2]);
  });
});
