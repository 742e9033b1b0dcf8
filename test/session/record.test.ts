/**
 * A live show recorded from a file (`live --record`), with OSC and ws control changes during it, re-rendered from
 * its inputs (`render --session`, `trace --session`): the params equal those live showed, frame by frame; at 2×
 * size and 60 fps the video keeps in sync with its audio; a session whose engine was killed renders up to its end.
 * The set is 20 s (30 s with LATENTVJ_FULL_RENDER=1), played at 4× real time (`live --pace 4`): the engine stamps
 * everything in audio time, so the session is the one a real-time show of the file records, in a quarter of the
 * time. The test waits on what the session folder holds (frames written), never on a duration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { Client } from 'node-osc';
import WebSocket from 'ws';
import { encodeWav } from '../../src/audio/wav.js';
import { readSession } from '../../src/session/reader.js';
import { openSessionReplay } from '../../src/pipeline/replay.js';
import { PARAM_FIELDS } from '../../src/session/format.js';
import { probe, renderCli, tinyModel, tmp } from '../render/helpers.js';
import { startLiveChild, stopLiveChild, type LiveChild } from '../helpers/liveChild.js';

const SR = 22050;
const FPS = 30;
/** The control changes land at 5, 10, 15 and 16 s; the mapping edit after that, so 20 s holds them all. */
const SET_S = process.env.LATENTVJ_FULL_RENDER === '1' ? 30 : 20;
const PACE = 4;

/** Kicks every half second over a low tone, with a louder second half. */
function writeSet(file: string, seconds: number): void {
  const n = SR * seconds;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    const sinceKick = t % 0.5;
    const kick = sinceKick < 0.12 ? Math.sin(2 * Math.PI * (60 + 80 * Math.exp(-sinceKick * 30)) * sinceKick) * Math.exp(-sinceKick * 25) : 0;
    x[i] = (t < seconds / 2 ? 0.3 : 0.7) * (0.6 * kick + 0.2 * Math.sin(2 * Math.PI * 110 * t));
  }
  writeFileSync(file, encodeWav({ sampleRate: SR, channels: [x] }));
}

const lines = (file: string): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);

/** Audio time (s) of the last frame recorded: frames live dropped have no line, so line counts lag frame numbers. */
function recordedS(file: string): number {
  if (!existsSync(file)) return 0;
  const all = readFileSync(file, 'utf8').split('\n');
  const last = all[all.length - 2];
  return last ? (JSON.parse(last) as { t: number }).t : 0;
}

/** Resolves once `check` holds, polling the folder live writes; bounded so a broken recorder fails, not hangs. */
async function until(what: string, check: () => boolean, live: LiveChild): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not reached\n${live.log.slice(-20).join('\n')}`);
}

async function wsSend(url: string, msgs: object[]): Promise<unknown[]> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/control');
  // Replies are matched by id: the greeting (and anything else unasked) is skipped.
  const replies = new Map<number, unknown>();
  let wake: (() => void) | null = null;
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString()) as { id?: number };
    if (typeof m.id === 'number') replies.set(m.id, m);
    wake?.();
  });
  await once(ws, 'open');
  const out: unknown[] = [];
  for (let id = 0; id < msgs.length; id++) {
    ws.send(JSON.stringify({ ...msgs[id], id }));
    while (!replies.has(id)) await new Promise<void>((r) => (wake = r));
    out.push(replies.get(id));
  }
  ws.close();
  return out;
}

async function oscSend(port: number, address: string, ...args: number[]): Promise<void> {
  const c = new Client('127.0.0.1', port);
  await new Promise<void>((resolve, reject) => c.send(address, ...args, (e: Error | null) => (e ? reject(e) : resolve())));
  c.close();
}

test('a live set recorded with OSC and ws changes re-renders frame by frame; at 2× size and 60 fps in sync; a killed one renders to its end', async () => {
  const t = tmp();
  try {
    const model = await tinyModel(join(t.dir, 'tiny'));
    const wav = join(t.dir, 'set.wav');
    writeSet(wav, SET_S);
    const dir = join(t.dir, 'session');
    const frames = join(dir, 'frames.jsonl');
    const mapping = join(t.dir, 'set.yaml');
    const preset = readFileSync('mappings/default.yaml', 'utf8');
    assert.ok(preset.includes('range: [0.65, 0.9]'));
    writeFileSync(mapping, preset);
    const live = await startLiveChild(['--fps', String(FPS), '--audio', wav, '--model', model, '--mapping', mapping, '--record', dir, '--pace', String(PACE)]);
    try {
      await until('150 frames recorded', () => lines(frames) >= 150, live);
      await oscSend(live.oscPort, '/latentvj/param/truncation', 0.3);
      await until('300 frames recorded', () => lines(frames) >= 300, live);
      const replies = await wsSend(live.url, [
        { type: 'set', target: 'truncation', value: 0.9 },
        { type: 'cue', name: 'drop' },
      ]);
      assert.deepEqual(replies.map((r) => (r as { ok: boolean }).ok), [true, true]);
      await until('450 frames recorded', () => lines(frames) >= 450, live);
      await oscSend(live.oscPort, '/latentvj/release/truncation');
      await until('480 frames recorded', () => lines(frames) >= 480, live);
      // A saved edit hot-reloads: the session gets a second mapping version at the frame it took over.
      writeFileSync(mapping, preset.replace('range: [0.65, 0.9]', 'range: [0.1, 0.2]'));
      await until('mapping version 2 recorded', () => lines(join(dir, 'mappings.jsonl')) >= 2, live);
      await until(`${SET_S} s recorded`, () => recordedS(frames) >= SET_S - 1 / FPS - 1e-9, live);
      // The ws record toggle closes the session: it ends whole, with its sizes in the header.
      const off = await wsSend(live.url, [{ type: 'record', on: false }]);
      assert.equal((off[0] as { ok: boolean }).ok, true);
      await until('session closed', () => JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8')).ended !== undefined, live);
      // OSC toggles a second take into the next folder, on its own clock from its first sample.
      const take2 = `${dir}-2`;
      await oscSend(live.oscPort, '/latentvj/record', 1);
      await until('second take: 15 frames', () => lines(join(take2, 'frames.jsonl')) >= 15, live);
      await oscSend(live.oscPort, '/latentvj/record', 0);
      await until('second take closed', () => JSON.parse(readFileSync(join(take2, 'session.json'), 'utf8')).ended !== undefined, live);
      const second = readSession(take2);
      assert.ok((second.header.startS ?? 0) > SET_S - 1, `second take starts at ${second.header.startS} s of the show`);
      assert.ok(second.frames[0]!.t >= 0 && second.frames[0]!.t < 1 / FPS + 0.1, `its first frame at ${second.frames[0]!.t} s`);
      assert.equal(second.controls.length, 0, 'the toggle itself is not recorded');
    } finally {
      await stopLiveChild(live.child, 'SIGINT');
    }

    const session = readSession(dir);
    assert.equal(session.complete, true);
    assert.ok(session.frames.at(-1)!.t >= SET_S - 1 / FPS - 1e-9, `frames recorded up to ${session.frames.at(-1)!.t} s`);
    assert.ok(session.audio.channels[0]!.length / session.audio.sampleRate >= SET_S - 1 / FPS, 'the audio of the whole set');
    assert.deepEqual(
      session.controls.map((c) => c.event.kind),
      ['osc', 'command', 'command', 'osc'],
      'OSC and ws inputs are recorded; the record toggle is not',
    );
    const shown = session.frames.map((f) => f.truncation);
    assert.ok(shown.includes(0.3) && shown.includes(0.9), 'the control changes reached the picture live');
    assert.equal(session.mappings.length, 2);
    const swapFrame = Math.round(session.mappings[1]!.t * FPS);
    assert.ok(swapFrame > 480 && swapFrame < session.frames.at(-1)!.frame, `version 2 from frame ${swapFrame}`);
    assert.ok(session.frames.filter((f) => f.frame >= swapFrame + 5).every((f) => f.truncation <= 0.2 + 1e-6), 'the edited range ruled after the reload');

    // The same inputs through the pipeline on the virtual clock: every frame live showed, within 1e-5 (a frame
    // live dropped has no record; the replay makes it too, and it is skipped here).
    const recordOf = new Map(session.frames.map((f, i) => [f.frame, i]));
    const replay = await openSessionReplay(session);
    let compared = 0;
    try {
      for (const f of replay.run.frames()) {
        const line = recordOf.get(f.frame);
        if (line === undefined) continue;
        const r = session.params(line);
        assert.ok(Math.abs(r.t - f.t) < 1e-9, `frame ${f.frame}: t`);
        assert.ok(Math.abs(r.truncation - f.params.truncation) <= 1e-5, `frame ${f.frame}: truncation ${f.params.truncation}, live ${r.truncation}`);
        assert.equal(f.params.scene, r.scene, `frame ${f.frame}: scene`);
        for (const [k, v] of Object.entries(r.post)) {
          const got = (f.params.post as unknown as Record<string, number | boolean>)[k];
          assert.ok(typeof v === 'number' ? Math.abs(v - (got as number)) <= 1e-5 : v === got, `frame ${f.frame}: post.${k} ${String(got)}, live ${String(v)}`);
        }
        for (const field of PARAM_FIELDS) {
          const a = r.params[field];
          const b = f.params[field];
          for (let i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i]! - (b[i] ?? 0)) <= 1e-5)) assert.fail(`frame ${f.frame}: ${field}[${i}] ${b[i]}, live ${a[i]}`);
          }
        }
        compared += 1;
      }
    } finally {
      await replay.close();
    }
    assert.equal(compared, session.frames.length);

    // trace --session shows the same frames, controls included.
    const trace = spawnSync(process.execPath, ['bin/latentvj.js', 'trace', '--session', dir], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(trace.status, 0, trace.stderr);
    const traced = trace.stdout.trim().split('\n').map((l) => JSON.parse(l) as { frame: number; controls: { overrides: Record<string, number> } });
    assert.ok(traced.length >= session.frames.length);
    assert.equal(traced[225]!.controls.overrides['truncation'], 0.3);
    assert.match(trace.stderr, /W\+ within/);

    // At 2× size and 60 fps: every frame, the audio stream in, durations in sync.
    const out = join(t.dir, 'set.mp4');
    const r = renderCli('--session', dir, '--size', '64x64', '--fps', '60', '--out', out);
    assert.equal(r.status, 0, r.stderr);
    const streams = probe(out);
    const v = streams.find((s) => s.codec_type === 'video')!;
    const a = streams.find((s) => s.codec_type === 'audio');
    assert.ok(a, 'an audio stream');
    const audioS = session.audio.channels[0]!.length / session.audio.sampleRate;
    assert.equal(Number(v.nb_frames), Math.floor(audioS * 60 + 1e-9) + 1);
    // The last frame runs up to a frame past the audio's end; the AAC stream's own duration reads a fraction of a
    // millisecond short of the source's on some lengths (video 20.45 s, audio 20.433016 s for a source of 20.4333 s
    // or more), so a millisecond over a frame.
    const syncS = Math.abs(Number(v.duration) - Number(a.duration));
    assert.ok(syncS <= 1 / 60 + 0.001, `video ${v.duration} s, audio ${a.duration} s`);
    assert.ok(Math.abs(Number(a.duration) - audioS) <= 1 / 60, `audio ${a.duration} s, recorded ${audioS} s`);

    // Killed mid-set: the session is cut short and renders to where it ends.
    const cut = join(t.dir, 'cut');
    const killed = await startLiveChild(['--fps', String(FPS), '--audio', wav, '--model', model, '--record', cut]);
    try {
      await until('45 frames recorded', () => lines(join(cut, 'frames.jsonl')) >= 45, killed);
    } finally {
      await stopLiveChild(killed.child, 'SIGKILL');
    }
    const short = readSession(cut);
    assert.equal(short.complete, false);
    const cutOut = join(t.dir, 'cut.mp4');
    const rc = renderCli('--session', cut, '--out', cutOut);
    assert.equal(rc.status, 0, rc.stderr);
    const cs = probe(cutOut);
    const cutS = short.audio.channels[0]!.length / short.audio.sampleRate;
    const cv = cs.find((s) => s.codec_type === 'video')!;
    assert.equal(Number(cv.nb_frames), Math.floor(cutS * FPS + 1e-9) + 1);
    assert.ok(Number(cv.nb_frames) >= short.frames.length);
  } finally {
    t.done();
  }
});
