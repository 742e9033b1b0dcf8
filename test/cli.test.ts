import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliInProcess } from './helpers/cliInProcess.js';

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

test('live: a bad --osc-out or --fit is one line naming the flag, before anything starts', async () => {
  const r = run('live', '--no-window', '--osc-out', 'foo:bar');
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'latentvj: --osc-out foo:bar: expected host:port or port (port an integer from 1 to 65535)\n');
  // The same checks through main() in this process (the child above is the real command line).
  const p = await cliInProcess('live', '--no-window', '--osc-out', '99999');
  assert.equal(p.status, 2);
  assert.match(p.stderr, /--osc-out 99999: expected an integer from 1 to 65535/);
  const f = await cliInProcess('live', '--no-window', '--fit', 'zoom');
  assert.equal(f.status, 2);
  assert.equal(f.stderr, 'latentvj: --fit zoom: expected one of fit, fill, stretch\n');
});

test('the launcher runs the bundle only while it is newer than the last compile', () => {
  const root = mkdtempSync(join(tmpdir(), 'lvj-launcher-'));
  try {
    mkdirSync(join(root, 'bin'));
    copyFileSync('bin/latentvj.js', join(root, 'bin', 'latentvj.js'));
    const stub = (dir: string, name: string) => {
      mkdirSync(join(root, 'dist', dir), { recursive: true });
      writeFileSync(join(root, 'dist', dir, 'cli.js'), `export async function main() { process.stdout.write(${JSON.stringify(name)}); return 0; }\n`);
    };
    const launch = () => spawnSync(process.execPath, [join(root, 'bin', 'latentvj.js')], { encoding: 'utf8', timeout: 30_000 }).stdout;
    stub('src', 'compiled');
    assert.equal(launch(), 'compiled', 'no bundle');
    stub('bundle', 'bundled');
    const stamp = join(root, 'dist', '.tsbuildinfo');
    writeFileSync(stamp, '{}');
    utimesSync(stamp, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    assert.equal(launch(), 'bundled', 'a bundle newer than the compile');
    utimesSync(stamp, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    assert.equal(launch(), 'compiled', 'a compile after the bundle');
    rmSync(join(root, 'dist', 'src'), { recursive: true });
    const r = spawnSync(process.execPath, [join(root, 'bin', 'latentvj.js')], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /dist\/src\/cli\.js is missing; run `npm install`/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
