import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMapper } from '../../src/mapping/index.js';
import { setLogSink } from '../../src/log.js';
import { controls, fakeManifest, fakeProvider } from './helpers.js';

const manifest = fakeManifest(256);

/**
 * How long a reload may take before the test gives up. Not a speed requirement (tests never assert wall-clock
 * durations; the reload's speed is printed below): the parse runs in a worker, which on a loaded machine is slow.
 */
const RELOAD_LIMIT_MS = 30_000;

const mappingWith = (psi: number): string => `routes:\n  - source: ${psi}\n    target: truncation\n    smoothMs: 0\n`;

/** Waits (by polling frames, as the engine would) until the mapper's output satisfies `ok`, up to `limitMs`. */
async function frameUntil(frame: () => number, ok: (v: number) => boolean, limitMs: number): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const v = frame();
    if (ok(v)) return performance.now() - t0;
    if (performance.now() - t0 > limitMs) return Infinity;
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('hot reload: a saved edit changes the output within a second; a broken edit logs and keeps the old mapping', async () => {
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

    // An editor that writes in place.
    writeFileSync(file, mappingWith(0.8));
    const ms1 = await frameUntil(frame, (v) => v === 0.8, RELOAD_LIMIT_MS);
    assert.ok(Number.isFinite(ms1), `in-place save took effect after ${ms1} ms`);

    // An editor that saves atomically (write a temp file, rename over the old one).
    writeFileSync(join(dir, '.live.yaml.tmp'), mappingWith(0.6));
    renameSync(join(dir, '.live.yaml.tmp'), file);
    const ms2 = await frameUntil(frame, (v) => v === 0.6, RELOAD_LIMIT_MS);
    assert.ok(Number.isFinite(ms2), `atomic save took effect after ${ms2} ms`);
    const version = mapper.version;

    // A broken edit: the error is logged with file:line, and the old mapping keeps running.
    writeFileSync(file, 'routes:\n  - source: rms\n    target: truncaton\n');
    const msErr = await frameUntil(() => reloads.filter((r) => !r.ok).length, (n) => n > 0, RELOAD_LIMIT_MS);
    assert.ok(Number.isFinite(msErr), `the broken edit was seen after ${msErr} ms`);
    for (let i = 0; i < 5; i++) assert.equal(frame(), 0.6, 'old mapping still running');
    assert.equal(mapper.version, version);
    const err = lines.find((l) => l.includes('ERROR'));
    assert.ok(err, 'an error line was logged');
    assert.match(err!, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:\\d+: routes\\.0\\.target: unknown target 'truncaton'`));
    assert.match(err!, /keeping the previous mapping/);

    // Fixing the file resumes reloading.
    writeFileSync(file, mappingWith(0.7));
    const ms3 = await frameUntil(frame, (v) => v === 0.7, RELOAD_LIMIT_MS);
    assert.ok(Number.isFinite(ms3), `the fix took effect after ${ms3} ms`);
    console.log(`hot reload: in-place save ${ms1.toFixed(0)} ms, atomic save ${ms2.toFixed(0)} ms, broken edit seen ${msErr.toFixed(0)} ms, fix ${ms3.toFixed(0)} ms`);
  } finally {
    restore();
    await mapper.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
