import { test } from 'node:test';
import type { ControlDeps } from '../../src/control/index.js';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startHarness, getState, type Harness } from './harness.js';
import { parseApiMessage } from '../../src/control/api.js';
import { writeLearnedRoute } from '../../src/mapping/learnFile.js';
import { loadMapping } from '../../src/mapping/load.js';
import { setLogSink } from '../../src/log.js';

type Reply = { v: number; id?: number | string; ok?: boolean; error?: string; type?: string; [k: string]: unknown };

/** A ws client that collects replies in order and can wait for one by id or type. */
class Ws {
  readonly replies: Reply[] = [];
  private waiters: Array<{ pred: (r: Reply) => boolean; resolve: (r: Reply) => void }> = [];
  constructor(readonly socket: WebSocket) {
    socket.on('message', (d) => {
      const r = JSON.parse(d.toString()) as Reply;
      this.replies.push(r);
      this.waiters = this.waiters.filter((w) => (w.pred(r) ? (w.resolve(r), false) : true));
    });
  }
  static async open(url: string): Promise<Ws> {
    const s = new WebSocket(url);
    const ws = new Ws(s);
    await once(s, 'open');
    await ws.wait((r) => r.type === 'hello');
    return ws;
  }
  wait(pred: (r: Reply) => boolean): Promise<Reply> {
    const found = this.replies.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }
  async ask(msg: object, id: number | string): Promise<Reply> {
    this.socket.send(JSON.stringify({ ...msg, id }));
    return this.wait((r) => r.id === id);
  }
  close(): void {
    this.socket.close();
  }
}

async function withHarness(fn: (h: Harness) => Promise<void>, apiDeps = {}, controlDeps: Partial<ControlDeps> = {}): Promise<void> {
  const restore = setLogSink({ write: () => undefined });
  const h = await startHarness({ oscEnabled: false }, apiDeps, 30, controlDeps);
  try {
    await fn(h);
  } finally {
    await h.close();
    restore();
  }
}

test('GET /api/state returns targets, features, tempo, fps and the control status', () =>
  withHarness(async (h) => {
    await h.nextFrame();
    const s = await getState(h);
    assert.equal(s.v, 1);
    assert.equal(s.targets.truncation, 1);
    assert.ok('features' in s && 'tempo' in s);
    assert.equal(s.fps, 30);
    assert.equal((s.control as { blackout: boolean }).blackout, false);
    assert.equal(((s.control as { tempo: { leading: string } }).tempo).leading, 'analysis');
  }));

test('ws: get, set, release, scene, cue, blackout, tap, tempo; errors are replies', () =>
  withHarness(async (h) => {
    const ws = await Ws.open(h.wsUrl);
    try {
      assert.deepEqual(await ws.ask({ v: 1, type: 'set', target: 'truncation', value: 0.7 }, 1), { v: 1, id: 1, ok: true });
      await h.nextFrame();
      assert.equal((await getState(h)).targets.truncation, 0.7);
      const unknown = await ws.ask({ type: 'set', target: 'truncatoin', value: 0.1 }, 2);
      assert.equal(unknown.ok, false);
      assert.match(unknown.error!, /unknown target 'truncatoin'; did you mean 'truncation'\?/);
      assert.equal((await ws.ask({ type: 'release', target: 'truncation' }, 3)).ok, true);
      await h.nextFrame();
      assert.equal((await getState(h)).targets.truncation, 1);
      assert.equal((await ws.ask({ type: 'scene', scene: 3, values: { 'midi:cc:1:7': 0.8 } }, 4)).ok, true);
      assert.equal((await ws.ask({ type: 'cue', name: 'drop' }, 5)).ok, true);
      assert.equal((await ws.ask({ type: 'blackout', on: true }, 6)).ok, true);
      assert.equal((await ws.ask({ type: 'value', name: 'knob1', value: 0.3 }, 7)).ok, true);
      await h.nextFrame();
      const c = h.mapper.lastInput!.controls;
      assert.equal(c.scene, 3);
      assert.equal(c.blackout, true);
      assert.equal(c.values.get('midi:cc:1:7'), 0.8);
      assert.equal(c.values.get('ws:knob1'), 0.3);
      // A cue is a one-frame pulse: exactly one frame saw it at 1, and it is 0 after.
      await h.nextFrame();
      await h.nextFrame();
      assert.equal(h.mapper.cueFrames.filter((n) => n === 'cue:drop').length, 1);
      assert.equal(c.values.get('cue:drop'), 0);
      for (const [i, t] of [0, 500, 1000, 1500].entries()) {
        void t;
        assert.equal((await ws.ask({ type: 'tap' }, 10 + i)).ok, true);
      }
      assert.equal((await ws.ask({ type: 'tempo', bpm: 140 }, 20)).ok, true);
      const got = await ws.ask({ type: 'get' }, 21);
      const state = got.state as { tempo: { source: string; bpm: number } };
      assert.equal(state.tempo.source, 'osc');
      assert.equal(state.tempo.bpm, 140);
      assert.equal((await ws.ask({ type: 'tempo', op: 'auto' }, 22)).ok, true);
      // Errors: bad JSON, unknown type, wrong version, bad value, oversize, binary.
      ws.socket.send('{not json');
      assert.match((await ws.wait((r) => r.ok === false && /bad JSON/.test(r.error!))).error!, /bad JSON/);
      assert.match((await ws.ask({ type: 'explode' }, 30)).error ?? '', /unknown type "explode"; expected one of get, ping, set/);
      assert.match((await ws.ask({ v: 2, type: 'get' }, 31)).error ?? '', /unsupported schema version 2/);
      assert.match((await ws.ask({ type: 'set', target: 'truncation', value: 'x' }, 32)).error ?? '', /^value: /);
      ws.socket.send(JSON.stringify({ type: 'cue', name: 'x'.repeat(20000), id: 33 }));
      assert.match((await ws.wait((r) => /too large/.test(r.error ?? ''))).error!, /message too large: \d+ bytes > 16384/);
      ws.socket.send(Buffer.from([1, 2, 3]));
      assert.match((await ws.wait((r) => /binary/.test(r.error ?? ''))).error!, /binary messages/);
      assert.equal((await ws.ask({ type: 'ping' }, 34)).type, 'pong');
    } finally {
      ws.close();
    }
  }));

test('ws: subscribe to features at a rate, unsubscribe stops it', () =>
  withHarness(async (h) => {
    const ws = await Ws.open(h.wsUrl);
    try {
      assert.equal((await ws.ask({ type: 'subscribe', stream: 'features', rateHz: 50 }, 1)).ok, true);
      await ws.wait((r) => r.type === 'features');
      const n0 = ws.replies.filter((r) => r.type === 'features').length;
      await ws.wait((r) => r.type === 'features' && ws.replies.filter((x) => x.type === 'features').length >= n0 + 3);
      assert.equal((await ws.ask({ type: 'unsubscribe', stream: 'features' }, 2)).ok, true);
      const n1 = ws.replies.filter((r) => r.type === 'features').length;
      await ws.ask({ type: 'ping' }, 3);
      await h.nextFrame();
      await h.nextFrame();
      assert.ok(ws.replies.filter((r) => r.type === 'features').length <= n1 + 1);
    } finally {
      ws.close();
    }
  }));

test('HTTP POST /api/control runs the same commands; oversize bodies are refused', () =>
  withHarness(async (h) => {
    const post = (body: string) => fetch(`${h.baseUrl}/api/control`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    let r = await post(JSON.stringify({ type: 'set', target: 'post.brightness', value: 0.2 }));
    assert.equal(r.status, 200);
    await h.nextFrame();
    assert.equal((await getState(h)).targets['post.brightness'], 0.2);
    r = await post('nope');
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as Reply).error!, /bad JSON/);
    r = await post(JSON.stringify({ type: 'cue', name: 'y'.repeat(40000) }));
    assert.equal(r.status, 413);
  }));

test('bound to the LAN: control needs the token, viewing does not', () =>
  withHarness(
    async (h) => {
      const token = h.api.token!;
      assert.match(token, /^[0-9a-f]{24}$/);
      const ws = await Ws.open(h.wsUrl);
      const authed = await Ws.open(`${h.wsUrl}?token=${token}`);
      try {
        assert.equal((await ws.ask({ type: 'get' }, 1)).ok, true);
        const refused = await ws.ask({ type: 'set', target: 'truncation', value: 0.1 }, 2);
        assert.match(refused.error!, /needs the token/);
        assert.equal((await ws.ask({ type: 'set', target: 'truncation', value: 0.1, token: 'wrong-token' }, 3)).ok, false);
        assert.equal((await ws.ask({ type: 'set', target: 'truncation', value: 0.1, token }, 4)).ok, true);
        assert.equal((await authed.ask({ type: 'blackout', on: true }, 5)).ok, true);
        const r = await fetch(`${h.baseUrl}/api/control`, {
          method: 'POST',
          body: JSON.stringify({ type: 'freeze', on: true }),
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(r.status, 400);
        const ok = await fetch(`${h.baseUrl}/api/control`, {
          method: 'POST',
          body: JSON.stringify({ type: 'freeze', on: true }),
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        });
        assert.equal(ok.status, 200);
        assert.equal((await fetch(`${h.baseUrl}/api/state`)).status, 200);
      } finally {
        ws.close();
        authed.close();
      }
    },
    { host: '0.0.0.0', trustLoopbackClients: false },
  ));

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

test('fuzz: 10 000 random ws messages get replies, never a crash; state stays valid', () =>
  withHarness(async (h) => {
    const ws = await Ws.open(h.wsUrl);
    try {
      const rnd = lcg(99);
      const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const types = ['get', 'set', 'release', 'value', 'scene', 'cue', 'blackout', 'freeze', 'tap', 'tempo', 'learn-cancel', 'ping', 'bogus', 42, null];
      const values: unknown[] = [0.5, -1, 1e308, 'x', null, true, [], {}, NaN, 'truncation', 3, -0, 'post.contrast'];
      const keys = ['target', 'value', 'name', 'scene', 'on', 'bpm', 'op', 'values', 'v', 'stream', 'rateHz', 'zzz'];
      for (let i = 0; i < 10000; i++) {
        let text: string;
        const k = rnd();
        if (k < 0.2) {
          text = Array.from({ length: Math.floor(rnd() * 60) }, () => String.fromCharCode(Math.floor(rnd() * 128))).join('');
        } else {
          const m: Record<string, unknown> = { type: pick(types) };
          const n = Math.floor(rnd() * 4);
          for (let j = 0; j < n; j++) m[pick(keys)] = pick(values);
          text = JSON.stringify(m);
          if (k > 0.9) text = text.slice(0, Math.floor(rnd() * text.length));
        }
        ws.socket.send(text);
      }
      const pong = await ws.ask({ type: 'ping' }, 'last');
      assert.equal(pong.type, 'pong');
      // One reply per message (plus hello and the ping), every failure an error reply.
      const pushed = (r: Reply) => r.type === 'hello' || ((r.type === 'features' || r.type === 'state' || r.type === 'learn-failed') && r.ok === undefined);
      const replies = ws.replies.filter((r) => !pushed(r));
      assert.equal(replies.length, 10001);
      assert.ok(replies.filter((r) => r.ok === false).every((r) => typeof r.error === 'string' && r.error.length > 0));
      assert.ok(h.control.valid());
      await h.nextFrame();
      const s = await getState(h);
      for (const v of Object.values(s.targets)) assert.ok(Number.isFinite(v));
      assert.equal((await ws.ask({ type: 'set', target: 'truncation', value: 0.33 }, 'after')).ok, true);
    } finally {
      ws.close();
    }
  }));

test('MIDI learn from the ws API writes a valid route with a comment into the mapping file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-learn-'));
  const file = join(dir, 'mine.yaml');
  const original = readFileSync('mappings/default.yaml', 'utf8');
  writeFileSync(file, original);
  try {
    await withHarness(
      async (h) => {
        const ws = await Ws.open(h.wsUrl);
        try {
          assert.equal((await ws.ask({ type: 'learn', target: 'post.brightness' }, 1)).type, 'learning');
          assert.equal(h.control.status().learn.armed, 'post.brightness');
          // The performer turns knob CC 21 on channel 1 (below the native port: the bytes RtMidi delivers).
          for (const v of [10, 14, 20, 30]) h.control.feedMidi('nanoKONTROL2 SLIDER/KNOB', 0.01, [0xb0, 21, v]);
          const learned = await ws.wait((r) => r.type === 'learned' || r.type === 'learn-failed');
          assert.equal(learned.type, 'learned', String(learned.error));
          assert.equal(learned.source, 'midi:cc:1:21');
          assert.equal(learned.written, `${file}: added route 8`);
        } finally {
          ws.close();
        }
      },
      { onLearned: (l: Parameters<typeof writeLearnedRoute>[1]) => {
        const r = writeLearnedRoute(file, l);
        return `${r.file}: ${r.action} route ${r.index}`;
      } },
      // One controller connected (learn refuses to arm while no MIDI input is open).
      { midi: { inputNames: () => ['nanoKONTROL2 SLIDER/KNOB'], outputNames: () => [], openInput: () => ({ close: () => undefined }), openOutput: () => ({ send: () => undefined, close: () => undefined }) } },
    );
    const text = readFileSync(file, 'utf8');
    const mapping = loadMapping(file); // valid against the mapping schema
    const route = mapping.spec.routes.at(-1)!;
    assert.equal(route.source, 'midi:cc:1:21');
    assert.equal(route.target, 'post.brightness');
    assert.match(text, /# MIDI learn \d{4}-\d\d-\d\d \d\d:\d\d: midi:cc:1:21 on 'nanoKONTROL2 SLIDER\/KNOB'\n  - source: midi:cc:1:21\n    target: post.brightness/);
    // Everything that was there (comments included) is still there, in order.
    assert.ok(text.startsWith(original.trimEnd()), 'the original text is a prefix of the learned file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseApiMessage names what was wrong', () => {
  assert.equal(parseApiMessage('[1]'), 'a message is a JSON object with a "type"');
  assert.match(parseApiMessage('{"type":"set","target":"a"}') as string, /^value: /);
  assert.match(parseApiMessage('{"type":"tempo","bpm":1000}') as string, /^bpm: /);
  assert.deepEqual(parseApiMessage('{"type":"set","target":"truncation","value":0.5}'), { v: 1, type: 'set', target: 'truncation', value: 0.5 });
});
