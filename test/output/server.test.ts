import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { EngineServer } from '../../src/output/server.js';

/** Sends one raw HTTP request and resolves with the status line of the reply ('' when the socket just closes). */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    let got = '';
    c.on('data', (d: Buffer) => (got += d.toString()));
    c.on('error', () => undefined);
    c.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
    c.write(`${head}\r\nHost: x\r\n\r\n`);
    setTimeout(() => c.destroy(), 500);
  });
}

test('a request line whose URL cannot be parsed gets a 400, on HTTP and on upgrade, and the server lives on', async () => {
  const server = new EngineServer({ host: '127.0.0.1', port: 0 });
  server.route('GET /ok', (_req, res) => {
    res.end('ok');
  });
  server.ws('/frames', () => undefined);
  const { port } = await server.listen();
  try {
    assert.match(await rawRequest(port, 'GET http://[bad HTTP/1.1'), /^HTTP\/1\.1 400/);
    assert.match(
      await rawRequest(port, 'GET http://[bad HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='),
      /^HTTP\/1\.1 400/,
    );
    const res = await fetch(`http://127.0.0.1:${port}/ok`);
    assert.equal(await res.text(), 'ok');
  } finally {
    await server.close();
  }
});
