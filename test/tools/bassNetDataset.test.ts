/**
 * The bass net's frame cache is named by the song row alone; frames made by other analysis code must not train a net
 * silently. Renders one of the chord net's training songs (fluidsynth, as the dataset tool does).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROW_FLOATS, checkCacheFresh, songFrames } from '../../tools/bassnet/dataset.js';

test('cached bass-net frames that today\'s analysis would not make are refused, naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-bassnet-'));
  const before = process.env.LATENTVJ_BASSNET_DIR;
  process.env.LATENTVJ_BASSNET_DIR = dir;
  try {
    checkCacheFresh(0); // nothing cached yet
    const frames = songFrames(0);
    assert.ok(frames.length > 100 * ROW_FLOATS && frames.length % ROW_FLOATS === 0);
    checkCacheFresh(0); // as made
    const [name] = readdirSync(dir);
    const file = join(dir, name!);
    const b = readFileSync(file);
    const stale = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    stale[5] = stale[5]! + 0.5;
    writeFileSync(file, new Uint8Array(stale.buffer));
    assert.throws(() => checkCacheFresh(0), (e: Error) => e.message.includes(file) && /1 of \d+ values differ/.test(e.message) && e.message.includes('delete'));
  } finally {
    if (before === undefined) delete process.env.LATENTVJ_BASSNET_DIR;
    else process.env.LATENTVJ_BASSNET_DIR = before;
    rmSync(dir, { recursive: true, force: true });
  }
});
