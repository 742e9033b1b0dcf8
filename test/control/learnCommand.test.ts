import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { learnOnce } from '../../src/commands/learn.js';
import { loadMapping } from '../../src/mapping/load.js';
import type { MidiBackend } from '../../src/control/midiPorts.js';
import { setLogSink } from '../../src/log.js';

function tempMapping(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-learncmd-'));
  const file = join(dir, 'set.yaml');
  writeFileSync(file, '# my set\nversion: 1\nroutes:\n  - source: rms # loudness\n    target: truncation\n');
  return { dir, file };
}

test('learnOnce: a knob turned on the second input becomes a route in the file', async () => {
  const { dir, file } = tempMapping();
  const restore = setLogSink({ write: () => undefined });
  try {
    // Below the native port: a backend whose second input turns CC 74 on channel 2 once it is open.
    const backend: MidiBackend = {
      inputNames: () => ['Midi Through', 'Faderfox EC4'],
      outputNames: () => [],
      openInput(index, onMessage) {
        const timers = index === 1 ? [20, 30, 40].map((ms, k) => setTimeout(() => onMessage(0.01, [0xb1, 74, 10 + 20 * k]), ms)) : [];
        return { close: () => timers.forEach(clearTimeout) };
      },
      openOutput: () => ({ send: () => undefined, close: () => undefined }),
    };
    const line = await learnOnce({ target: 'post.hueShift', mappingFile: file, inputs: [], timeoutS: 5, midi: backend });
    assert.equal(line, `learned midi:cc:2:74 → post.hueShift (added route 1 in ${file})`);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith('# my set\nversion: 1\nroutes:\n  - source: rms # loudness\n'));
    assert.match(text, /  # MIDI learn .*: midi:cc:2:74 on 'Faderfox EC4'\n  - source: midi:cc:2:74\n    target: post.hueShift\n$/);
    assert.equal(loadMapping(file).spec.routes.length, 2);
  } finally {
    restore();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('latentvj learn: unknown target and missing sequencer are one clear line each (exit 2)', () => {
  const { dir, file } = tempMapping();
  try {
    const run = (...args: string[]) => spawnSync(process.execPath, ['bin/latentvj.js', 'learn', ...args], { encoding: 'utf8' });
    const bad = run('truncatoin', '-m', file);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^latentvj: .*set\.yaml:\d+:\d+: routes\.1\.target: unknown target 'truncatoin'; did you mean 'truncation'\?/);
    const noSeq = run('truncation', '-m', file, '--timeout', '1');
    assert.equal(noSeq.status, 2);
    assert.equal(noSeq.stderr.trim().split('\n').filter((l) => l.startsWith('latentvj:')).length, 1);
    assert.match(noSeq.stderr, /latentvj: MIDI learn needs MIDI: no ALSA sequencer/);
    assert.equal(readFileSync(file, 'utf8'), '# my set\nversion: 1\nroutes:\n  - source: rms # loudness\n    target: truncation\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
