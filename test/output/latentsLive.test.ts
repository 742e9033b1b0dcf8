/**
 * `latentvj live` serves /latents beside the output: a bank saved from its API lands beside the running mapping,
 * and a save of the mapping that names the file hot-reloads with that bank (a child process, real sockets).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

test('live: /latents is served; a bank saved from it loads in the running mapping on its next save', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-latents-live-'));
  const mapping = join(dir, 'set.yaml');
  writeFileSync(mapping, 'banks:\n  a: { seeds: [1, 2] }\nlatents:\n  g: { bank: a }\n');
  writeFileSync(join(dir, 'asound.conf'), '');
  const child = spawn(process.execPath, ['bin/latentvj.js', 'live', '--no-window', '--port', '0', '--osc-port', '0', '--audio', 'demo', '--mapping', mapping], {
    env: { ...process.env, ALSA_CONFIG_PATH: join(dir, 'asound.conf') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`live did not start within 90 s:\n${log.join('\n')}`)), 90_000);
      let found = '';
      let buf = '';
      const onData = (d: Buffer): void => {
        buf += d.toString();
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          log.push(line);
          const m = /serving on (http:\/\/[\d.]+:\d+)/.exec(line);
          if (m) found = m[1]!;
          if (/\[engine\] audio:/.test(line) && found) {
            clearTimeout(deadline);
            resolve(found);
          }
        }
      };
      child.stderr!.on('data', onData);
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`live exited early (${code}):\n${log.join('\n')}`)));
    });
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
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await once(child, 'exit');
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  }
});
