/**
 * No client can slow the engine: a raw TCP client completes the ws handshake on /frames and then never reads
 * again. The real Engine (pacing clock → mapper → generator → outputs), paced on a virtual clock while the
 * sockets run for real, makes every frame, a normal ws client keeps getting the newest frames, and the stalled
 * client costs at most one waiting frame (drops, no queue).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { Subject } from '../../src/rx.js';
import WebSocket from 'ws';
import { Engine } from '../../src/pipeline/engine.js';
import type { Frame } from '../../src/generator/types.js';
import type { GeneratorStage, MapperStage } from '../../src/contracts/stages.js';
import { FRAME_HEADER_BYTES, frameMessageBytes } from '../../src/output/protocol.js';
import { makeFrame, paramsWith, startOutputs, testPattern } from './helpers.js';
import { VirtualClock } from '../audio/clock.js';
import { silentSource } from '../helpers/silence.js';

const SIDE = 512; // 1 MiB per frame: a stalled socket's kernel buffers fill within a few frames
const FPS = 30;

/** A generator stand-in that returns a ready frame for every params it is given (the transport is under test). */
function instantGenerator(): GeneratorStage {
  const frames$ = new Subject<Frame>();
  const pictures = [testPattern(SIDE, SIDE, 0), testPattern(SIDE, SIDE, 1)];
  let n = 0;
  return {
    width: SIDE,
    height: SIDE,
    submit: (params) => {
      n += 1;
      frames$.next(makeFrame(params.frame, SIDE, SIDE, pictures[n % 2]!, params.t));
    },
    frames$,
    stats: () => ({ fps: 0, msMedian: 0, msP95: 0, dropped: 0, ep: 'test' }),
    close: async () => frames$.complete(),
  };
}

/** Opens a ws connection by hand, then stops reading: the socket's receive window fills and stays full. */
async function stalledClient(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(
    `GET /frames HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await new Promise<void>((resolve) => {
    socket.once('data', (d: Buffer) => {
      assert.match(d.toString('latin1'), /^HTTP\/1\.1 101/);
      socket.pause(); // never read again
      resolve();
    });
  });
  return socket;
}

test('the engine makes every frame while a client that never reads is connected; the stalled client is dropped to', { timeout: 60_000 }, async () => {
  const running = await startOutputs();
  const port = running.server.address()!.port;
  const clock = new VirtualClock();
  const mapper: MapperStage = { frame: (input) => paramsWith({}, 0, input.frame) };
  const engine = new Engine(
    { audio: silentSource(clock), mapper, generator: instantGenerator(), outputs: [running.outputs] },
    { fps: FPS, clock },
  );
  const stalled = await stalledClient(port);
  const good = new WebSocket(`ws://127.0.0.1:${port}/frames`);
  let goodFrames = 0;
  let goodLast = -1;
  good.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return;
    assert.equal(data.length, frameMessageBytes(SIDE, SIDE));
    goodFrames += 1;
    goodLast = data.readUInt32LE(8);
  });
  await new Promise<void>((resolve) => good.once('open', () => resolve()));

  try {
    engine.start();
    // Two seconds of frames, one slot at a time, with the real event loop serving the sockets in between.
    const slots = 2 * FPS;
    for (let k = 1; k <= slots; k++) {
      clock.runUntil(10 + (k * 1000) / FPS + 1e-6);
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    }
    const lastOut = engine.stats.frames - 1;
    // The reading client catches up with the newest frame (bounded wait; what is asserted is frames, not time).
    for (let i = 0; i < 400 && goodLast < lastOut; i++) await new Promise((r) => setTimeout(r, 5));
    const stalledWs = [...running.server.clients('/frames')].find((c) => c.bufferedAmount > 0);
    const buffered = stalledWs?.bufferedAmount ?? 0;
    const stats = running.outputs.stats();
    await engine.stop();

    assert.equal(engine.stats.frames, slots + 1, 'every frame of the two seconds was made');
    assert.equal(engine.stats.framesOut, slots + 1, 'and every one reached the outputs');
    // The stalled client really is stalled, and it was dropped to, not queued for.
    assert.ok(stats.framesDropped > slots * 0.5, `only ${stats.framesDropped} frames dropped for the stalled client`);
    assert.ok(buffered <= 2 * frameMessageBytes(SIDE, SIDE), `${buffered} bytes waiting for the stalled client: a queue is building`);
    // The reading client kept up with the newest frames.
    assert.ok(goodFrames >= slots * 0.5, `the reading client got ${goodFrames} frames`);
    assert.equal(goodLast, lastOut, `the reading client's newest frame is the engine's last`);
    assert.equal(FRAME_HEADER_BYTES, 64);
  } finally {
    await engine.stop();
    good.close();
    stalled.destroy();
    await running.close();
  }
});
