/**
 * A recorded session (live --record) rendered on the queue: `render --session <dir> --queue …` copies the
 * session's files into the render's folder and the job carries their sha256 and the session's content hash. A
 * worker that finds a copy that differs (here: a control line changed after the coordinator wrote it) refuses
 * with one line and leaves the chunk; a worker with the right copy replays the session — its audio through the
 * analysis, its control input and its mapping swap, on the virtual clock — and the joined video equals the
 * single-process `render --session` (framemd5). Real parts: redis-server on loopback, `latentvj` processes,
 * ffmpeg. CI size: a 2 s session from a tiny model at 160×90, 1 s chunks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { readManifest } from '../../src/generator/graph/manifest.js';
import { neutralParams } from '../../src/generator/runtime/params.js';
import { resolveMappingPath } from '../../src/mapping/index.js';
import { FILES } from '../../src/session/format.js';
import { SessionWriter } from '../../src/session/writer.js';
import { framemd5, renderCli } from '../render/helpers.js';
import { tinyModel, withFarm } from './procs.js';

const FPS = 30;

/** 2 s of the demo track from 20 s, recorded with the default mapping, a truncation sent over OSC at 0.5 s and a new mapping (another snare latent) at 1.2 s, from a folder that is not on this machine. */
async function recordSession(dir: string, model: string): Promise<void> {
  const manifest = await readManifest(model);
  const demo = renderDemoTrack();
  const sr = demo.sampleRate;
  const w = new SessionWriter({ dir, sampleRate: sr, channels: demo.channels.length, fps: FPS, modelDir: model, manifest, config: {} });
  const mapping = readFileSync(resolveMappingPath('default'), 'utf8');
  w.mapping(0, mapping, '/home/vj/set.yaml');
  const per = sr / FPS;
  for (let k = 0; k < 2 * FPS; k++) {
    const from = 20 * sr + k * per;
    w.audio(demo.channels.map((c) => c.subarray(from, from + per)));
    if (k === 15) w.control(w.audioS, { kind: 'osc', address: '/latentvj/param/truncation', args: [0.4], from: '127.0.0.1:9000' });
    if (k === 36) w.mapping(k / FPS, mapping.replace('seeds: [4242]', 'seeds: [4243]'), '/home/vj/set.yaml');
    const p = neutralParams(manifest, k);
    p.t = k / FPS;
    w.frame(p, 1 / FPS);
  }
  w.close();
}

test('render --session on the queue: a worker with a differing copy refuses in one line, a good one replays the session; framemd5 equals the single-process render', async () => {
  await withFarm(async ({ dir, shared, redis, cli }) => {
    const model = await tinyModel(dir, 4);
    const session = join(dir, 'set');
    await recordSession(session, model);
    const common = ['--session', session, '--model', model, '--size', '160x90', '--segment', '1'];
    const single = join(dir, 'single.mp4');
    const r = renderCli(...common, '--out', single);
    assert.equal(r.status, 0, r.stderr);

    const queue = redis.url('sessions');
    const out = join(dir, 'farm.mp4');
    const coordinator = cli(['render', ...common, '--out', out, '--queue', queue, '--shared', shared, '--chunk', '1']);
    const started = await coordinator.line(/render (r-[0-9a-f]+): .*; queue/);
    assert.ok(started, coordinator.stderr());
    // 2 s of audio: frames at 0 … 2 s, 61 of them; 1 s segments would leave a last one of a single frame, so they
    // are 31 and 30 (src/render/segments.ts).
    assert.match(started[0], /61 frames in 2 chunks of up to 31 frames; queue/);

    // The copy in the shared folder no longer matches the job: the worker refuses it, naming the file.
    const controls = join(shared, started[1]!, 'session', FILES.controls);
    const good = readFileSync(controls);
    writeFileSync(controls, good.toString('utf8').replace('0.4', '0.9'));
    const bad = cli(['worker', '--queue', queue, '--shared', shared, '--model', model, '--threads', '1', '--name', 'bad']);
    const refused = await bad.exited;
    assert.equal(refused.code, 2, bad.stderr());
    const lines = bad.stderr().split('\n').filter((l) => l.includes('refuses'));
    assert.equal(lines.length, 1, bad.stderr());
    assert.match(lines[0]!, new RegExp(`worker bad refuses render ${started[1]}: session .*controls\\.jsonl has sha256 [0-9a-f]{12}…, the job says [0-9a-f]{12}…`));
    assert.deepEqual(readdirSync(join(shared, started[1]!)).filter((f) => f.startsWith('seg-')), [], 'the refusing worker rendered nothing');

    writeFileSync(controls, good);
    const worker = cli(['worker', '--queue', queue, '--shared', shared, '--model', model, '--threads', '1', '--name', 'w1']);
    const c = await coordinator.exited;
    assert.equal(c.code, 0, coordinator.stderr());
    assert.match(worker.stderr(), /w1: chunk 1 of r-[0-9a-f]+: frames 31–60/);
    assert.equal(framemd5(out), framemd5(single));
  });
});
