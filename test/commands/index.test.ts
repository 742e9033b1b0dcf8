import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { COMMANDS, commandNamed } from '../../src/commands/index.js';
import { buildProgram } from '../../src/cli.js';

test('the command a command line names: global options and their values skipped, help and unknown words name none', () => {
  assert.equal(commandNamed(['render', 'demo']), 'render');
  assert.equal(commandNamed(['-q', 'render', 'demo']), 'render');
  assert.equal(commandNamed(['--config', 'live.yaml', 'trace', 'demo']), 'trace');
  assert.equal(commandNamed(['-c', 'seeds', 'generate']), 'generate', 'the word after -c is its file, even when it looks like a command');
  assert.equal(commandNamed(['--config=x.yaml', '-v', 'worker']), 'worker');
  assert.equal(commandNamed(['--help']), null);
  assert.equal(commandNamed(['help', 'render']), null);
  assert.equal(commandNamed(['frobnicate']), null);
  assert.equal(commandNamed(['toString']), null, 'only the table’s own names');
  assert.equal(commandNamed(['--', 'render']), null);
  assert.equal(commandNamed([]), null);
});

test('each table entry registers the command of its own name, and a named command builds a program with it alone', async () => {
  for (const [name, load] of Object.entries(COMMANDS)) {
    const p = new Command();
    (await load()).register(p);
    assert.deepEqual(p.commands.map((c) => c.name()), [name]);
  }
  const one = await buildProgram(['-q', 'seeds', '--seeds', '1-4']);
  assert.deepEqual(one.commands.map((c) => c.name()), ['seeds']);
  const all = await buildProgram(['--help']);
  assert.deepEqual(all.commands.map((c) => c.name()).sort(), Object.keys(COMMANDS).sort());
});
