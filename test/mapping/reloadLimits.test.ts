/**
 * A mapping saved mid-show cannot freeze or end the engine: files over the size limit are refused naming the file
 * and the limit, YAML alias bombs are refused naming the file, and parsing runs off the main thread, so frames
 * keep coming while a large (but allowed) file is read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMapper } from '../../src/mapping/index.js';
import { loadConfigFile } from '../../src/config.js';
import { MAX_TEXT_FILE_BYTES, MAX_YAML_ALIAS_COUNT } from '../../src/schemaFile.js';
import { isUserError } from '../../src/errors.js';
import { setLogSink } from '../../src/log.js';
import { controls, fakeManifest, fakeProvider } from './helpers.js';

const manifest = fakeManifest(256);
const mappingWith = (psi: number): string => `routes:\n  - source: ${psi}\n    target: truncation\n    smoothMs: 0\n`;

/** Nine levels of nine aliases each: 9^9 nodes when expanded. */
const aliasBomb = (): string => {
  const lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
  for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
};

async function withMapper(fn: (m: Awaited<ReturnType<typeof createMapper>>, file: string, frame: () => number, reloads: Array<{ ok: boolean; error?: string }>) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-reload-limits-'));
  const file = join(dir, 'live.yaml');
  writeFileSync(file, mappingWith(0.5));
  const restore = setLogSink({ write: () => undefined });
  const reloads: Array<{ ok: boolean; error?: string }> = [];
  const mapper = await createMapper({ file, manifest, latents: fakeProvider(manifest), watch: false, reloadParseTimeoutMs: 120_000, onReload: (r) => reloads.push(r) });
  let k = 0;
  const frame = (): number => {
    k += 1;
    return mapper.frame({ frame: k, t: k / 30, dt: 1 / 30, features: null, controls: controls() }).truncation;
  };
  try {
    await fn(mapper, file, frame, reloads);
  } finally {
    await mapper.close();
    restore();
  }
}

test('a mapping over the size limit is refused naming the file and the limit; the old mapping keeps running', () =>
  withMapper(async (mapper, file, frame, reloads) => {
    // Valid YAML: a small mapping and a lot of comment.
    writeFileSync(file, mappingWith(0.7) + `# ${'x'.repeat(100)}\n`.repeat(Math.ceil(MAX_TEXT_FILE_BYTES / 100)));
    assert.equal(await mapper.reload(), false);
    const err = reloads.at(-1)!.error!;
    assert.ok(err.includes(file), err);
    assert.match(err, new RegExp(`over the limit of ${MAX_TEXT_FILE_BYTES} bytes`));
    assert.equal(frame(), 0.5);
    writeFileSync(file, mappingWith(0.8));
    assert.equal(await mapper.reload(), true, 'the valid file restores it');
    assert.equal(frame(), 0.8);
  }));

test('a YAML alias bomb is a UserError naming the file, in a mapping reload and in a config file', async () => {
  await withMapper(async (mapper, file, frame, reloads) => {
    writeFileSync(file, mappingWith(0.9) + aliasBomb());
    assert.equal(await mapper.reload(), false);
    const err = reloads.at(-1)!.error!;
    assert.ok(err.startsWith(`${file}: YAML aliases`), err);
    assert.match(err, new RegExp(`more than ${MAX_YAML_ALIAS_COUNT} nodes`));
    assert.equal(frame(), 0.5);
  });
  const dir = mkdtempSync(join(tmpdir(), 'lvj-config-bomb-'));
  const cfg = join(dir, 'latentvj.yaml');
  writeFileSync(cfg, `fps: 30\n${aliasBomb()}`);
  assert.throws(
    () => loadConfigFile(cfg),
    (e: unknown) => isUserError(e) && e.message.startsWith(`${cfg}: YAML aliases`),
  );
});

test('frames keep coming while a large mapping is parsed: the parse runs off the main thread', () =>
  withMapper(async (mapper, file, frame, reloads) => {
    // 1,000 routes (~40 kB, under the size limit), the last one broken, so only parsing and validation run.
    const routes = '  - source: rms\n    target: truncation\n'.repeat(1_000);
    writeFileSync(file, `routes:\n${routes}  - source: rms\n    target: truncaton\n`);
    let reloading = true;
    let during = 0;
    const done = mapper.reload().then((ok) => {
      reloading = false;
      return ok;
    });
    // The engine's frame loop, reduced to its essence: a frame whenever the event loop comes round.
    while (reloading) {
      assert.equal(frame(), 0.5);
      during += 1;
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(await done, false);
    assert.match(reloads.at(-1)!.error!, /truncaton/);
    // A parse on the main thread lets through only the turns of the file read; off it, the loop keeps turning.
    assert.ok(during >= 50, `${during} frames while the mapping was parsed`);
  }));
