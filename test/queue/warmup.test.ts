/**
 * A queued render whose post remembers: the default mapping plus trails on the last 80 % of every beat, so most
 * chunk cuts need the pictures of the segment before (warm-up). Two workers, real Redis and ffmpeg; the joined
 * file decodes to the single-process render's frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { demoClip, framemd5, renderCli } from '../render/helpers.js';
import { tinyModel, withFarm, type Proc } from './procs.js';

test('trails across chunk cuts: workers warm up from the segment before and the video equals the single-process render (framemd5)', async () => {
  await withFarm(async ({ dir, shared, redis, cli }) => {
    const workers: Proc[] = [];
    const model = await tinyModel(dir, 5);
    const mapping = join(dir, 'trails.yaml');
    writeFileSync(
      mapping,
      readFileSync(join(PACKAGE_ROOT, 'mappings', 'default.yaml'), 'utf8') +
        '\n  # Trails on the last 80 % of every beat, off (exactly 0) the rest of it.\n' +
        '  - source: beatPhase\n    modifiers:\n      - threshold: 0.2\n    target: post.trails\n    smoothMs: 0\n',
    );
    // 16–18.5 s of the demo track, from a clip with 4 s before it (the beat grid needs a few bars).
    const clip = await demoClip(dir, 12, 6.5);
    const window = [clip, '--start', '4', '--duration', '2.5', '--size', '320x180', '--segment', '0.5', '--model', model, '--mapping', mapping];
    const single = join(dir, 'single.mp4');
    const r = renderCli(...window, '--out', single);
    assert.equal(r.status, 0, r.stderr);

    const queue = redis.url('warm');
    for (const name of ['w1', 'w2']) workers.push(cli(['worker', '--queue', queue, '--shared', shared, '--model', model, '--threads', '1', '--name', name]));
    for (const w of workers) assert.ok(await w.line(/waiting for chunks/), w.stderr());
    const out = join(dir, 'farm.mp4');
    const coordinator = cli(['render', ...window, '--out', out, '--queue', queue, '--shared', shared, '--chunk', '0.5']);
    const c = await coordinator.exited;
    assert.equal(c.code, 0, coordinator.stderr());
    assert.equal(framemd5(out), framemd5(single));
    const warmed = workers.map((w) => [...w.stderr().matchAll(/chunk \d+ of r-[0-9a-f]+: frames (\d+)–\d+ \(segments? [\d–]+\), warm-up from frame (\d+)/g)]).flat();
    assert.ok(warmed.length >= 2, `chunks warmed up: ${warmed.length}\n${workers.map((w) => w.stderr()).join('\n')}`);
    for (const m of warmed) assert.ok(Number(m[2]) < Number(m[1]));
  });
});
