/**
 * Bounded fuzz of every ws path (/frames, /state, /control) and of OSC in, seeded so a failure replays: deep,
 * huge and odd JSON in every field, binary frames, broken UTF-8, random datagrams and mutated OSC packets. After
 * each batch the engine must still answer a well-formed request, and the control state must stay valid.
 * A few hundred messages per path: it runs in seconds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { encode } from 'node-osc';
import { WebSocket } from 'ws';
import { createOutputs } from '../../src/output/outputs.js';
import { setLogSink } from '../../src/log.js';
import { startHarness } from '../control/harness.js';
import { quietFeatures } from '../helpers/features.js';

/** splitmix32: the same sequence on every machine. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES = [
  'null', 'true', '-0', '1e309', '-1e309', '123456789012345678901234567890', '0.1e-400', '""', '"\\u0000"', '"\\ud800"',
  '{}', '[]', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}', '{"toString":1,"valueOf":2}',
  '"output.blackout"', '"ping"', '"set"', '"presented"',
];

/** A random JSON-ish text for a message with the given type (or a random one). */
function oddMessage(r: () => number, types: string[]): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const depth = [1, 2, 9, 100, 5000][Math.floor(r() * 5)]!;
  const deepArr = '['.repeat(depth) + ']'.repeat(depth);
  const deepObj = '{"a":'.repeat(depth) + '0' + '}'.repeat(depth);
  const value = (): string => {
    const k = r();
    if (k < 0.25) return pick(ODD_VALUES);
    if (k < 0.4) return r() < 0.5 ? deepArr : deepObj;
    if (k < 0.5) return JSON.stringify('x'.repeat(Math.floor(r() * 200_000)));
    if (k < 0.7) return String((r() - 0.5) * 10 ** Math.floor(r() * 12));
    return JSON.stringify(pick(['output.freeze', 'truncation', 'features', 'state', 'a'.repeat(300), '']));
  };
  const kind = r();
  if (kind < 0.05) return 'not json at all {';
  if (kind < 0.1) return value();
  if (kind < 0.15) return '{"type":' + value();
  const fields = ['id', 'pageT', 'audioT', 'sentAt', 'presentedAt', 'skipped', 'target', 'value', 'name', 'scene', 'values', 'on', 'stream', 'rateHz', 'v', 'token', 'bpm', 'op'];
  const parts = [`"type":${r() < 0.8 ? JSON.stringify(pick(types)) : value()}`];
  for (const f of fields) if (r() < 0.4) parts.push(`${JSON.stringify(f)}:${value()}`);
  return `{${parts.join(',')}}`;
}

/** Collects a socket's text messages, so none is missed between awaits; a closed socket fails the wait. */
function inbox(ws: WebSocket): (pred: (m: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>> {
  const seen: Array<Record<string, unknown>> = [];
  let waiter: (() => void) | null = null;
  let closed = '';
  ws.on('message', (d: Buffer, binary: boolean) => {
    if (binary) return;
    seen.push(JSON.parse(d.toString()) as Record<string, unknown>);
    waiter?.();
  });
  ws.on('close', (code: number) => {
    closed = `the server closed the socket (${code})`;
    waiter?.();
  });
  return async (pred) => {
    for (;;) {
      const i = seen.findIndex(pred);
      if (i >= 0) return seen.splice(0, i + 1)[i]!;
      if (closed) throw new Error(closed);
      await new Promise<void>((res) => (waiter = res));
    }
  };
}

test('fuzz: every ws path survives deep, huge and odd JSON and still answers', async () => {
  const restore = setLogSink({ write: () => undefined });
  const h = await startHarness({ oscEnabled: false });
  const outputs = createOutputs(h.server, { stateHz: 30 });
  outputs.features(quietFeatures(1));
  const port = Number(new URL(h.baseUrl).port);
  const r = rng(1234);
  try {
    const paths: Array<{ path: string; types: string[]; probe: string; answer: (m: Record<string, unknown>) => boolean }> = [
      { path: '/frames', types: ['ping', 'presented', 'hello'], probe: '{"type":"ping","id":"probe","pageT":1}', answer: (m) => m.type === 'pong' && m.id === 'probe' },
      { path: '/state', types: ['set'], probe: '{"type":"set","target":"output.freeze","value":0}', answer: (m) => m.type === 'state' },
      {
        path: '/control',
        types: ['get', 'set', 'value', 'scene', 'cue', 'blackout', 'freeze', 'tap', 'tempo', 'subscribe', 'unsubscribe', 'learn', 'ping', 'release'],
        probe: '{"type":"ping","id":"probe"}',
        answer: (m) => m.type === 'pong' && m.id === 'probe',
      },
    ];
    for (const p of paths) {
      const ws = new WebSocket(`ws://127.0.0.1:${port}${p.path}`, { maxPayload: 64 << 20 });
      const next = inbox(ws);
      await once(ws, 'open');
      for (let batch = 0; batch < 4; batch++) {
        for (let i = 0; i < 60; i++) {
          if (r() < 0.05) ws.send(Buffer.from([0xff, 0xfe, 0x00, Math.floor(r() * 256)]), { binary: true });
          else ws.send(oddMessage(r, p.types));
        }
        ws.send(p.probe);
        await next(p.answer);
      }
      // Text that is not UTF-8 is a protocol error: ws closes that connection (1007), the server lives on.
      ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
      await once(ws, 'close');
      const again = new WebSocket(`ws://127.0.0.1:${port}${p.path}`);
      const nextAgain = inbox(again);
      await once(again, 'open');
      again.send(p.probe);
      await nextAgain(p.answer);
      again.close();
      await once(again, 'close');
    }
    assert.ok(h.control.valid(), 'control state invariants hold');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
    const res = await fetch(`${h.baseUrl}/api/state`);
    assert.equal(res.status, 200);
  } finally {
    await outputs.close();
    await h.close();
    restore();
  }
});

test('fuzz: OSC in survives random datagrams, mutated packets and deep bundles and still routes', async () => {
  const restore = setLogSink({ write: () => undefined });
  const h = await startHarness({ oscMaxPerSecond: 1_000_000 });
  const osc = h.control.osc!;
  const r = rng(99);
  const valid = [
    encode({ oscType: 'message', address: '/latentvj/param/truncation', args: [0.5] }),
    encode({ oscType: 'message', address: '/latentvj/scene', args: [{ type: 'i', value: 3 }] }),
    encode({ oscType: 'message', address: '/latentvj/cue/drop', args: [] }),
    encode({ oscType: 'bundle', timetag: 0, elements: [{ oscType: 'message', address: '/fader/1', args: [1, 'x', true] }] }),
  ];
  /** A bundle nested `n` deep around one message, written by hand (node-osc's encoder recurses too). */
  const nested = (n: number): Buffer => {
    let inner = valid[0]!;
    for (let i = 0; i < n; i++) {
      const size = Buffer.alloc(4);
      size.writeUInt32BE(inner.length);
      inner = Buffer.concat([Buffer.from('#bundle\0'), Buffer.alloc(8), size, inner]);
    }
    return inner;
  };
  try {
    for (let i = 0; i < 3000; i++) {
      const k = r();
      let buf: Buffer;
      if (k < 0.3) buf = Buffer.from(Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256)));
      else if (k < 0.8) {
        buf = Buffer.from(valid[Math.floor(r() * valid.length)]!);
        for (let m = 0; m < 1 + Math.floor(r() * 4); m++) buf[Math.floor(r() * buf.length)] = Math.floor(r() * 256);
        if (r() < 0.3) buf = buf.subarray(0, Math.floor(r() * buf.length));
      } else if (k < 0.9) buf = nested(Math.floor(r() * 400));
      else buf = encode({ oscType: 'message', address: '/' + 'z'.repeat(Math.floor(r() * 60_000)), args: [r()] });
      osc.onPacket(buf, 'fuzz');
    }
    osc.onPacket(encode({ oscType: 'message', address: '/latentvj/param/truncation', args: [0.25] }), 'fuzz');
    assert.equal(h.control.state().targets.get('truncation'), 0.25);
    assert.ok(h.control.valid());
    assert.equal(osc.stats.handlerErrors, 0);
    assert.equal([...h.control.state().values.keys()].filter((k) => k.length > 300).length, 0);
  } finally {
    await h.close();
    restore();
  }
});
