/**
 * One ws message must never end the engine: JSON nested thousands deep (a few kilobytes) used to overflow the stack
 * where the value was echoed (`/frames` ping id), coerced (`presented.audioT`) or used (`/state` set value).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { startOutputs } from './helpers.js';
import { setLogSink } from '../../src/log.js';
import { startHarness } from '../control/harness.js';
import { jsonDepth, parseBoundedJson, readBoundedBody, type BoundedBody } from '../../src/boundedJson.js';
import { quietFeatures } from '../helpers/features.js';

const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);
const deepObj = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

/** Collects a socket's text messages from the start, so none is missed between two awaits. */
function inbox(ws: WebSocket): (pred: (m: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>> {
  const seen: Array<Record<string, unknown>> = [];
  let waiter: (() => void) | null = null;
  ws.on('message', (d: Buffer, binary: boolean) => {
    if (binary) return;
    seen.push(JSON.parse(d.toString()) as Record<string, unknown>);
    waiter?.();
  });
  return async (pred) => {
    for (;;) {
      const i = seen.findIndex(pred);
      if (i >= 0) return seen.splice(0, i + 1)[i]!;
      await new Promise<void>((r) => (waiter = r));
    }
  };
}

test('jsonDepth counts brackets outside strings only, and parseBoundedJson refuses depth and size before parsing', () => {
  assert.equal(jsonDepth('{"a":[1,{"b":2}]}'), 3);
  assert.equal(jsonDepth('{"a":"[[[[[[\\"[[[["}'), 1);
  assert.equal(jsonDepth('1'), 0);
  const r = parseBoundedJson(deep(5000), { maxBytes: 1 << 20, maxDepth: 8 });
  assert.equal(r.ok, false);
  assert.match((r as { error: string }).error, /nested deeper than 8/);
  const big = parseBoundedJson(JSON.stringify({ type: 'x', s: 'y'.repeat(70_000) }));
  assert.match((big as { error: string }).error, /too large/);
  assert.deepEqual(parseBoundedJson('{"type":"ping","id":3}'), { ok: true, value: { type: 'ping', id: 3 } });
});

test('deep JSON on /frames (ping id, presented.audioT) and on /state (set value) is refused and the server lives on', async () => {
  const restore = setLogSink({ write: () => undefined });
  const run = await startOutputs();
  try {
    run.outputs.features(quietFeatures(1)); // the audio clock is known, so presented.audioT is used
    const port = run.server.address()!.port;
    const frames = new WebSocket(`ws://127.0.0.1:${port}/frames`);
    const nextFrames = inbox(frames);
    await nextFrames( (m) => m.type === 'hello');
    frames.send(`{"type":"ping","id":${deep(5000)},"pageT":1}`);
    frames.send(`{"type":"ping","id":${deepObj(5000)},"pageT":1}`);
    frames.send(`{"type":"presented","frame":1,"audioT":${deep(5000)},"sentAt":1,"receivedAt":2,"presentedAt":3}`);
    frames.send(`{"type":"presented","frame":1,"audioT":[[[1]]],"sentAt":1,"receivedAt":2,"presentedAt":3}`);
    frames.send(`{"type":"ping","id":{"toString":1},"pageT":[2]}`);
    frames.send('{"type":"ping","id":7,"pageT":1.5}');
    const odd = await nextFrames( (m) => m.type === 'pong');
    assert.equal('id' in odd, false, 'an id that is not a short string or a number is not echoed');
    const pong = await nextFrames( (m) => m.type === 'pong');
    assert.equal(pong.id, 7, 'the deep pings got no pong at all');
    assert.equal(pong.pageT, 1.5);

    const state = new WebSocket(`ws://127.0.0.1:${port}/state`);
    const nextState = inbox(state);
    await nextState( (m) => m.type === 'state');
    state.send(`{"type":"set","target":"output.blackout","value":${deep(5000)}}`);
    state.send(`{"type":"set","target":"output.blackout","value":[[1]]}`);
    assert.equal(run.outputs.panic.blackout, false);
    state.send('{"type":"set","target":"output.blackout","value":1}');
    await nextState( (m) => (m.panic as { blackout: boolean }).blackout === true);
    frames.close();
    state.close();
  } finally {
    await run.close();
    restore();
  }
});

test('deep JSON on ws /control and POST /api/control gets an error reply naming the depth', async () => {
  const restore = setLogSink({ write: () => undefined });
  const h = await startHarness({ oscEnabled: false });
  try {
    const ws = new WebSocket(h.wsUrl);
    const nextWs = inbox(ws);
    await once(ws, 'open');
    await nextWs( (m) => m.type === 'hello');
    ws.send(`{"type":"get","id":${deep(5000)}}`);
    const err = await nextWs( (m) => m.ok === false);
    assert.match(String(err.error), /nested deeper than/);
    ws.send('{"type":"ping","id":"after"}');
    assert.equal((await nextWs( (m) => m.id === 'after')).type, 'pong');
    ws.close();
    const res = await fetch(`${h.baseUrl}/api/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"type":"set","target":"truncation","value":${deep(3000)}}`,
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /nested deeper than/);
  } finally {
    await h.close();
    restore();
  }
});

test('an oversized POST body is read to its end and answered 413, not reset mid-upload; a sender past the drain allowance is cut off', async () => {
  const seen: BoundedBody[] = [];
  const server = http.createServer((req, res) => {
    void readBoundedBody(req, 1000, 100_000).then((r) => {
      seen.push(r);
      res.writeHead(r.ok ? 200 : 413);
      res.end(r.ok ? `ok ${r.body.length}` : 'too large');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  /** A POST sent in parts with pauses between them, as a slow upload arrives. */
  const post = (parts: number[]): Promise<{ status?: number; text?: string; error?: string }> =>
    new Promise((resolve) => {
      const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers: { 'content-length': parts.reduce((a, b) => a + b, 0) } });
      let error: string | undefined;
      req.on('error', (e: NodeJS.ErrnoException) => {
        error = e.code ?? e.message;
        resolve({ error });
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => setTimeout(() => resolve(error ? { error } : { status: res.statusCode!, text }), 20));
      });
      void (async () => {
        for (const n of parts) {
          if (req.destroyed) return;
          req.write(Buffer.alloc(n, 0x20));
          await new Promise((r) => setTimeout(r, 30));
        }
        req.end();
      })();
    });
  try {
    assert.deepEqual(await post([600, 300]), { status: 200, text: 'ok 900' });
    // Past the limit after the first part: the answer still comes, after the rest was sent, and no write failed.
    assert.deepEqual(await post([2000, 20_000, 20_000]), { status: 413, text: 'too large' });
    assert.deepEqual(seen.at(-1), { ok: false, tooLarge: true, bytes: 42_000 });
    // 100 kB past the limit, the server stops reading: the sender's connection is cut.
    const hostile = await post(Array.from({ length: 40 }, () => 16_384));
    assert.ok(hostile.error, `the hostile sender got ${JSON.stringify(hostile)}`);
    const last = seen.at(-1)!;
    assert.ok(!last.ok && last.tooLarge && last.bytes > 101_000 && last.bytes < 40 * 16_384, JSON.stringify(last));
  } finally {
    server.close();
  }
});
