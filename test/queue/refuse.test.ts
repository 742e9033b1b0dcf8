/**
 * The queue's refusals with real parts: a worker whose model is not the job's (redis-server on loopback, real
 * workers), and the coordinator's flag errors and an unreachable Redis.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { demoClip, renderCli, renderInProcess, tmp } from '../render/helpers.js';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { tinyModel, withFarm } from './procs.js';
import { freePort } from './redis.js';

test("a worker with another model refuses the job in one line (exit 2) and leaves the chunk to a worker that matches", async () => {
  await withFarm(async ({ dir, shared, redis, cli }) => {
    const model = await tinyModel(dir, 3);
    const other = await tinyModel(dir, 4);
    const queue = redis.url('farm');
    const out = join(dir, 'one.mp4');
    const clip = await demoClip(dir, 10, 1);
    const coordinator = cli(['render', clip, '--size', '320x180', '--segment', '0.5', '--chunk', '1', '--model', model, '--out', out, '--queue', queue, '--shared', shared]);
    const wrong = cli(['-q', 'worker', '--queue', queue, '--shared', shared, '--model', other, '--lock', '3', '--name', 'wrong']);
    const w = await wrong.exited;
    assert.equal(w.code, 2, wrong.stderr());
    const lines = wrong.stderr().trim().split('\n');
    assert.equal(lines.length, 1, wrong.stderr());
    assert.match(lines[0]!, /^latentvj: worker wrong refuses render r-[0-9a-f]+: render r-[0-9a-f]+: model differs — the job's generator has sha256 [0-9a-f]{12}… .* this worker's --model .*tiny-4 has [0-9a-f]{12}…/);

    // The matching worker takes the chunk the other one refused.
    cli(['worker', '--queue', queue, '--shared', shared, '--model', model, '--lock', '3', '--name', 'right']);
    const c = await coordinator.exited;
    assert.equal(c.code, 0, coordinator.stderr());
    assert.match(coordinator.stderr(), /chunk 0 \(frames 0–29\) done by right/);
    assert.equal(existsSync(out), true);
  });
});

test('render --queue: wrong queue flags and an unreachable Redis are one line naming the flag, exit 2, no output file', async () => {
  const t = tmp();
  try {
    const out = join(t.dir, 'x.mp4');
    const shared = join(t.dir, 'shared');
    mkdirSync(shared);
    // A port nobody listens on: bound, then closed.
    const port = await freePort();
    const cases: Array<[string[], RegExp]> = [
      [['--queue', 'http://127.0.0.1:1/q', '--shared', shared], /--queue http:\/\/127\.0\.0\.1:1\/q: expected a redis:\/\/ URL/],
      [['--queue', 'redis://127.0.0.1:1/q'], /--queue: also give --shared <dir>/],
      [['--queue', 'redis://127.0.0.1:1/q', '--shared', join(t.dir, 'nope')], /--shared .*nope: no such folder/],
      [['--queue', 'redis://127.0.0.1:1/q', '--shared', shared, '--chunk', '0.1'], /--chunk 0\.1: expected seconds from one segment/],
      [['--shared', shared], /--shared: only with --queue/],
      [['--queue', `redis://127.0.0.1:${port}/q`, '--shared', shared], new RegExp(`--queue redis://127\\.0\\.0\\.1:${port}/q: cannot reach Redis at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`)],
    ];
    const clip = await demoClip(t.dir, 10, 1);
    // The flag checks through the CLI's main() in-process; the unreachable Redis (last) from the command line.
    for (const [i, [args, re]] of cases.entries()) {
      const argv = [clip, '--size', '320x180', '--out', out, ...args];
      const r = i === cases.length - 1 ? renderCli(...argv) : await renderInProcess(...argv);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(existsSync(out), false);
    }
  } finally {
    t.done();
  }
});

test('worker: wrong flags and an unreachable Redis are one line naming the flag, exit 2', async () => {
  const t = tmp();
  try {
    const { spawnSync } = await import('node:child_process');
    const worker = (...args: string[]) => spawnSync(process.execPath, ['bin/latentvj.js', '-q', 'worker', ...args], { encoding: 'utf8', timeout: 60_000 });
    // A port nobody listens on: bound, then closed.
    const port = await freePort();
    const cases: Array<[string[], RegExp]> = [
      [['--queue', 'redis://127.0.0.1:1/q', '--shared', join(t.dir, 'nope')], /--shared .*nope: no such folder \(mount the shared folder first\)/],
      [['--queue', 'redis://127.0.0.1:1/q', '--shared', t.dir, '--threads', '-1'], /--threads -1: expected an integer from 0 to 256/],
      [['--queue', 'redis://127.0.0.1:1/q', '--shared', t.dir, '--lock', '0'], /--lock 0: expected a number from 1 to 3600/],
      [['--queue', 'redis://127.0.0.1:1/q', '--shared', t.dir, '--ep', 'tpu'], /--ep tpu: expected one of auto, cuda, dml, coreml, webgpu, cpu/],
      [['--queue', 'rediss://127.0.0.1:1/q', '--shared', t.dir], /--queue rediss:\/\/127\.0\.0\.1:1\/q: expected a redis:\/\/ URL/],
      [['--queue', `redis://127.0.0.1:${port}/q`, '--shared', t.dir], new RegExp(`cannot reach Redis at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`)],
    ];
    // The flag checks through the CLI's main() in-process; the unreachable Redis (last) from the command line.
    for (const [i, [args, re]] of cases.entries()) {
      const r = i === cases.length - 1 ? worker(...args) : await cliInProcess('-q', 'worker', ...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    const missing = await cliInProcess('-q', 'worker', '--shared', t.dir);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /--queue <url>/);
  } finally {
    t.done();
  }
});
