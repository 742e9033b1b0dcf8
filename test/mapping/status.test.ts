/** The mapping's status for the monitor: error locations split from messages, cue names, and the mapper's tracking. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMapper } from '../../src/mapping/index.js';
import { cuesOf, locateErrorMessage } from '../../src/mapping/status.js';
import { setLogSink } from '../../src/log.js';
import { fakeManifest, fakeProvider } from './helpers.js';

test('error messages split into file, line, column and text', () => {
  assert.deepEqual(locateErrorMessage('C:\\sets\\a.yaml:12:5: routes.0.target: unknown', 'C:\\sets\\a.yaml', 7), {
    file: 'C:\\sets\\a.yaml',
    line: 12,
    col: 5,
    text: 'routes.0.target: unknown',
    atMs: 7,
  });
  assert.deepEqual(locateErrorMessage('/x/a.yaml: cannot read (ENOENT)', '/x/a.yaml', 1), { file: '/x/a.yaml', line: null, col: null, text: 'cannot read (ENOENT)', atMs: 1 });
  // A message about another file (a bank's .npy) keeps that file.
  assert.deepEqual(locateErrorMessage('/x/b.yaml:3: bad\nmore', '/x/a.yaml', 1), { file: '/x/b.yaml', line: 3, col: null, text: 'bad\nmore', atMs: 1 });
  assert.deepEqual(cuesOf(['control:cue:drop', 'rms', 'control:cue:build', 'control:cue:drop', 'control:cue:']), ['build', 'drop']);
});

test('the mapper reports a refused save until a good save, and a vanished file until it is back', async () => {
  const restore = setLogSink({ write: () => undefined });
  const dir = mkdtempSync(join(tmpdir(), 'lvj-status-'));
  const file = join(dir, 'm.yaml');
  const good = 'routes:\n  - source: control:cue:drop\n    target: truncation\n';
  writeFileSync(file, good);
  const manifest = fakeManifest(256);
  const mapper = await createMapper({ file, manifest, latents: fakeProvider(manifest), watch: false });
  try {
    let s = mapper.status();
    assert.equal(s.version, 1);
    assert.equal(s.error, null);
    assert.deepEqual(s.cues, ['drop']);
    assert.deepEqual(s.scenes, []);
    assert.equal(s.cueQuantise, 'bar');

    writeFileSync(file, 'routes:\n  - source: rms\n    target: truncaton\n');
    assert.equal(await mapper.reload(), false);
    s = mapper.status();
    assert.equal(s.error?.file, file);
    assert.equal(s.error?.line, 3);
    assert.match(s.error!.text, /truncaton/);
    assert.equal(s.version, 1);
    await mapper.reload(); // the same broken text again (a second change event of one save)
    assert.notEqual(mapper.status().error, null, 'still broken: the banner stays');

    writeFileSync(file, good);
    assert.equal(await mapper.reload(), true);
    assert.equal(mapper.status().error, null);
    assert.equal(mapper.status().version, 2);

    unlinkSync(file);
    assert.equal(await mapper.reload(), false);
    assert.equal(mapper.status().error?.line, null);
    writeFileSync(file, good);
    assert.equal(await mapper.reload(), true);
    assert.equal(mapper.status().error, null, 'the file is back as it was: nothing is wrong');
    assert.equal(mapper.status().version, 2);
  } finally {
    await mapper.close();
    rmSync(dir, { recursive: true, force: true });
    restore();
  }
});
