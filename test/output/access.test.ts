/**
 * Only the engine's own pages, or programs, drive the engine: a web page from another origin open in the
 * performer's browser (real Chromium) cannot set blackout, freeze or targets, nor read /frames or /state; a request
 * naming a foreign Host (DNS rebinding: evil.example resolving to 127.0.0.1) is refused; POST needs JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { checkAccess, hostAllowed, type AccessPolicy } from '../../src/output/access.js';
import { createOutputs } from '../../src/output/outputs.js';
import { EngineServer } from '../../src/output/server.js';
import { setLogSink } from '../../src/log.js';
import { tokenMatches } from '../../src/control/api.js';
import { startHarness } from '../control/harness.js';
import { ensurePagesBuilt, launchChromium } from './helpers.js';

const none: AccessPolicy = { allowedHosts: [], allowedOrigins: [] };
const req = (headers: Record<string, string>, method = 'GET', path = '/api/state', upgrade = false) => ({ method, path, upgrade, headers });

test('the access rules: Host names, same origin, listed origins, JSON POSTs', () => {
  for (const h of ['127.0.0.1:7878', '[::1]:7878', 'localhost:7878', '192.168.1.20:7878', 'app.localhost:7878']) assert.equal(hostAllowed(h, none), true, h);
  for (const h of ['evil.example:7878', 'evil.example', '', '127.0.0.1.nip.io:7878']) assert.equal(hostAllowed(h, none), false, h);
  assert.equal(hostAllowed('stage.lan:7878', { ...none, allowedHosts: ['stage.lan'] }), true);
  assert.equal(checkAccess(req({ host: '127.0.0.1:1', origin: 'http://127.0.0.1:1' }, 'POST', '/api/control'), none)?.status, 415);
  assert.equal(checkAccess(req({ host: '127.0.0.1:1', origin: 'http://127.0.0.1:1', 'content-type': 'application/json; charset=utf-8' }, 'POST', '/api/control'), none), null);
  assert.equal(checkAccess(req({ host: '127.0.0.1:1', origin: 'http://127.0.0.1:2' }), none)?.status, 403);
  assert.equal(checkAccess(req({ host: '127.0.0.1:1', origin: 'null' }, 'GET', '/control', true), none)?.status, 403);
  assert.equal(checkAccess(req({ host: '127.0.0.1:1', origin: 'http://td.lan:9980' }), { ...none, allowedOrigins: ['http://td.lan:9980'] }), null);
  assert.equal(checkAccess(req({ host: '127.0.0.1:1', 'sec-fetch-site': 'cross-site' }), none)?.status, 403);
  assert.equal(checkAccess(req({ host: '127.0.0.1:1' }), none), null, 'a program (no Origin) may read');
  assert.equal(checkAccess(req({ host: '127.0.0.1:1', origin: 'http://evil.example' }, 'GET', '/output'), none), null, 'pages themselves are not guarded');
  assert.equal(tokenMatches('abcdefgh12', 'abcdefgh12'), true);
  assert.equal(tokenMatches('abcdefgh12', 'abcdefgh1'), false);
  assert.equal(tokenMatches('abcdefgh12', null), false);
});

/** One raw HTTP exchange: the status line. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    let got = '';
    c.on('data', (d: Buffer) => (got += d.toString()));
    c.on('error', () => undefined);
    c.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
    c.end(text);
  });
}

test('a foreign Host (DNS rebinding) is refused on GET, POST and ws upgrades; the real host still works', async () => {
  const restore = setLogSink({ write: () => undefined });
  const h = await startHarness({ oscEnabled: false });
  const port = Number(new URL(h.baseUrl).port);
  try {
    assert.match(await raw(port, `GET /api/state HTTP/1.1\r\nHost: evil.example:${port}\r\nConnection: close\r\n\r\n`), / 403 /);
    const body = '{"type":"blackout","on":true}';
    assert.match(
      await raw(port, `POST /api/control HTTP/1.1\r\nHost: evil.example:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`),
      / 403 /,
    );
    assert.match(
      await raw(port, `GET /control HTTP/1.1\r\nHost: evil.example:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`),
      / 403 /,
    );
    assert.match(await raw(port, `POST /api/control HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`), / 415 /);
    assert.equal(h.control.store.state.blackout, false);
    assert.match(await raw(port, `GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`), / 200 /);
    assert.match(await raw(port, `GET /api/state HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`), / 200 /);
  } finally {
    await h.close();
    restore();
  }
});

test('an origin listed in allowedOrigins may read with CORS; others get no CORS header', async () => {
  const server = new EngineServer({ host: '127.0.0.1', port: 0, access: { allowedOrigins: ['http://td.lan:9980'] } });
  server.route('GET /api/state', (_q, res) => {
    res.end('{}');
  });
  const { port } = await server.listen();
  try {
    const ok = await fetch(`http://127.0.0.1:${port}/api/state`, { headers: { origin: 'http://td.lan:9980' } });
    assert.equal(ok.headers.get('access-control-allow-origin'), 'http://td.lan:9980');
    const no = await fetch(`http://127.0.0.1:${port}/api/state`, { headers: { origin: 'http://other.lan' } });
    assert.equal(no.status, 403);
    assert.equal(no.headers.get('access-control-allow-origin'), null);
  } finally {
    await server.close();
  }
});

/** What a page from another origin tries, run inside Chromium; every attempt ends on a server event, not a timer. */
const ATTACK = `
async (base) => {
  const ws = base.replace('http', 'ws');
  const out = {};
  try {
    await fetch(base + '/api/control', { method: 'POST', mode: 'no-cors', body: JSON.stringify({ type: 'blackout', on: true }) });
    await fetch(base + '/api/control', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ type: 'freeze', on: true }) });
    out.post = 'sent';
  } catch (e) { out.post = 'failed'; }
  try { out.read = await (await fetch(base + '/api/state')).text(); } catch (e) { out.read = 'blocked'; }
  out.control = await new Promise((res) => {
    const s = new WebSocket(ws + '/control');
    s.onmessage = (m) => {
      const d = JSON.parse(m.data);
      if (d.type === 'hello') { s.send(JSON.stringify({ type: 'blackout', on: true, id: 1 })); s.send(JSON.stringify({ type: 'set', target: 'truncation', value: 0.25, id: 2 })); }
      if (d.id === 2) res('controlled ' + d.ok);
    };
    s.onerror = () => res('refused');
  });
  out.state = await new Promise((res) => {
    const s = new WebSocket(ws + '/state');
    let sent = false;
    s.onmessage = (m) => {
      const d = JSON.parse(m.data);
      if (!sent) { s.send(JSON.stringify({ type: 'set', target: 'output.freeze', value: 1 })); sent = true; }
      else if (d.panic.freeze) res('froze');
    };
    s.onerror = () => res('refused');
  });
  out.frames = await new Promise((res) => {
    const s = new WebSocket(ws + '/frames');
    s.onmessage = () => res('read');
    s.onerror = () => res('refused');
  });
  return out;
}`;

test('a page from another origin in Chromium can neither drive nor read the engine; its own page can', async () => {
  ensurePagesBuilt();
  const restore = setLogSink({ write: () => undefined });
  const h = await startHarness({ oscEnabled: false });
  const outputs = createOutputs(h.server, { stateHz: 30 });
  outputs.setProviders({ mayControl: () => true });
  const evil = http.createServer((_q, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>another site</title>');
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    const out = (await page.evaluate(`(${ATTACK})(${JSON.stringify(h.baseUrl)})`)) as Record<string, string>;
    assert.equal(out.control, 'refused', `ws /control from another origin: ${out.control}`);
    assert.equal(out.state, 'refused', `ws /state from another origin: ${out.state}`);
    assert.equal(out.frames, 'refused', `ws /frames from another origin: ${out.frames}`);
    assert.equal(out.read, 'blocked');
    assert.equal(h.control.store.state.blackout, false, 'the no-cors POST did not set blackout');
    assert.equal(h.control.store.state.freeze, false);
    assert.equal(h.control.store.state.targets.has('truncation'), false);
    assert.equal(outputs.panic.freeze, false);

    // The engine's own page (same origin) keeps every door.
    const own = await browser.newPage();
    await own.goto(`${h.baseUrl}/`);
    const mine = (await own.evaluate(`(${ATTACK})(${JSON.stringify(h.baseUrl)})`)) as Record<string, string>;
    assert.equal(mine.control, 'controlled true');
    assert.equal(mine.state, 'froze');
    assert.equal(mine.frames, 'read');
    assert.match(mine.read, /"targets"/);
    assert.equal(h.control.store.state.blackout, true);
  } finally {
    await browser.close();
    await new Promise<void>((r) => evil.close(() => r()));
    await outputs.close();
    await h.close();
    restore();
  }
});
