import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesiseDemoTrack } from '../../src/audio/demo.js';
import { demoCachePath, readCachedDemo, writeCachedDemo } from '../../src/audio/demoCache.js';
import { encodeWav } from '../../src/audio/wav.js';

const SR = 8000;
const fresh = synthesiseDemoTrack(SR);

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-demo-cache-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('demo cache: a stored render reads back sample for sample with its truth, and nothing is left half-written', () => {
  withDir((dir) => {
    assert.equal(readCachedDemo(SR, dir), null, 'nothing stored yet');
    writeCachedDemo(fresh, dir);
    const back = readCachedDemo(SR, dir);
    assert.ok(back);
    assert.ok(encodeWav(back, 'float32').equals(encodeWav(fresh, 'float32')));
    assert.deepEqual(back.truth, fresh.truth);
    assert.equal(readCachedDemo(16000, dir), null, 'another sample rate is another file');
    assert.deepEqual(readdirSync(dir), [demoCachePath(SR, dir).split('/').pop()]);
  });
});

test('demo cache: a truncated, padded or foreign file is ignored, and the next write replaces it', () => {
  withDir((dir) => {
    writeCachedDemo(fresh, dir);
    const file = demoCachePath(SR, dir);
    const good = readFileSync(file);
    for (const bad of [good.subarray(0, good.length - 4), Buffer.concat([good, Buffer.alloc(4)]), Buffer.from('not a demo'), Buffer.concat([Buffer.from('LVJDEMO1'), Buffer.from([255, 255, 255, 127])])]) {
      writeFileSync(file, bad);
      assert.equal(readCachedDemo(SR, dir), null, `${bad.length} bytes`);
    }
    const json = good.subarray(12, 12 + good.readUInt32LE(8)).toString('utf8');
    const corrupt = Buffer.from(good);
    corrupt.write('{'.repeat(4), 12, 'utf8');
    writeFileSync(file, corrupt);
    assert.equal(readCachedDemo(SR, dir), null, 'broken truth JSON');
    assert.ok(json.includes('"downbeats"'));
    writeCachedDemo(fresh, dir);
    assert.ok(readFileSync(file).equals(good));
  });
});

test('demo cache: an unwritable folder is not an error', () => {
  withDir((dir) => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    writeCachedDemo(fresh, join(blocker, 'sub'));
    assert.equal(existsSync(join(blocker, 'sub')), false);
  });
});
