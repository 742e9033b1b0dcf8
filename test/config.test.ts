import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, resolveConfig } from '../src/config.js';
import { UserError } from '../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'latentvj-config-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('defaults are complete and valid', () => {
  const c = defaultConfig();
  assert.equal(c.fps, 30);
  assert.equal(c.audio.source, 'auto');
  assert.equal(c.output.port, 7878);
  assert.notEqual(c.control.oscPort, 7000);
});

test('a config file sets the same settings as the flags, and flags win', () => {
  const file = write('ok.yaml', 'fps: 60\naudio:\n  source: demo\n  gainDb: -6\noutput:\n  port: 9100\n');
  const c = resolveConfig(file, { output: { port: 9200 } });
  assert.equal(c.fps, 60);
  assert.equal(c.audio.source, 'demo');
  assert.equal(c.audio.gainDb, -6);
  assert.equal(c.output.port, 9200);
  assert.equal(c.audio.blockSize, 512, 'unset keys keep their defaults');
});

test('an unknown key names the file, the line and the key', () => {
  const file = write('unknown.yaml', 'fps: 30\naudio:\n  source: demo\n  gian: 3\n');
  assert.throws(
    () => resolveConfig(file, {}),
    (e: unknown) => e instanceof UserError && /unknown\.yaml:\d+:\d+: audio: unknown key 'gian'/.test(e.message),
  );
});

test('a bad value names the line, the key and what was expected', () => {
  const file = write('bad.yaml', 'fps: 30\noutput:\n  port: "eighty"\n');
  assert.throws(
    () => resolveConfig(file, {}),
    (e: unknown) => e instanceof UserError && /bad\.yaml:3:\d+: output\.port: .*number/i.test(e.message),
  );
});

test('YAML syntax errors and missing files are one clear line', () => {
  const file = write('broken.yaml', 'fps: [30\n');
  assert.throws(() => resolveConfig(file, {}), (e: unknown) => e instanceof UserError && /broken\.yaml:\d+:\d+:/.test(e.message));
  assert.throws(() => resolveConfig(join(dir, 'nope.yaml'), {}), /nope\.yaml: cannot read \(ENOENT\)/);
});

test('a bad flag value (no file) is one UserError naming the key, not a zod dump', () => {
  assert.throws(
    () => resolveConfig(undefined, { fps: 0 }),
    (e: unknown) => e instanceof UserError && /^fps: .*>=\s*1/.test(e.message) && !e.message.includes('"code"'),
  );
  assert.throws(
    () => resolveConfig(undefined, { generator: { ep: 'foo' } }),
    (e: unknown) => e instanceof UserError && /^generator\.ep: .*cuda/.test(e.message),
  );
});
