import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Observable, Subject, map } from 'rxjs';
import { Engine } from '../../src/pipeline/engine.js';
import type { AudioBlock } from '../../src/audio/types.js';
import type { Features } from '../../src/contracts/features.js';
import { quietFeatures } from '../helpers/features.js';
import { bareParams } from '../helpers/frameParams.js';
import type { AudioSource, GeneratorStage, MapperInput, MapperStage, OutputStage } from '../../src/contracts/stages.js';
import type { Frame } from '../../src/generator/types.js';
import type { FrameParams } from '../../src/contracts/frameParams.js';

const SR = 1000;

/** A real-time paced source of `n` blocks of 10 samples (10 ms each); the value of each block is its index. */
function pacedSource(n: number): AudioSource {
  return {
    info: { description: 'test blocks', kind: 'file', sampleRate: SR, channels: 1 },
    blocks$: new Observable<AudioBlock>((sub) => {
      let i = 0;
      const timer = setInterval(() => {
        if (i === n) {
          clearInterval(timer);
          sub.complete();
          return;
        }
        sub.next({ sampleRate: SR, t0: i * 10, channels: [new Float32Array(10).fill(i)] });
        i += 1;
      }, 10);
      return () => clearInterval(timer);
    }),
  };
}

const features = (t: number, kick: number): Features =>
  quietFeatures(t, { onset: { all: kick, kick, snare: 0, hats: 0 }, events: kick > 0.5 ? ['kick'] : [] });

const params = (frame: number, t: number): FrameParams => bareParams(frame, t, { ws: new Float32Array(4) });

test('audio flows through analysis, a frame-rate mapper, the generator and the outputs, and stops when the audio ends', async () => {
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
      audio: pacedSource(30),
      // every 5th block is a "kick"
      analysis: (blocks$) => blocks$.pipe(map((b) => features((b.t0 + 10) / SR, b.channels[0]![0]! % 5 === 0 ? 1 : 0))),
      mapper,
      generator,
      outputs: [broken, good],
    },
    { fps: 50 },
  );
  const errors: string[] = [];
  engine.errors$.subscribe((e) => errors.push(e.stage));
  engine.start();
  await engine.done;

  assert.ok(engine.stats.hops >= 25, `hops ${engine.stats.hops}`);
  assert.ok(inputs.length >= 5, `mapper ran ${inputs.length} times`);
  assert.equal(submitted, got.length, 'every generated frame reached the good output despite the broken one');
  assert.ok(errors.includes('broken-output'), 'the failing output is reported, not fatal');
  assert.equal(closed, 1, 'outputs are closed on stop');
  // kicks between frames are never lost: the held onset peaks add up to the kicks that were sent
  const kicksSeen = inputs.filter((i) => i.features?.events.has('kick')).length;
  assert.ok(kicksSeen >= 5, `kicks seen by the mapper: ${kicksSeen}`);
  for (const f of got) assert.ok(f.stamps.sentAt! >= f.stamps.paramsAt);
});

test('stop() is idempotent and ends a source that never completes', async () => {
  const engine = new Engine({ audio: { ...pacedSource(1e9) } }, { fps: 30 });
  engine.start();
  await new Promise((r) => setTimeout(r, 50));
  await engine.stop();
  await engine.stop();
  await engine.done;
  assert.ok(engine.stats.audioBlocks >= 1);
});

test('a fatal stage error stops the engine and is kept as fatalError; a requested stop leaves it null', async () => {
  const failing = new Engine(
    { audio: pacedSource(1e9), analysis: (b$) => b$.pipe(map(() => { throw new Error('bad block'); })) },
    { fps: 30 },
  );
  failing.start();
  await failing.done;
  assert.equal(failing.fatalError, 'analysis: bad block');
  const fine = new Engine({ audio: pacedSource(1e9) }, { fps: 30 });
  fine.start();
  await fine.stop();
  assert.equal(fine.fatalError, null);
});

test('a generator whose submit throws is reported and survived: the clock keeps ticking, nothing escapes', async () => {
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
  const engine = new Engine({ audio: pacedSource(1e9), mapper, generator }, { fps: 100 });
  const errors: string[] = [];
  engine.errors$.subscribe((e) => errors.push(`${e.stage}${e.fatal ? ' (fatal)' : ''}`));
  engine.start();
  await new Promise((r) => setTimeout(r, 120));
  await engine.stop();
  assert.ok(submits >= 3, `submits ${submits}`);
  assert.ok(errors.length >= 3 && errors.every((e) => e === 'generator'), errors.join(', '));
});

test('stop() on an engine that was never started resolves (and done with it)', async () => {
  const engine = new Engine({ audio: pacedSource(1) }, { fps: 30 });
  const timeout = new Promise<string>((r) => setTimeout(() => r('hung'), 500).unref());
  assert.equal(await Promise.race([engine.stop().then(() => 'stopped'), timeout]), 'stopped');
  assert.equal(await Promise.race([engine.done.then(() => 'done'), timeout]), 'done');
});
