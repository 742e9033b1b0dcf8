/**
 * The whole chain as `npm start` runs it, in a child process with real sockets: audio → analysis → mapping →
 * generator → /frames, OSC in → /api/state, and a clean stop on SIGINT. This is the one real-time smoke test;
 * what the picture does is tested on the virtual clock (test/pipeline).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Client } from 'node-osc';
import { encodeWav } from '../src/audio/wav.js';
import { startLiveChild, stopLiveChild } from './helpers/liveChild.js';
import { CLI } from './helpers/paths.js';

test('npm start falls back to the demo track, takes OSC into /api/state, and stops cleanly on SIGINT', async () => {
  // An empty ALSA config: PortAudio finds no input device, whatever the machine has.
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-live-'));
  writeFileSync(join(dir, 'asound.conf'), '');
  const r = await startLiveChild([], { ALSA_CONFIG_PATH: join(dir, 'asound.conf') });
  try {
    const fallback = r.log.find((l) => /demo track/.test(l) && /no audio input/i.test(l));
    assert.ok(fallback, `one line says it falls back to the demo track and why:\n${r.log.join('\n')}`);

    assert.ok(r.oscPort > 0, 'the OSC port is logged');
    const client = new Client('127.0.0.1', r.oscPort);
    await client.send('/latentvj/param/truncation', 0.42);
    client.close();
    let truncation: unknown;
    for (let i = 0; i < 50 && truncation !== 0.42; i++) {
      const state = (await (await fetch(`${r.url}/api/state`)).json()) as { targets: Record<string, number> };
      truncation = state.targets.truncation;
      if (truncation !== 0.42) await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(truncation, 0.42);
  } finally {
    const code = await stopLiveChild(r.child);
    assert.equal(code, 0, `exit code after SIGINT:\n${r.log.slice(-5).join('\n')}`);
  }
  assert.ok(r.log.some((l) => /\bstopped\b/.test(l)));
});

test('live on an audio file the analysis cannot take exits non-zero with one line, no stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-live-2k-'));
  const wav = join(dir, 'low-rate.wav');
  writeFileSync(wav, encodeWav({ sampleRate: 2000, channels: [new Float32Array(4000).map((_, i) => 0.3 * Math.sin(i / 3))] }));
  const child = spawn(process.execPath, [CLI, 'live', '--no-window', '--port', '0', '--osc-port', '0', '--audio', wav], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  assert.equal(code, 2, err);
  // Refused when the file is opened, naming it and the rate, before the engine starts.
  assert.match(err, /latentvj: .*low-rate\.wav: sample rate 2000 Hz is outside 8000–384000 Hz/);
  assert.doesNotMatch(err, /^\s+at .*\.js:\d+/m, 'no JavaScript stack trace');
});
