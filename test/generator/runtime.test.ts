/**
 * The generator runtime with real onnxruntime sessions in a real worker thread: responsiveness of the main
 * thread during a slow inference, latest-wins scheduling, stamps, provider fallback (at start and at run time),
 * the optimised-model cache, and the errors a user sees for broken model folders.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerInit } from '../../src/generator/runtime/protocol.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import ort from 'onnxruntime-node';
import { firstValueFrom, take, toArray } from '../../src/rx.js';
import { createGenerator } from '../../src/generator/runtime/generator.js';
import { neutralParams } from '../../src/generator/runtime/params.js';
import { syntheticModelBytes, writeSyntheticModel } from '../../src/generator/runtime/syntheticModel.js';
import { setLogSink } from '../../src/log.js';
import { UserError } from '../../src/errors.js';
import type { Frame } from '../../src/generator/types.js';


/** A worker factory starting one of test/generator/workers (the real worker wrapped with a fault). */
const testWorker = (name: string) => (init: WorkerInit): Worker =>
  new Worker(new URL(`./workers/${name}.js`, import.meta.url), { workerData: init });

/** The first worker dies on its second run; the restarted ones are the runtime's own. */
function crashOnce(): (init: WorkerInit) => Worker {
  let started = 0;
  return (init) =>
    started++ === 0 ? testWorker('crashOnSecondRun')(init) : new Worker(new URL('../../src/generator/runtime/worker.js', import.meta.url), { workerData: init });
}

const tmp = await mkdtemp(join(tmpdir(), 'latentvj-runtime-'));
test.after(() => rm(tmp, { recursive: true, force: true }));

/**
 * Times at which a 5 ms interval timer on this thread fired while `during` ran. Whether ticks land inside an
 * inference is behaviour (a blocked event loop cannot tick at all); how late they are is a figure for
 * `npm run bench -- generator`, since other processes on shared cores move it.
 */
async function timerTicks(during: () => Promise<void>): Promise<number[]> {
  const ticks: number[] = [];
  const timer = setInterval(() => ticks.push(performance.now()), 5);
  try {
    await during();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

const inside = (ticks: number[], from: number, to: number): number => ticks.filter((t) => t > from && t < to).length;

test('the main thread keeps running timers while a slow model (≥ 100 ms) runs in the worker', async (t) => {
  const dir = await writeSyntheticModel(join(tmp, 'slow'), { width: 64, height: 64, workMatMuls: 160 });
  const g = await createGenerator({ modelDir: dir, candidates: ['cpu'], threads: 1, warmupRuns: 1, statsIntervalS: 0, cacheOptimized: false });
  try {
    const p = neutralParams(g.info.manifest);
    const frames: Frame[] = [];
    const ticks = await timerTicks(async () => {
      for (let i = 0; i < 3; i++) {
        const next = firstValueFrom(g.frames$);
        p.frame = i;
        g.submit(p, performance.now());
        frames.push(await next);
      }
    });
    const inferMs = frames.map((f) => f.stamps.inferEnd - f.stamps.inferStart);
    // Precondition: the model really is slow, so a blocked main thread could not tick inside an inference.
    assert.ok(Math.min(...inferMs) >= 100, `inference took ${inferMs.map((v) => v.toFixed(0)).join(', ')} ms; the test needs ≥ 100 ms`);
    const during = frames.map((f) => inside(ticks, f.stamps.inferStart, f.stamps.inferEnd));
    t.diagnostic(`inference ${inferMs.map((v) => v.toFixed(0)).join('/')} ms; timer ticks inside each: ${during.join('/')}`);
    for (const [i, n] of during.entries()) assert.ok(n >= 1, `no timer tick while frame ${i} was inferred: the main thread was blocked`);

    // Control: the same model run on this thread does block the timer (so the check above can fail).
    const session = await ort.InferenceSession.create(join(dir, 'generator.onnx'), { intraOpNumThreads: 1 });
    const feeds = { ws: new ort.Tensor('float32', p.ws, [1, g.info.manifest.numWs, g.info.manifest.wDim]) };
    let from = 0;
    let to = 0;
    const blocked = await timerTicks(async () => {
      await new Promise((r) => setTimeout(r, 15));
      // onnxruntime-node runs the session in a setImmediate callback; immediates queued together run back to back
      // in one check phase, where no timer can fire, so these two stamp the native run's own start and end.
      setImmediate(() => (from = performance.now()));
      const run = session.run(feeds);
      setImmediate(() => (to = performance.now()));
      await run;
      await new Promise((r) => setTimeout(r, 15));
    });
    await session.release();
    t.diagnostic(`same model on the main thread: ${inside(blocked, from, to)} ticks inside ${(to - from).toFixed(0)} ms`);
    assert.ok(to - from >= 100, `the run on the main thread took ${(to - from).toFixed(0)} ms`);
    assert.equal(inside(blocked, from, to), 0, 'a run on the main thread let timers fire, so the check above proves nothing');
  } finally {
    await g.close();
  }
});

test('newest params win while inference is busy: nothing queues, replaced params count as dropped', async () => {
  const dir = await writeSyntheticModel(join(tmp, 'busy'), { width: 32, height: 32, workMatMuls: 30 });
  const g = await createGenerator({ modelDir: dir, candidates: ['cpu'], threads: 1, warmupRuns: 1, statsIntervalS: 0, cacheOptimized: false });
  try {
    const got = firstValueFrom(g.frames$.pipe(take(2), toArray()));
    const before = performance.now();
    for (let i = 0; i < 6; i++) {
      const p = neutralParams(g.info.manifest, i);
      p.ws.fill(i * 0.1);
      g.submit(p, before + i);
    }
    const frames = await got;
    assert.deepEqual(
      frames.map((f) => f.frame),
      [0, 5],
      'the first params render at once; of 1..5 submitted while busy, only the newest (5) renders',
    );
    assert.equal(g.stats().dropped, 4);
    // Stamps are on the main thread's clock and in order.
    for (const f of frames) {
      assert.ok(f.stamps.paramsAt <= f.stamps.inferStart, `params ${f.stamps.paramsAt} after inference start ${f.stamps.inferStart}`);
      assert.ok(f.stamps.inferStart < f.stamps.inferEnd);
      assert.ok(f.stamps.inferEnd <= performance.now());
      assert.equal(f.rgba.length, 32 * 32 * 4);
      assert.equal(f.rgba[3], 255);
    }
    // Frame 5 started only after frame 0 ended: the pending params waited, they did not queue behind others.
    assert.ok(frames[1]!.stamps.inferStart >= frames[0]!.stamps.inferEnd);
    // Different params, different pictures (the ws really reached the graph).
    assert.notDeepEqual(frames[0]!.rgba, frames[1]!.rgba);
    const s = g.stats();
    assert.ok(s.msMedian > 0 && s.fps > 0 && s.ep === 'cpu', JSON.stringify(s));
  } finally {
    await g.close();
  }
});

test('auto tries cuda, dml, coreml, webgpu, then cpu, and reports why each was skipped', async () => {
  const dir = await writeSyntheticModel(join(tmp, 'auto'), { width: 16, height: 16 });
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  try {
    const g = await createGenerator({ modelDir: dir, ep: 'auto', warmupRuns: 1, statsIntervalS: 0 });
    await g.close();
    assert.equal(g.info.ep, 'cpu');
    assert.deepEqual(
      g.info.fallbacks.map((f) => f.ep),
      ['cuda', 'dml', 'coreml', 'webgpu'],
    );
    for (const f of g.info.fallbacks) assert.ok(f.reason.length > 5, `${f.ep}: '${f.reason}'`);
    assert.ok(lines.some((l) => /provider webgpu skipped: /.test(l)));
    assert.ok(lines.some((l) => /provider cpu \(/.test(l)));
  } finally {
    restore();
  }
});

test('a provider failing at run time falls back to the next one and the frame still arrives', async () => {
  const dir = await writeSyntheticModel(join(tmp, 'fallback'), { width: 16, height: 16 });
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  try {
    // Two CPU sessions stand for two providers; every run on the first one throws.
    const g = await createGenerator({ modelDir: dir, candidates: ['cpu', 'cpu'], warmupRuns: 0, statsIntervalS: 0, workerFactory: testWorker('failFirstProvider') });
    const frame = firstValueFrom(g.frames$);
    g.submit(neutralParams(g.info.manifest), performance.now());
    const f = await frame;
    assert.equal(f.rgba.length, 16 * 16 * 4);
    assert.ok(lines.some((l) => /failed at run time \(injected run failure.*\); continuing on cpu/.test(l)), lines.join('\n'));
    // And it keeps going on the new one.
    const again = firstValueFrom(g.frames$);
    g.submit(neutralParams(g.info.manifest, 1), performance.now());
    assert.equal((await again).frame, 1);
    await g.close();
  } finally {
    restore();
  }
});

test('params of the wrong length skip the frame with one clear line, and the next good params render', async () => {
  const dir = await writeSyntheticModel(join(tmp, 'badparams'), { width: 16, height: 16, numWs: 4, wDim: 64 });
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  try {
    const g = await createGenerator({ modelDir: dir, candidates: ['cpu'], warmupRuns: 0, statsIntervalS: 0 });
    const bad = neutralParams(g.info.manifest);
    bad.ws = new Float32Array(10);
    g.submit(bad, performance.now());
    assert.ok(lines.some((l) => l.includes("FrameParams.ws has 10 values, the model's input 'ws' [1, 4, 64] needs 256")), lines.join('\n'));
    const next = firstValueFrom(g.frames$);
    g.submit(neutralParams(g.info.manifest, 7), performance.now());
    assert.equal((await next).frame, 7);
    await g.close();
  } finally {
    restore();
  }
});

test('the optimised model is cached on disk and reused by the next start', async () => {
  const dir = await writeSyntheticModel(join(tmp, 'cache'), { width: 16, height: 16 });
  const a = await createGenerator({ modelDir: dir, candidates: ['cpu'], warmupRuns: 0, statsIntervalS: 0 });
  await a.close();
  const b = await createGenerator({ modelDir: dir, candidates: ['cpu'], warmupRuns: 0, statsIntervalS: 0 });
  const frame = firstValueFrom(b.frames$);
  b.submit(neutralParams(b.info.manifest), performance.now());
  const f = await frame;
  await b.close();
  assert.equal(a.info.cached, 'written');
  assert.equal(b.info.cached, 'hit');
  assert.equal(f.rgba.length, 16 * 16 * 4);
});

test('the optimised model is written under a name of its own and renamed into place; another start’s partial file is left alone, a stale one removed', async () => {
  const dir = await writeSyntheticModel(join(tmp, 'cache-partial'), { width: 16, height: 16 });
  const cacheDir = join(dir, '.cache');
  await mkdir(cacheDir, { recursive: true });
  // What another process writing now, and one killed long ago, would have left.
  const writing = join(cacheDir, 'generator.cpu.all.0123456789abcdef.onnx.99999.tmp');
  const stale = join(cacheDir, 'generator.cpu.all.fedcba9876543210.onnx.99998.tmp');
  await writeFile(writing, 'half a model');
  await writeFile(stale, 'half a model');
  const old = new Date(Date.now() - 3600_000);
  await utimes(stale, old, old);
  const g = await createGenerator({ modelDir: dir, candidates: ['cpu'], warmupRuns: 0, statsIntervalS: 0 });
  await g.close();
  assert.equal(g.info.cached, 'written');
  const files = (await readdir(cacheDir)).sort();
  assert.deepEqual(files.filter((f) => !f.endsWith('.tmp')).length, 1, files.join(', '));
  assert.ok(files.includes(basename(writing)), 'the file another start is writing stays');
  assert.ok(!files.includes(basename(stale)), 'a partial file from long ago is removed');
  assert.ok(!files.some((f) => f.includes(`.${process.pid}.tmp`)), 'no partial file of this process is left');
});

test('broken model folders give one clear error naming the file and the problem', async () => {
  await assert.rejects(createGenerator({ modelDir: join(tmp, 'nowhere') }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.match(e.message, /nowhere: model directory not found/);
    return true;
  });

  const noManifest = join(tmp, 'nomanifest');
  await writeSyntheticModel(noManifest, { width: 8, height: 8 });
  await rm(join(noManifest, 'manifest.json'));
  await assert.rejects(createGenerator({ modelDir: noManifest }), /nomanifest\/manifest\.json: missing/);

  const corrupt = join(tmp, 'corrupt');
  await writeSyntheticModel(corrupt, { width: 8, height: 8 });
  const bytes = await readFile(join(corrupt, 'generator.onnx'));
  await writeFile(join(corrupt, 'generator.onnx'), bytes.subarray(0, Math.floor(bytes.length / 2)));
  await assert.rejects(createGenerator({ modelDir: corrupt, candidates: ['cpu'], cacheOptimized: false }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.match(e.message, /corrupt\/generator\.onnx: onnxruntime cannot load it/);
    assert.equal(e.message.split('\n').length, 1);
    return true;
  });

  // The graph says numWs 4, the manifest says 6: the input's shape is named with both.
  const mismatch = join(tmp, 'mismatch');
  await writeSyntheticModel(mismatch, { width: 8, height: 8, numWs: 6 });
  await writeFile(join(mismatch, 'generator.onnx'), syntheticModelBytes({ width: 8, height: 8, numWs: 4 }));
  await assert.rejects(
    createGenerator({ modelDir: mismatch, candidates: ['cpu'], cacheOptimized: false }),
    /mismatch\/generator\.onnx: input 'ws' has shape \[1, 4, 64\] but .*manifest\.json implies \[1, 6, 64\]/,
  );

  // Output size disagreeing with the manifest.
  const size = join(tmp, 'size');
  await writeSyntheticModel(size, { width: 8, height: 8 });
  await writeFile(join(size, 'generator.onnx'), syntheticModelBytes({ width: 16, height: 8 }));
  await assert.rejects(createGenerator({ modelDir: size, candidates: ['cpu'], cacheOptimized: false }), /output 'rgba' is uint8 \[8, 16, 4\] but .* says uint8 \[8, 8, 4\]/);
});

test('a worker that dies is restarted; the newest params pending meanwhile render when it is back', async () => {
  const dir = await writeSyntheticModel(join(tmp, 'crash'), { width: 16, height: 16 });
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  try {
    const g = await createGenerator({ modelDir: dir, candidates: ['cpu'], warmupRuns: 0, statsIntervalS: 0, workerFactory: crashOnce() });
    const first = firstValueFrom(g.frames$);
    g.submit(neutralParams(g.info.manifest, 1), performance.now());
    assert.equal((await first).frame, 1);
    const after = firstValueFrom(g.frames$);
    g.submit(neutralParams(g.info.manifest, 2), performance.now()); // the worker exits on this one
    await new Promise((r) => setTimeout(r, 50));
    g.submit(neutralParams(g.info.manifest, 3), performance.now());
    g.submit(neutralParams(g.info.manifest, 4), performance.now());
    assert.equal((await after).frame, 4, 'the newest params submitted during the restart render first');
    assert.ok(lines.some((l) => /inference worker exited \(code 3\); restarting/.test(l)), lines.join('\n'));
    await g.close();
  } finally {
    restore();
  }
});

test('the rolling summary is logged every statsIntervalS and matches stats()', async () => {
  const dir = await writeSyntheticModel(join(tmp, 'stats'), { width: 16, height: 16 });
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  try {
    const g = await createGenerator({ modelDir: dir, candidates: ['cpu'], warmupRuns: 0, statsIntervalS: 0.1 });
    const p = neutralParams(g.info.manifest);
    const sub = g.frames$.subscribe((f) => {
      p.frame = f.frame + 1;
      g.submit(p, performance.now());
    });
    g.submit(p, performance.now());
    await new Promise((r) => setTimeout(r, 350));
    sub.unsubscribe();
    const s = g.stats();
    await g.close();
    const summaries = lines.filter((l) => /\[generator\] [\d.]+ fps, inference median [\d.]+ ms, p95 [\d.]+ ms, dropped \d+, ep cpu/.test(l));
    assert.ok(summaries.length >= 2, lines.join('\n'));
    assert.ok(s.fps > 0 && s.msMedian > 0 && s.msP95 >= s.msMedian && s.dropped === 0, JSON.stringify(s));
  } finally {
    restore();
  }
});
