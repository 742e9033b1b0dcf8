/**
 * One pipeline, one clock: the live engine on a virtual pacing clock and the offline run on the virtual clock step
 * the same middle, so they give the same FrameParams for the same file, every frame's dt is the frame period, and
 * a cue reaches the mapper on exactly one frame however often the state is looked at.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { encodeWav } from '../../src/audio/wav.js';
import { openAudioSource } from '../../src/audio/open.js';
import { defaultConfig, type Config } from '../../src/config.js';
import { copyFrameParams, type FrameParams } from '../../src/contracts/frameParams.js';
import type { MapperInput, MapperStage } from '../../src/contracts/stages.js';
import { createControl } from '../../src/control/index.js';
import { registerControlApi } from '../../src/control/api.js';
import { EngineServer } from '../../src/output/server.js';
import { Engine } from '../../src/pipeline/engine.js';
import { buildAnalysis, buildMapping, openOffline, openOfflineAudio, VirtualRun } from '../../src/pipeline/index.js';
import type { ControlCommand } from '../../src/control/commands.js';
import { setLogSink } from '../../src/log.js';
import { VirtualClock } from '../audio/clock.js';
import { bareParams } from '../helpers/frameParams.js';

/** A 4-second clip of the demo track (a drop with kicks and chords) as a WAV in a temp folder. */
function demoClip(seconds: number): { dir: string; wav: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-pipeline-'));
  const demo = renderDemoTrack();
  const from = 14 * demo.sampleRate;
  const n = Math.round(seconds * demo.sampleRate);
  const wav = join(dir, 'clip.wav');
  writeFileSync(wav, encodeWav({ sampleRate: demo.sampleRate, channels: demo.channels.map((c) => c.slice(from, from + n)) }, 'float32'));
  return { dir, wav };
}

function configFor(wav: string, fps: number): Config {
  const cfg = defaultConfig();
  cfg.fps = fps;
  cfg.audio.source = wav;
  cfg.audio.loop = false;
  // A gain and a channel choice, so a copy of the middle that ignored them would differ.
  cfg.audio.channels = [2];
  cfg.audio.gainDb = -3;
  return cfg;
}

/** A mapper that records its inputs and hands out bare params. */
class RecordingMapper implements MapperStage {
  readonly inputs: MapperInput[] = [];
  readonly cues: Array<{ frame: number; value: number }> = [];
  /** What each frame saw of the controls (they are one live object: read at the frame). */
  readonly seen: Array<[number, number, number | null]> = [];
  frame(input: MapperInput): FrameParams {
    this.inputs.push({ ...input });
    this.seen.push([input.frame, input.controls.values.get('cue:drop') ?? 0, input.controls.targets.get('truncation') ?? null]);
    const cue = input.controls.values.get('cue:drop');
    if (cue !== undefined) this.cues.push({ frame: input.frame, value: cue });
    return bareParams(input.frame, input.t);
  }
}

test('trace and live give identical FrameParams for the same file (live from a paced file source, nothing dropped)', async () => {
  const restore = setLogSink({ write: () => undefined });
  const { dir, wav } = demoClip(4);
  try {
    const fps = 30;
    const cfg = configFor(wav, fps);

    // Offline: the virtual clock, as `trace` and `render` run it.
    const offline: FrameParams[] = [];
    const p = await openOffline(cfg);
    try {
      for await (const f of p.run.framesAsync()) offline.push(copyFrameParams(f.params));
    } finally {
      await p.close();
    }
    assert.equal(offline.length, Math.floor(4 * fps) + 1);

    // Live: the real engine, its source paced in real time on a virtual wall clock that also paces the frames.
    const clock = new VirtualClock();
    const audio = await openAudioSource(cfg.audio, { realtime: true, clock });
    const mapping = await buildMapping(cfg, { watch: false });
    const live: FrameParams[] = [];
    const engine = new Engine(
      { audio, analysis: buildAnalysis(cfg), mapper: mapping.mapper, outputs: [{ name: 'recorder', params: (q) => live.push(copyFrameParams(q)) }] },
      { fps, clock },
    );
    engine.start();
    clock.runUntil(6000);
    await engine.done;
    await mapping.close();

    assert.equal(live.length, offline.length, 'every frame evaluated live too');
    let worst = 0;
    const arrays = ['ws', 'noiseMix', 'noiseStrength', 'noiseMask', 'bend', 'rewrite'] as const;
    for (let k = 0; k < live.length; k++) {
      const a = live[k]!;
      const b = offline[k]!;
      assert.equal(a.frame, k);
      assert.equal(a.t, b.t);
      assert.equal(a.scene, b.scene);
      assert.deepEqual(a.post, b.post);
      worst = Math.max(worst, Math.abs(a.truncation - b.truncation));
      for (const key of arrays) {
        assert.equal(a[key].length, b[key].length, key);
        for (let i = 0; i < a[key].length; i++) worst = Math.max(worst, Math.abs(a[key][i]! - b[key][i]!));
      }
    }
    assert.ok(worst <= 1e-6, `largest difference ${worst}`);
    // The picture moved with the music: the frames are not all alike.
    assert.notDeepEqual(offline[10]!.noiseStrength, offline[100]!.noiseStrength);
  } finally {
    restore();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('at 60 fps live every frame is stamped k/60 with dt = 1/60, none skipped, and the jitter is measured', async () => {
  const restore = setLogSink({ write: () => undefined });
  const { dir, wav } = demoClip(2);
  try {
    const fps = 60;
    const cfg = configFor(wav, fps);
    const clock = new VirtualClock();
    const audio = await openAudioSource(cfg.audio, { realtime: true, clock });
    const mapper = new RecordingMapper();
    const engine = new Engine({ audio, analysis: buildAnalysis(cfg), mapper }, { fps, clock });
    engine.start();
    clock.runUntil(1000);
    // Halfway through, on the wall-clock grid: frames up to now, none ahead of the audio.
    const mid = mapper.inputs.length;
    assert.ok(mid >= 58 && mid <= 61, `frames after 1 s: ${mid}`);
    assert.equal(engine.stats.frameJitterMsMax < 1e-6, true, `jitter ${engine.stats.frameJitterMsMax} ms on an exact clock`);
    clock.runUntil(4000);
    await engine.done;
    assert.equal(mapper.inputs.length, 2 * fps + 1);
    mapper.inputs.forEach((input, k) => {
      assert.equal(input.frame, k);
      assert.equal(input.t, k / fps);
      assert.equal(input.dt, 1 / 60);
    });
  } finally {
    restore();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('late timers: frames keep their audio time and period; the jitter shows the lateness', async () => {
  const restore = setLogSink({ write: () => undefined });
  const { dir, wav } = demoClip(1);
  try {
    const fps = 60;
    const cfg = configFor(wav, fps);
    // Every timer fires 0–12 ms late, in a fixed pattern.
    let n = 0;
    const clock = new VirtualClock(() => [0, 7, 12, 3, 0, 9][n++ % 6]!);
    const audio = await openAudioSource(cfg.audio, { realtime: true, clock });
    const mapper = new RecordingMapper();
    const engine = new Engine({ audio, analysis: buildAnalysis(cfg), mapper }, { fps, clock });
    engine.start();
    clock.runUntil(3000);
    await engine.done;
    assert.equal(mapper.inputs.length, fps + 1);
    mapper.inputs.forEach((input, k) => {
      assert.equal(input.t, k / fps);
      assert.equal(input.dt, 1 / 60);
    });
    assert.ok(engine.stats.frameJitterMsMax > 1, `jitter ${engine.stats.frameJitterMsMax} ms`);
  } finally {
    restore();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a cue sent while /api/state is polled reaches the mapper on the next frame, exactly once', async () => {
  const restore = setLogSink({ write: () => undefined });
  const { dir, wav } = demoClip(1);
  const server = new EngineServer({ host: '127.0.0.1', port: 0 });
  try {
    const fps = 60;
    const cfg = configFor(wav, fps);
    const clock = new VirtualClock();
    const control = await createControl({ oscEnabled: false });
    const audio = await openAudioSource(cfg.audio, { realtime: true, clock });
    const mapper = new RecordingMapper();
    const engine = new Engine({ audio, analysis: buildAnalysis(cfg), mapper, control }, { fps, clock });
    control.setAudioClock(() => engine.nextFrameT);
    const api = registerControlApi(server, control, { host: '127.0.0.1', getState: () => ({ targets: {}, features: null, tempo: null, fps, frames: engine.stats.frames }) });
    const { port } = await server.listen();
    const poll = async (times: number): Promise<void> => {
      for (let i = 0; i < times; i++) assert.equal((await fetch(`http://127.0.0.1:${port}/api/state`)).status, 200);
    };
    const stamps: number[] = [];
    control.events$.subscribe((e) => {
      if (e.kind === 'cue') stamps.push(e.t);
    });
    engine.start();
    const periodMs = 1000 / fps;
    clock.runUntil(10 * periodMs);
    const before = mapper.inputs.length;
    const r = await fetch(`http://127.0.0.1:${port}/api/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'cue', name: 'drop' }) });
    assert.equal(r.status, 200, await r.text());
    // The monitor and a 100 Hz poller look at the state between frames: more looks than frames.
    await poll(3);
    for (let k = 1; k <= 20; k++) {
      clock.runUntil((10 + k) * periodMs);
      await poll(2);
    }
    const ones = mapper.cues.filter((c) => c.value === 1);
    assert.deepEqual(
      ones.map((c) => c.frame),
      [before],
      'seen at 1 on the first frame after it was sent, and on no other',
    );
    assert.equal(stamps.length, 1);
    assert.equal(stamps[0], before / fps, 'the cue is stamped with the audio time of the frame it reaches');
    api.close();
    await engine.stop();
  } finally {
    await server.close();
    restore();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('controls recorded live (stamped with audio time) replay offline on the same frames', async () => {
  const restore = setLogSink({ write: () => undefined });
  const { dir, wav } = demoClip(1);
  try {
    const fps = 30;
    const cfg = configFor(wav, fps);
    // Live: commands arrive between frames; each event is stamped with the audio time of the frame it reaches.
    const clock = new VirtualClock();
    const control = await createControl({ oscEnabled: false });
    const audio = await openAudioSource(cfg.audio, { realtime: true, clock });
    const liveMapper = new RecordingMapper();
    const engine = new Engine({ audio, analysis: buildAnalysis(cfg), mapper: liveMapper, control }, { fps, clock });
    control.setAudioClock(() => engine.nextFrameT);
    const recorded: Array<{ t: number; cmd: ControlCommand }> = [];
    const send = (cmd: ControlCommand): void => {
      control.apply(cmd, 'test');
      recorded.push({ t: engine.nextFrameT, cmd });
    };
    engine.start();
    clock.runUntil(10 + 100.5);
    send({ type: 'cue', name: 'drop' });
    clock.runUntil(10 + 400.5);
    send({ type: 'set', target: 'truncation', value: 0.4 });
    send({ type: 'cue', name: 'drop' });
    clock.runUntil(3000);
    await engine.done;

    // Offline: the recording applied before each frame whose time has come.
    const replayControl = await createControl({ oscEnabled: false });
    const offMapper = new RecordingMapper();
    let next = 0;
    const run = new VirtualRun({
      fps,
      audio: await openOfflineAudio(cfg.audio),
      blockSize: cfg.audio.blockSize,
      analysis: buildAnalysis(cfg),
      mapper: offMapper,
      control: replayControl,
      beforeFrame: (t) => {
        while (next < recorded.length && recorded[next]!.t <= t) replayControl.apply(recorded[next++]!.cmd, 'replay');
      },
    });
    for (const _ of run.frames()) void _;
    await replayControl.close();

    assert.equal(offMapper.seen.length, liveMapper.seen.length);
    assert.deepEqual(offMapper.seen, liveMapper.seen);
    assert.ok(liveMapper.seen.some(([, , tr]) => tr === 0.4) && liveMapper.seen.some(([, , tr]) => tr === null));
    assert.equal(liveMapper.cues.filter((c) => c.value === 1).length, 2, 'two cues, one frame each');
  } finally {
    restore();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('looking at the controls never consumes a cue; taking once per frame does', async () => {
  const control = await createControl({ oscEnabled: false });
  try {
    control.apply({ type: 'cue', name: 'drop' }, 'test');
    for (let i = 0; i < 5; i++) assert.notEqual(control.state().values.get('cue:drop'), 1, 'not shown before a frame takes it');
    assert.equal(control.take(0).values.get('cue:drop'), 1);
    for (let i = 0; i < 5; i++) assert.equal(control.state().values.get('cue:drop'), 1, 'looking changes nothing');
    assert.equal(control.take(1 / 30).values.get('cue:drop'), 0);
    assert.equal(control.take(2 / 30).values.get('cue:drop'), 0);
  } finally {
    await control.close();
  }
});
