/**
 * A queued render end to end with real parts: redis-server on loopback, three `latentvj worker` processes,
 * `latentvj render --queue` as the coordinator, real ffmpeg. One worker is killed with SIGKILL in the middle of
 * a chunk; its chunk is rendered again elsewhere and the joined file decodes to the same frames (framemd5,
 * audio included) as the single-process render of the same window.
 *
 * CI size: the 60 s demo track is analysed whole (as always), the picture is an 8 s window of it from a tiny
 * random model (32², shown at 320×180), in 0.5 s segments and 2 s chunks — four chunks for three workers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomStyleGan2Model } from '../../src/generator/randomModel.js';
import { buildModelFiles } from '../../src/generator/convert.js';
import { framemd5, renderCli, tmp } from '../render/helpers.js';
import { startRedis } from './redis.js';

const WINDOW = ['demo', '--start', '20', '--duration', '8', '--size', '320x180', '--fps', '30', '--segment', '0.5'];

async function tinyModel(dir: string, seed: number): Promise<string> {
  const model = join(dir, `tiny-${seed}`);
  await buildModelFiles(randomStyleGan2Model({ seed, resolution: 32, channelBase: 256, channelMax: 32, zDim: 32, wDim: 32, mappingLayers: 2, wAvgSamples: 64 }), model, {
    noiseBank: 2,
    maskRegions: 2,
    maskSize: 8,
    imageOutput: false,
    bendLayers: ['b8.conv1', 'b16.conv1'],
  });
  return model;
}

interface Proc {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stderr line matching `re` (or null if the process ends first). */
  line(re: RegExp): Promise<RegExpMatchArray | null>;
}

function cli(args: string[]): Proc {
  const child = spawn(process.execPath, ['bin/latentvj.js', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const waiters: Array<{ re: RegExp; resolve: (m: RegExpMatchArray | null) => void }> = [];
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
    for (const w of [...waiters]) {
      const m = err.match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, signal) => {
      for (const w of waiters.splice(0)) w.resolve(null);
      res({ code, signal });
    }),
  );
  return {
    child,
    stderr: () => err,
    exited,
    line: (re) => {
      const m = err.match(re);
      return m ? Promise.resolve(m) : new Promise((resolve) => waiters.push({ re, resolve }));
    },
  };
}

test('three workers, one killed with SIGKILL mid-chunk: the chunk is rendered elsewhere and the video equals the single-process render (framemd5)', async () => {
  const t = tmp();
  const redis = await startRedis();
  const workers: Proc[] = [];
  try {
    const model = await tinyModel(t.dir, 3);
    const single = join(t.dir, 'single.mp4');
    const r = renderCli(...WINDOW, '--model', model, '--out', single);
    assert.equal(r.status, 0, r.stderr);

    const shared = join(t.dir, 'shared');
    mkdirSync(shared);
    const queue = redis.url('farm');
    for (const name of ['w1', 'w2', 'w3']) workers.push(cli(['worker', '--queue', queue, '--shared', shared, '--model', model, '--threads', '1', '--lock', '6', '--name', name]));
    for (const w of workers) assert.ok(await w.line(/waiting for chunks/), w.stderr());

    const out = join(t.dir, 'farm.mp4');
    const coordinator = cli(['render', ...WINDOW, '--model', model, '--out', out, '--queue', queue, '--shared', shared, '--chunk', '2']);
    // The first worker to finish a segment of a chunk (two of its four segments still to come) is killed.
    const first = await Promise.race(workers.map(async (w, i) => ({ i, m: await w.line(/(w\d): chunk (\d+): segment (\d+) written \((\d+)\/(\d+) frames\)/) })));
    assert.ok(first.m, 'a worker wrote a segment');
    const victim = workers[first.i]!;
    victim.child.kill('SIGKILL');
    const chunk = Number(first.m[2]);
    const [, victimName] = first.m;
    // Mid-chunk: when it died, the chunk's last segment was not in the shared folder.
    const renderDir = readdirSync(shared).find((d) => d.startsWith('r-'))!;
    const lastSegment = chunk * 4 + 3;
    assert.equal(existsSync(join(shared, renderDir, `seg-${String(lastSegment).padStart(5, '0')}.mov`)), false, `chunk ${chunk} was finished before the kill`);
    assert.equal((await victim.exited).signal, 'SIGKILL');

    const c = await coordinator.exited;
    const log = coordinator.stderr();
    assert.equal(c.code, 0, log);
    assert.equal(framemd5(out), framemd5(single));

    // The killed worker's chunk stalled, went back to the queue and was finished by another worker; every chunk
    // was finished exactly once; progress named the workers and their rates.
    assert.match(log, new RegExp(`chunk ${chunk} \\(frames [0-9–]+\\) stalled`));
    const doneBy = [...log.matchAll(/chunk (\d+) \(frames [0-9–]+\) done by (w\d); (\d+)\/240 frames, [\d.]+ fps, ETA [\d:-]+; fps per worker: (.*)/g)];
    assert.deepEqual(doneBy.map((m) => Number(m[1])).sort(), [0, 1, 2, 3]);
    const retried = doneBy.find((m) => Number(m[1]) === chunk)!;
    assert.notEqual(retried[2], victimName, 'the chunk was finished by another worker');
    assert.equal(doneBy.at(-1)![3], '240');
    // (A live worker starved of CPU for longer than its lock can be taken for dead too: more retries, same frames.)
    assert.match(log, /4 chunks, \d+ retried after a stall; workers: /);
    // Each live worker logged what it rendered.
    for (const w of workers.filter((x) => x !== victim)) assert.match(w.stderr(), /chunk \d+ of r-[0-9a-f]+: frames \d+–\d+ \(segments \d+–\d+\)/);
    assert.equal(existsSync(join(shared, renderDir)), false, "the render's folder is removed after the join");
  } finally {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await redis.stop();
    t.done();
  }
});

test("a worker with another model refuses the job in one line (exit 2) and leaves the chunk to a worker that matches", async () => {
  const t = tmp();
  const redis = await startRedis();
  const procs: Proc[] = [];
  try {
    const model = await tinyModel(t.dir, 3);
    const other = await tinyModel(t.dir, 4);
    const shared = join(t.dir, 'shared');
    mkdirSync(shared);
    const queue = redis.url('farm');
    const out = join(t.dir, 'one.mp4');
    const coordinator = cli(['render', 'demo', '--start', '10', '--duration', '1', '--size', '320x180', '--segment', '0.5', '--chunk', '1', '--model', model, '--out', out, '--queue', queue, '--shared', shared]);
    procs.push(coordinator);
    const wrong = cli(['-q', 'worker', '--queue', queue, '--shared', shared, '--model', other, '--lock', '3', '--name', 'wrong']);
    procs.push(wrong);
    const w = await wrong.exited;
    assert.equal(w.code, 2, wrong.stderr());
    const lines = wrong.stderr().trim().split('\n');
    assert.equal(lines.length, 1, wrong.stderr());
    assert.match(lines[0]!, /^latentvj: worker wrong refuses render r-[0-9a-f]+: render r-[0-9a-f]+: model differs — the job's generator has sha256 [0-9a-f]{12}… .* this worker's --model .*tiny-4 has [0-9a-f]{12}…/);

    const right = cli(['worker', '--queue', queue, '--shared', shared, '--model', model, '--lock', '3', '--name', 'right']);
    procs.push(right);
    const c = await coordinator.exited;
    assert.equal(c.code, 0, coordinator.stderr());
    assert.match(coordinator.stderr(), /chunk 0 \(frames 0–29\) done by right/);
    assert.equal(existsSync(out), true);
  } finally {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    await redis.stop();
    t.done();
  }
});

test('render --queue: wrong queue flags and an unreachable Redis are one line naming the flag, exit 2, no output file', async () => {
  const t = tmp();
  try {
    const out = join(t.dir, 'x.mp4');
    const shared = join(t.dir, 'shared');
    mkdirSync(shared);
    const { createServer } = await import('node:net');
    // A port nobody listens on: bound, then closed.
    const port = await new Promise<number>((res) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => res(typeof a === 'object' && a ? a.port : 1));
      });
    });
    const cases: Array<[string[], RegExp]> = [
      [['--queue', 'http://127.0.0.1:1/q', '--shared', shared], /--queue http:\/\/127\.0\.0\.1:1\/q: expected a redis:\/\/ URL/],
      [['--queue', 'redis://127.0.0.1:1/q'], /--queue: also give --shared <dir>/],
      [['--queue', 'redis://127.0.0.1:1/q', '--shared', join(t.dir, 'nope')], /--shared .*nope: no such folder/],
      [['--queue', 'redis://127.0.0.1:1/q', '--shared', shared, '--chunk', '0.1'], /--chunk 0\.1: expected seconds from one segment/],
      [['--shared', shared], /--shared: only with --queue/],
      [['--queue', `redis://127.0.0.1:${port}/q`, '--shared', shared], new RegExp(`--queue redis://127\\.0\\.0\\.1:${port}/q: cannot reach Redis at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`)],
    ];
    for (const [args, re] of cases) {
      const r = renderCli('demo', '--duration', '1', '--size', '320x180', '--out', out, ...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(existsSync(out), false);
    }
  } finally {
    t.done();
  }
});
