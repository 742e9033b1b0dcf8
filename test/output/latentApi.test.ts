/**
 * GET /api/latent on a real EngineServer: the newest frame's W+ as painted (truncation applied), as JSON and as
 * an .npy that the bank and generate readers take back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineServer } from '../../src/output/server.js';
import { registerLatentApi } from '../../src/output/latentApi.js';
import { asLatents, readLatentArray } from '../../src/contracts/latentFiles.js';
import type { Manifest } from '../../src/generator/types.js';
import { bareParams } from '../helpers/frameParams.js';

test('GET /api/latent: 503 before a frame, then the W+ of the newest frame with ψ applied, as JSON and .npy', async () => {
  const server = new EngineServer({ host: '127.0.0.1', port: 0 });
  const manifest = { numWs: 3, wDim: 2, wAvg: [1, -1] } as unknown as Manifest;
  const api = registerLatentApi(server, manifest);
  await server.listen();
  const dir = mkdtempSync(join(tmpdir(), 'lvj-latent-api-'));
  try {
    const before = await fetch(server.url('/api/latent'));
    assert.equal(before.status, 503);
    const ws = Float32Array.from([3, 1, 5, -3, 1, 1]);
    api.observe(bareParams(41, 1, { ws, truncation: 0.5 }));
    ws.fill(0); // the mapper reuses its buffers: the API kept a copy
    const j = (await (await fetch(server.url('/api/latent'))).json()) as { frame: number; numWs: number; ws: number[][] };
    assert.equal(j.frame, 41);
    // w_avg + 0.5·(w − w_avg) per row.
    assert.deepEqual(j.ws, [[2, 0], [3, -2], [1, 0]]);
    const npy = new Uint8Array(await (await fetch(server.url('/api/latent?format=npy'))).arrayBuffer());
    const file = join(dir, 'latent.npy');
    writeFileSync(file, npy);
    const back = asLatents(readLatentArray(file), file, 'ws', { zDim: 4, wDim: 2, numWs: 3 });
    assert.deepEqual(Array.from(back.data), [2, 0, 3, -2, 1, 0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
});
