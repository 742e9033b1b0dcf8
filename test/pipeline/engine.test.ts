import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Observable, Subject, map } from '../../src/rx.js';
import { Engine } from '../../src/pipeline/engine.js';
import type { AudioBlock } from '../../src/audio/types.js';
import type { Features } from '../../src/contracts/features.js';
import { quietFeatures } from '../helpers/features.js';
import { VirtualClock } from '../audio/clock.js';
import { bareParams } from '../helpers/frameParams.js';
import type { AudioSource, GeneratorStage, MapperInput, MapperStage, OutputStage } from '../../src/contracts/stages.js';
import type { Frame } from '../../src/generator/types.js';
import type { FrameParams } from '../../src/contracts/frameParams.js';

const SR = 1000;

/** A source of `n` blocks of 10 samples (10 ms each) paced on `clock`; the value of each block is its index. */
function pacedSource(n: number, clock: VirtualClock): AudioSource {
  return {
    info: { description: 'test blocks', kind: 'file', sampleRate: SR, channels: 1 },
    blocks$: new Observable<AudioBlock>((sub) => {
      let i = 0;
      let cancel = (): void => undefined;
      const next = (): void => {
        if (i === n) {
          sub.complete();
          return;
        }
        sub.next({ sampleRate: SR, t0: i * 10, channels: [new Float32Array(10).fill(i)] });
        i += 1;
        cancel = clock.setTimer(next, 10);
      };
      cancel = clock.setTimer(next, 10);
      return () => cancel();
    }),
  };
}

const features = (t: number, kick: number): Features =>
  quietFeatures(t, { onset: { all: kick, kick, snare: 0, hats: 0 }, events: kick > 0.5 ? ['kick'] : [] });

const params = (frame: number, t: number): FrameParams => bareParams(frame, t, { ws: new Float32Array(4) });

test('audio flows through analysis, a frame-rate mapper, the generator and the outputs, and stops when the audio ends', async () => {
  const clock = new VirtualClock();
  const inputs: MapperInput[] = [];
  const mapper: MapperStage = {
    frame(input) {
      inputs.push(input);
      return params(input.frame, input.t);
    },
  };
  const frames$ = new Subject<Frame>();
  let submitted = 0;
  const generator: GeneratorStage = {
    width: 2,
    height: 1,
    submit(p, paramsAt) {
      submitted += 1;
      frames$.next({
        frame: p.frame,
        width: 2,
        height: 1,
        rgba: new Uint8Array(8),
        stamps: { audioT: p.t, paramsAt, inferStart: paramsAt, inferEnd: paramsAt },
      });
    },
    frames$,
    stats: () => ({ fps: 0, msMedian: 0, msP95: 0, dropped: 0, ep: 'test' }),
    close: async () => frames$.complete(),
  };
  const got: Frame[] = [];
  let closed = 0;
  const broken: OutputStage = {
    name: 'broken-output',
    frame() {
      throw new Error('display cable unplugged');
    },
    close: async () => {
      closed += 1;
    },
  };
  const good: OutputStage = { name: 'good-output', frame: (f) => got.push(f) };
  const engine = new Engine(
    {
      audio: pacedSource(30, clock),
      // every 5th block is a "kick"
      analysis: (blocks$) => blocks$.pipe(map((b) => features((b.t0 + 10) / SR, b.channels[0]![0]! % 5 === 0 ? 1 : 0))),
      mapper,
      generator,
      outputs: [broken, good],
    },
    { fps: 50, clock },
  );
  const errors: string[] = [];
  engine.errors$.subscribe((e) => errors.push(e.stage));
  engine.start();
  clock.runUntil(1000);
  await engine.done;

  assert.equal(engine.stats.hops, 30);
  // 0.3 s of audio at 50 fps: frames 0 … 15, every one, stamped with its own audio time.
  assert.deepEqual(
    inputs.map((i) => [i.frame, i.t]),
    Array.from({ length: 16 }, (_, k) => [k, k / 50]),
  );
  assert.ok(inputs.every((i) => i.dt === 1 / 50));
  assert.equal(submitted, 16, 'the clock paces one frame per slot: each goes to the generator');
  assert.equal(submitted, got.length, 'every generated frame reached the good output despite the broken one');
  assert.ok(errors.includes('broken-output'), 'the failing output is reported, not fatal');
  assert.equal(closed, 1, 'outputs are closed on stop');
  // Kicks between frames are never lost: blocks 0, 5, 10 … 25 kick (records at 10, 60 … 260 ms) and each
  // reaches exactly the first frame at or after its time.
  const kickFrames = inputs.filter((i) => i.features?.events.has('kick')).map((i) => i.frame);
  assert.deepEqual(kickFrames, [1, 3, 6, 8, 11, 13]);
  for (const f of got) assert.ok(f.stamps.sentAt! >= f.stamps.paramsAt);
});

test('stop() is idempotent and ends a source that never completes', async () => {
  const clock = new VirtualClock();
  const engine = new Engine({ audio: pacedSource(1e9, clock) }, { fps: 30, clock });
  engine.start();
  clock.runUntil(50);
  await engine.stop();
  await engine.stop();
  await engine.done;
  assert.equal(engine.stats.audioBlocks, 5);
  assert.equal(clock.liveTimers(), 0, 'no timer left behind');
});

test('a fatal stage error stops the engine and is kept as fatalError; a requested stop leaves it null', async () => {
  const clock = new VirtualClock();
  const failing = new Engine(
    { audio: pacedSource(1e9, clock), analysis: (b$) => b$.pipe(map(() => { throw new Error('bad block'); })) },
    { fps: 30, clock },
  );
  failing.start();
  clock.runUntil(20);
  await failing.done;
  assert.equal(failing.fatalError, 'analysis: bad block');
  const fine = new Engine({ audio: pacedSource(1e9, clock) }, { fps: 30, clock });
  fine.start();
  await fine.stop();
  assert.equal(fine.fatalError, null);
});

test('a generator whose submit throws is reported and survived: the clock keeps ticking, nothing escapes', async () => {
  const clock = new VirtualClock();
  let submits = 0;
  const generator: GeneratorStage = {
    width: 1,
    height: 1,
    submit() {
      submits += 1;
      throw new Error('worker gone');
    },
    frames$: new Subject<Frame>(),
    stats: () => ({ fps: 0, msMedian: 0, msP95: 0, dropped: 0, ep: 'test' }),
    close: async () => undefined,
  };
  const mapper: MapperStage = { frame: (i) => params(i.frame, i.t) };
  const engine = new Engine({ audio: pacedSource(1e9, clock), mapper, generator }, { fps: 100, clock });
  const errors: string[] = [];
  engine.errors$.subscribe((e) => errors.push(`${e.stage}${e.fatal ? ' (fatal)' : ''}`));
  engine.start();
  clock.runUntil(120);
  await engine.stop();
  // Frames 0 … 11 (t ≤ 0.11 s, audio to 0.12 s, slots up to 11 since the first block at 10 ms).
  assert.equal(submits, 12);
  assert.equal(errors.length, 12);
  assert.ok(errors.every((e) => e === 'generator'), errors.join(', '));
});

test('stop() on an engine that was never started resolves (and done with it)', async () => {
  const engine = new Engine({ audio: pacedSource(1, new VirtualClock()) }, { fps: 30 });
  const timeout = new Promise<string>((r) => setTimeout(() => r('hung'), 500).unref());
  assert.equal(await Promise.race([engine.stop().then(() => 'stopped'), timeout]), 'stopped');
  assert.equal(await Promise.race([engine.done.then(() => 'done'), timeout]), 'done');
});

test('a slow pacing clock never loses frames: when the audio runs ahead, frames follow it in order', async () => {
  // The wall clock's timers fire 45 ms late: the audio (paced on the same clock) arrives in bursts.
  const clock = new VirtualClock(() => 45);
  const inputs: MapperInput[] = [];
  const mapper: MapperStage = { frame: (i) => (inputs.push(i), params(i.frame, i.t)) };
  const engine = new Engine({ audio: pacedSource(100, clock), mapper }, { fps: 60, clock });
  engine.start();
  clock.runUntil(10_000);
  await engine.done;
  assert.deepEqual(
    inputs.map((i) => i.frame),
    Array.from({ length: 61 }, (_, k) => k),
  );
  assert.ok(engine.stats.missedTicks > 0);
});
