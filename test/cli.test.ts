import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/latentvj.js', ...args], { encoding: 'utf8', timeout: 60_000 });

test('--help describes the program and its subcommands', () => {
  const r = run('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: latentvj/);
  assert.match(r.stdout, /--verbose/);
  assert.match(r.stdout, /--config <file>/);
});

test('an unknown command is a usage error, not a stack trace', () => {
  const r = run('frobnicate');
  assert.notEqual(r.status, 0);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
