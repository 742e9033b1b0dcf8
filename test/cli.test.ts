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

test('live: a bad --osc-out or --fit is one line naming the flag, before anything starts', () => {
  const r = run('live', '--no-window', '--osc-out', 'foo:bar');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--osc-out takes host:port or port \(1–65535\), got 'foo:bar'/);
  const p = run('live', '--no-window', '--osc-out', '99999');
  assert.notEqual(p.status, 0);
  assert.match(p.stderr, /--osc-out.*99999/);
  const f = run('live', '--no-window', '--fit', 'zoom');
  assert.notEqual(f.status, 0);
  assert.match(f.stderr, /fit.*(fit|fill|stretch)/);
});
