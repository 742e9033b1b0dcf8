/**
 * With no display connected the generator idles: params are not submitted until a /frames client (display or
 * preview) connects, and stop again when the last one leaves. Counted in frames, not time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Subject } from '../../src/rx.js';
import { WebSocket } from 'ws';
import { idleWithoutViewers } from '../../src/output/demand.js';
import type { GeneratorStage } from '../../src/contracts/stages.js';
import type { Frame } from '../../src/generator/types.js';
import { setLogSink } from '../../src/log.js';
import { bareParams } from '../helpers/frameParams.js';
import { startOutputs } from './helpers.js';

test('inference idles without a display and runs while one is connected', async () => {
  const restore = setLogSink({ write: () => undefined });
  const run = await startOutputs();
  const submitted: number[] = [];
  const generator: GeneratorStage = {
    width: 4,
    height: 4,
    submit: (p) => void submitted.push(p.frame),
    frames$: new Subject<Frame>(),
    stats: () => ({ fps: 0, msMedian: 0, msP95: 0, dropped: 0, ep: 'cpu' }),
    close: async () => undefined,
  };
  const viewers = () => run.outputs.stats().clients + run.outputs.stats().previews > 0;
  const gate = idleWithoutViewers(generator, viewers);
  const always = idleWithoutViewers(generator, viewers, false);
  try {
    let frame = 0;
    const tick = (n: number) => {
      for (let i = 0; i < n; i++) gate.stage.submit(bareParams(frame++, frame / 30), 0);
    };
    tick(10);
    assert.deepEqual(submitted, []);
    assert.equal(gate.idleFrames, 10);
    const ws = new WebSocket(`ws://127.0.0.1:${run.server.address()!.port}/frames`);
    await once(ws, 'message'); // hello: the display is registered
    tick(3);
    assert.deepEqual(submitted, [10, 11, 12]);
    ws.close();
    await once(ws, 'close');
    while (viewers()) await new Promise((r) => setImmediate(r));
    tick(5);
    assert.deepEqual(submitted, [10, 11, 12]);
    always.stage.submit(bareParams(99, 3), 0);
    assert.deepEqual(submitted, [10, 11, 12, 99], 'idleWithoutDisplay: false always infers');
  } finally {
    await run.close();
    restore();
  }
});
