/**
 * The outputs stage over real sockets (no browser): frames reach ws clients byte-exact, encoded buffers are
 * reused, post is sent on change with the panic overrides, /state carries features and providers, and the
 * page routes answer (or say how to build the pages).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { checkFrameMessage, emptyFrameHeader, FRAME_HEADER_BYTES, readFrameHeader, type StateMessage } from '../../src/output/protocol.js';
import { FrameBroadcaster } from '../../src/output/frameBroadcaster.js';
import { connectFrames } from '../../src/output/framesClient.js';
import { features, makeFrame, paramsWith, startOutputs, testPattern } from './helpers.js';

function collect(ws: WebSocket) {
  const binary: Buffer[] = [];
  const text: Array<{ type: string; [k: string]: unknown }> = [];
  ws.on('message', (d: Buffer, isBinary: boolean) => {
    if (isBinary) binary.push(Buffer.from(d));
    else text.push(JSON.parse(d.toString('utf8')) as { type: string });
  });
  return { binary, text };
}

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('frames reach a ws client byte-exact with their stamps; post goes out on change with panic OR-ed in', async () => {
  const run = await startOutputs();
  try {
    const ws = new WebSocket(run.server.url('/frames').replace('http', 'ws'));
    const got = collect(ws);
    await new Promise<void>((r) => ws.once('open', () => r()));
    await until(() => got.text.some((m) => m.type === 'post'), 'the initial post');
    assert.equal(got.text[0]!.type, 'hello');

    const rgba = testPattern(16, 8, 1);
    const f = makeFrame(42, 16, 8, rgba, 3.25);
    run.outputs.frame(f);
    await until(() => got.binary.length === 1, 'frame 42');
    const msg = got.binary[0]!;
    assert.equal(checkFrameMessage(msg), null);
    const h = readFrameHeader(msg, emptyFrameHeader());
    assert.deepEqual([h.frame, h.width, h.height, h.audioT, h.sentAt], [42, 16, 8, 3.25, f.stamps.sentAt]);
    assert.ok(msg.subarray(FRAME_HEADER_BYTES).equals(Buffer.from(rgba)));

    const posts = () => got.text.filter((m) => m.type === 'post').length;
    const before = posts();
    run.outputs.params(paramsWith({ hueShift: 0.25 }, 'b'));
    run.outputs.params(paramsWith({ hueShift: 0.25 }, 'b')); // unchanged: not sent again
    run.outputs.setPanic('freeze', true);
    await until(() => posts() === before + 2, 'two post messages');
    const last = got.text.filter((m) => m.type === 'post').at(-1)!.post as { hueShift: number; scene: string; freeze: boolean };
    assert.deepEqual([last.hueShift, last.scene, last.freeze], [0.25, 'b', true]);
    ws.close();
  } finally {
    await run.close();
  }
});

test('a steady stream reuses its encoded buffers', async () => {
  const run = await startOutputs();
  const ws = new WebSocket(run.server.url('/frames').replace('http', 'ws'));
  const got = collect(ws);
  await new Promise<void>((r) => ws.once('open', () => r()));
  const b = new FrameBroadcaster();
  try {
    // The stage's broadcaster is internal; use one directly on the connected socket for the allocation count.
    const socket = [...run.server.clients('/frames')][0]!;
    b.add(socket, { maxFps: 0, stallTimeoutMs: 10_000, role: 'display' });
    const rgba = testPattern(32, 32, 0);
    for (let i = 0; i < 50; i++) {
      b.publish(makeFrame(i, 32, 32, rgba), 0);
      await new Promise((r) => setImmediate(r));
    }
    await until(() => got.binary.length >= 40, 'most of 50 frames');
    assert.ok(b.totals().buffersAllocated <= 3, `${b.totals().buffersAllocated} buffers allocated for 50 frames`);
    assert.equal(b.totals().sent + b.totals().dropped, 50);
  } finally {
    ws.close();
    await run.close();
  }
});

test('/state carries features (with peak-hold and events), providers, and takes panic sets', async () => {
  const run = await startOutputs(0, { stateHz: 50 });
  try {
    run.outputs.setProviders({
      targets: () => ({ truncation: 0.6 }),
      generator: () => ({ fps: 25, msMedian: 30, msP95: 35, dropped: 1, ep: 'cpu' }),
    });
    const ws = new WebSocket(run.server.url('/state').replace('http', 'ws'));
    const got = collect(ws);
    await new Promise<void>((r) => ws.once('open', () => r()));
    run.outputs.features(features(1.0, 0.9, ['kick']));
    run.outputs.features(features(1.01, 0.1));
    await until(() => got.text.some((m) => (m as unknown as StateMessage).features?.t === 1.01), 'a state with features');
    const s = got.text.find((m) => (m as unknown as StateMessage).features?.t === 1.01) as unknown as StateMessage;
    assert.equal(s.features!.onset.kick, 0.1);
    assert.equal(s.features!.onsetMax.kick, 0.9);
    assert.deepEqual(s.features!.events, ['kick']);
    assert.equal(s.features!.chroma.length, 12);
    assert.deepEqual(s.targets, { truncation: 0.6 });
    assert.equal(s.engine.generator?.msMedian, 30);
    assert.equal(s.control, false);

    ws.send(JSON.stringify({ type: 'set', target: 'output.blackout', value: 1 }));
    await until(() => run.outputs.panic.blackout, 'blackout from /state');
    assert.equal(run.outputs.post().blackout, true);
    ws.close();

    const res = await fetch(run.server.url('/api/output/state'));
    const body = (await res.json()) as StateMessage;
    assert.equal(body.panic.blackout, true);
  } finally {
    await run.close();
  }
});

test('page routes serve the built pages, or say how to build them', async () => {
  const run = await startOutputs(0, { pagesDir: mkdtempSync(join(tmpdir(), 'latentvj-nopages-')) });
  try {
    const res = await fetch(run.server.url('/output'));
    assert.equal(res.status, 500);
    const body = await res.text();
    assert.match(body, /page output\.html is not built; run `npm run build`/);
    assert.equal(body.includes(tmpdir()), false, 'a 500 body carries no path of this machine');
    assert.equal((await fetch(run.server.url('/'), { method: 'HEAD' })).status, 200, 'HEAD answers like GET');
    assert.equal((await fetch(run.server.url('/page/..%2F..%2Fetc/passwd'))).status, 400);
    assert.match(await (await fetch(run.server.url('/'))).text(), /href="\/output"/);
  } finally {
    await run.close();
  }
});

test('connectFrames decodes frames and post for Node-side consumers (recorders, the full-chain test)', async () => {
  const run = await startOutputs();
  try {
    const seen: Array<{ frame: number; audioT: number; first: number }> = [];
    const client = await connectFrames(run.server.url('/frames'), (h, px) => seen.push({ frame: h.frame, audioT: h.audioT, first: px[0]! }));
    run.outputs.params(paramsWith({ brightness: 0.1 }));
    run.outputs.frame(makeFrame(7, 4, 4, new Uint8Array(64).fill(9), 1.5));
    await until(() => seen.length === 1 && client.post?.brightness === 0.1, 'frame 7 and the post');
    assert.deepEqual(seen, [{ frame: 7, audioT: 1.5, first: 9 }]);
    assert.equal(client.frames, 1);
    assert.deepEqual(client.errors, []);
    await client.close();
  } finally {
    await run.close();
  }
});

test('/state panic sets obey the mayControl provider (a LAN-bound engine needs the control token for blackout)', async () => {
  const run = await startOutputs(0, { stateHz: 50 });
  try {
    const asked: Array<string | null> = [];
    run.outputs.setProviders({
      mayControl: (_remote, token) => {
        asked.push(token);
        return token === 'secret';
      },
    });
    const open = async (query: string) => {
      const ws = new WebSocket(run.server.url(`/state${query}`).replace('http', 'ws'));
      await new Promise<void>((r) => ws.once('open', () => r()));
      return ws;
    };
    const stranger = await open('');
    stranger.send(JSON.stringify({ type: 'set', target: 'output.blackout', value: 1 }));
    await until(() => asked.length === 1, 'the provider asked');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(run.outputs.panic.blackout, false, 'no token: the show stays on');
    stranger.close();
    const vj = await open('?token=secret');
    vj.send(JSON.stringify({ type: 'set', target: 'output.blackout', value: 1 }));
    await until(() => run.outputs.panic.blackout, 'blackout with the token');
    vj.close();
  } finally {
    await run.close();
  }
});
