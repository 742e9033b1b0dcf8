/**
 * `latentvj live` serves /latents beside the output: a bank saved from its API lands beside the running mapping,
 * and a save of the mapping that names the file hot-reloads with that bank (a child process, real sockets).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLiveChild, stopLiveChild } from '../helpers/liveChild.js';

test('live: /latents is served; a bank saved from it loads in the running mapping on its next save', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-latents-live-'));
  const mapping = join(dir, 'set.yaml');
  writeFileSync(mapping, 'banks:\n  a: { seeds: [1, 2] }\nlatents:\n  g: { bank: a }\n');
  writeFileSync(join(dir, 'asound.conf'), '');
  const live = await startLiveChild(['--audio', 'demo', '--mapping', mapping], { ALSA_CONFIG_PATH: join(dir, 'asound.conf') });
  const url = live.url;
  try {
    const page = await fetch(`${url}/latents`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /latentvj latents/);
    const info = (await (await fetch(`${url}/api/latents/info`)).json()) as { wDim: number; numWs: number };
    const w = (await (
      await fetch(`${url}/api/latents/w`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seeds: [7, 9] }) })
    ).json()) as { ws: number[][] };
    assert.equal(w.ws.length, 2);
    assert.equal(w.ws[0]!.length, info.wDim);
    const saved = await fetch(`${url}/api/latents/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'kept', latents: w.ws }) });
    assert.equal(saved.status, 200, await saved.clone().text());
    const reply = (await saved.json()) as { file: string; mapping: string };
    assert.ok(existsSync(join(dir, 'kept.json')), 'the bank lands beside the mapping');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'kept.json'), 'utf8')), w.ws);

    writeFileSync(mapping, `${reply.mapping}\nlatents:\n  g: { bank: kept }\n`);
    let status: { version: number; error: unknown } = { version: 1, error: null };
    for (let i = 0; i < 100 && status.version < 2 && !status.error; i++) {
      await new Promise((res) => setTimeout(res, 100));
      status = ((await (await fetch(`${url}/api/state`)).json()) as { mapping: { version: number; error: unknown } }).mapping;
    }
    assert.equal(status.error, null);
    assert.equal(status.version, 2, 'the mapping naming the saved bank reloaded');
  } finally {
    await stopLiveChild(live.child);
    rmSync(dir, { recursive: true, force: true });
  }
});
