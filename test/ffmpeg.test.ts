import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNpmFfmpeg, resolveFfmpeg } from '../src/ffmpeg.js';

const dir = mkdtempSync(join(tmpdir(), 'latentvj-ffbin-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('ffmpeg resolution: LATENTVJ_FFMPEG, then the system PATH, then the npm package', () => {
  const fake = join(dir, 'ffmpeg');
  writeFileSync(fake, '#!/bin/sh\nexit 0\n');
  chmodSync(fake, 0o755);
  assert.deepEqual(resolveFfmpeg({ env: { LATENTVJ_FFMPEG: '/opt/ff/ffmpeg', PATH: dir } }), { path: '/opt/ff/ffmpeg', source: 'env' });
  assert.deepEqual(resolveFfmpeg({ env: { PATH: `/nonexistent:${dir}` } }), { path: fake, source: 'system' });
  // A PATH without ffmpeg: the binary inside @ffmpeg-installer's platform package.
  const npm = resolveFfmpeg({ env: { PATH: '/nonexistent' } });
  assert.ok(npm, 'the npm package ships a binary for this platform');
  assert.equal(npm.source, 'npm');
  assert.equal(npm.path, findNpmFfmpeg());
});

test('ffmpeg from the npm package decodes and encodes (no system ffmpeg needed)', () => {
  const bin = findNpmFfmpeg();
  assert.ok(bin);
  const out = join(dir, 'clip.mp4');
  execFileSync(bin, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10:duration=0.5', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', out]);
  const md5 = execFileSync(bin, ['-nostdin', '-v', 'error', '-i', out, '-f', 'framemd5', '-'], { encoding: 'utf8' });
  assert.equal(md5.split('\n').filter((l) => /^0,/.test(l)).length, 5);
});
