/**
 * A queued render end to end with real parts: redis-server on loopback, three `latentvj worker` processes,
 * `latentvj render --queue` as the coordinator, real ffmpeg. One worker is killed with SIGKILL in the middle of
 * a chunk; its chunk is rendered again elsewhere and the joined file decodes to the same frames (framemd5,
 * audio included) as the single-process render of the same window.
 *
 * CI size: a 6 s clip of the demo track (the whole 60 s with LATENTVJ_FULL_RENDER=1; rendering `demo` would
 * synthesise and analyse all 60 s in both renders), pictures from a tiny random model (32², shown at 320×180), in
 * 0.5 s segments and 1.5 s chunks — four chunks for three workers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { demoClip, framemd5, renderCli } from '../render/helpers.js';
import { tinyModel, withFarm, type Proc } from './procs.js';

const WINDOW = ['--size', '320x180', '--fps', '30', '--segment', '0.5'];
const CLIP_S = process.env.LATENTVJ_FULL_RENDER === '1' ? 60 : 6;
const FRAMES = CLIP_S * 30;
/** 1.5 s chunks of three 0.5 s segments. */
const CHUNKS = CLIP_S / 1.5;

test('three workers, one killed with SIGKILL mid-chunk: the chunk is rendered elsewhere and the video equals the single-process render (framemd5)', async () => {
  await withFarm(async ({ dir, shared, redis, cli }) => {
    const workers: Proc[] = [];
    const model = await tinyModel(dir, 3);
    const clip = await demoClip(dir, CLIP_S === 60 ? 0 : 20, CLIP_S);
    const single = join(dir, 'single.mp4');
    const r = renderCli(clip, ...WINDOW, '--model', model, '--out', single);
    assert.equal(r.status, 0, r.stderr);

    const queue = redis.url('farm');
    for (const name of ['w1', 'w2', 'w3']) workers.push(cli(['worker', '--queue', queue, '--shared', shared, '--model', model, '--threads', '1', '--lock', '6', '--name', name]));
    for (const w of workers) assert.ok(await w.line(/waiting for chunks/), w.stderr());

    const out = join(dir, 'farm.mp4');
    const coordinator = cli(['render', clip, ...WINDOW, '--model', model, '--out', out, '--queue', queue, '--shared', shared, '--chunk', '1.5']);
    // The first worker to finish a segment of a chunk (two of its three segments still to come) is killed.
    const first = await Promise.race(workers.map(async (w, i) => ({ i, m: await w.line(/(w\d): chunk (\d+): segment (\d+) written \((\d+)\/(\d+) frames\)/) })));
    assert.ok(first.m, 'a worker wrote a segment');
    const victim = workers[first.i]!;
    victim.child.kill('SIGKILL');
    const chunk = Number(first.m[2]);
    const [, victimName] = first.m;
    // Mid-chunk: when it died, the chunk's last segment was not in the shared folder.
    const renderDir = readdirSync(shared).find((d) => d.startsWith('r-'))!;
    const lastSegment = chunk * 3 + 2;
    assert.equal(existsSync(join(shared, renderDir, `seg-${String(lastSegment).padStart(5, '0')}.mov`)), false, `chunk ${chunk} was finished before the kill`);
    assert.equal((await victim.exited).signal, 'SIGKILL');

    const c = await coordinator.exited;
    const log = coordinator.stderr();
    assert.equal(c.code, 0, log);
    assert.equal(framemd5(out), framemd5(single));

    // The killed worker's chunk stalled, went back to the queue and was finished by another worker; every chunk
    // was finished exactly once; progress named the workers and their rates.
    assert.match(log, new RegExp(`chunk ${chunk} \\(frames [0-9–]+\\) stalled`));
    const doneBy = [...log.matchAll(new RegExp(`chunk (\\d+) \\(frames [0-9–]+\\) done by (w\\d); (\\d+)/${FRAMES} frames, [\\d.]+ fps, ETA [\\d:-]+; fps per worker: (.*)`, 'g'))];
    assert.deepEqual(doneBy.map((m) => Number(m[1])).sort((a, b) => a - b), Array.from({ length: CHUNKS }, (_, i) => i));
    const retried = doneBy.find((m) => Number(m[1]) === chunk)!;
    assert.notEqual(retried[2], victimName, 'the chunk was finished by another worker');
    assert.equal(doneBy.at(-1)![3], String(FRAMES));
    // (A live worker starved of CPU for longer than its lock can be taken for dead too: more retries, same frames.)
    assert.match(log, new RegExp(`${CHUNKS} chunks, \\d+ retried after a stall; workers: `));
    // Each live worker logged what it rendered.
    for (const w of workers.filter((x) => x !== victim)) assert.match(w.stderr(), /chunk \d+ of r-[0-9a-f]+: frames \d+–\d+ \(segments \d+–\d+\)/);
    assert.equal(existsSync(join(shared, renderDir)), false, "the render's folder is removed after the join");
  });
});

