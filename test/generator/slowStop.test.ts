/**
 * Stopping is clean whatever the model's speed: closing the generator while a slow frame (over the old 2 s grace)
 * is in flight waits for that frame, releases the session and exits 0, instead of terminating the worker mid-run
 * (a native abort: "terminate called after throwing an instance of 'Napi::Error'", exit 134).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticModel } from '../../src/generator/runtime/syntheticModel.js';

test('closing during a slow frame waits for it and exits 0, without a native abort', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'lvj-slowstop-'));
  try {
    // 512×512 MatMuls chained: seconds per frame on one thread.
    const dir = await writeSyntheticModel(join(tmp, 'slow'), { width: 64, height: 64, workMatMuls: 600 });
    const child = fileURLToPath(new URL('./slowStopChild.js', import.meta.url));
    const r = spawnSync(process.execPath, [child, dir], { encoding: 'utf8', timeout: 170_000 });
    t.diagnostic(`child: ${r.stdout.trim().replace(/\n/g, '; ')}`);
    assert.doesNotMatch(r.stderr, /terminate called|Napi::Error|Aborted/, r.stderr);
    assert.equal(r.signal, null, `the child was killed by ${r.signal}`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /frame \d+ ms\nclosed\n$/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
