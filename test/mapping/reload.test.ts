import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMapper } from '../../src/mapping/index.js';
import { setLogSink } from '../../src/log.js';
import { controls, fakeManifest, fakeProvider } from './helpers.js';

const manifest = fakeManifest(256);

const mappingWith = (psi: number): string => `routes:\n  - source: ${psi}\n    target: truncation\n    smoothMs: 0\n`;

/** Resolves on the next reload attempt the watcher makes (a file event; no time is asserted). */
function nextReload(reloads: Array<{ ok: boolean }>): Promise<{ ok: boolean }> {
  const n = reloads.length;
  return new Promise((resolve) => {
    const check = (): void => {
      if (reloads.length > n) resolve(reloads[n]!);
      else setImmediate(check);
    };
    check();
  });
}

test('hot reload: a saved edit takes effect on the next frame; a broken edit logs and keeps the old mapping', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-reload-'));
  const file = join(dir, 'live.yaml');
  writeFileSync(file, mappingWith(0.5));
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  const reloads: Array<{ ok: boolean; error?: string }> = [];
  const mapper = await createMapper({ file, manifest, latents: fakeProvider(manifest), onReload: (r) => reloads.push(r) });
  let k = 0;
  const frame = (): number => {
    k += 1;
    return mapper.frame({ frame: k, t: k / 30, dt: 1 / 30, features: null, controls: controls() }).truncation;
  };
  try {
    assert.equal(frame(), 0.5);

    // An editor that writes in place: the watcher reloads, and the very next frame runs the new mapping.
    let seen = nextReload(reloads);
    writeFileSync(file, mappingWith(0.8));
    assert.equal((await seen).ok, true);
    assert.equal(frame(), 0.8);

    // An editor that saves atomically (write a temp file, rename over the old one).
    seen = nextReload(reloads);
    writeFileSync(join(dir, '.live.yaml.tmp'), mappingWith(0.6));
    renameSync(join(dir, '.live.yaml.tmp'), file);
    assert.equal((await seen).ok, true);
    assert.equal(frame(), 0.6);
    const version = mapper.version;

    // A broken edit: the error is logged with file:line, and the old mapping keeps running.
    seen = nextReload(reloads);
    writeFileSync(file, 'routes:\n  - source: rms\n    target: truncaton\n');
    assert.equal((await seen).ok, false);
    for (let i = 0; i < 5; i++) assert.equal(frame(), 0.6, 'old mapping still running');
    assert.equal(mapper.version, version);
    const err = lines.find((l) => l.includes('ERROR'));
    assert.ok(err, 'an error line was logged');
    assert.match(err!, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:\\d+: routes\\.0\\.target: unknown target 'truncaton'`));
    assert.match(err!, /keeping the previous mapping/);

    // Fixing the file resumes reloading; reload() itself (what the watcher calls) swaps between two frames.
    writeFileSync(file, mappingWith(0.7));
    assert.equal(await mapper.reload(), true);
    assert.equal(frame(), 0.7);
  } finally {
    restore();
    await mapper.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
