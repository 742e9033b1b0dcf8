import { test } from 'node:test';
import { cliInProcess } from '../helpers/cliInProcess.js';
import assert from 'node:assert/strict';
import { from, firstValueFrom, toArray } from '../../src/rx.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { formatReading, levels, measureLevels, meterBar, toDb } from '../../src/audio/meter.js';
import { encodeWav } from '../../src/audio/wav.js';
import type { AudioBlock } from '../../src/audio/types.js';
import { sine } from './signal.js';

const SR = 48000;

test('meter: a sine at amplitude A reads peak 20·log10(A) and RMS 3.01 dB lower; silence is -inf; clipping is flagged', () => {
  const A = Math.pow(10, -6 / 20);
  const r = measureLevels([sine(1000, A, SR, SR)], SR);
  assert.ok(Math.abs(r.peakDb - -6) < 0.01, `peak ${r.peakDb}`);
  assert.ok(Math.abs(r.rmsDb - (-6 - 3.0103)) < 0.01, `rms ${r.rmsDb}`);
  assert.equal(r.clip, false);
  assert.equal(formatReading(r), 'peak -6.0 dBFS  rms -9.0 dBFS');
  const silent = measureLevels([new Float32Array(100)], SR);
  assert.equal(silent.peakDb, -Infinity);
  assert.equal(formatReading(silent), 'peak -inf dBFS  rms -inf dBFS');
  const hot = sine(100, 1.5, SR, SR).map((v) => Math.max(-1, Math.min(1, v)));
  const c = measureLevels([hot], SR);
  assert.equal(c.clip, true);
  assert.match(formatReading(c), /^peak 0\.0 dBFS {2}rms -\d\.\d dBFS {2}CLIP$/);
  // Two channels: the peak is the louder one, RMS over all samples.
  const two = measureLevels([sine(1000, 0.5, SR, SR), new Float32Array(SR)], SR);
  assert.ok(Math.abs(two.peakDb - toDb(0.5)) < 0.01);
  assert.ok(Math.abs(two.rmsDb - toDb(0.5 / Math.SQRT2 / Math.SQRT2)) < 0.01);
  assert.equal(meterBar({ ...r, rmsDb: -30, peakDb: -6 }, 10), '█████···|·');
});

test('meter: windows split blocks by sample count; a short last window is reported on completion', async () => {
  // 2.5 s in 700-frame blocks; the second second is louder.
  const x = new Float32Array(SR * 2.5);
  x.set(sine(440, 0.1, SR, SR), 0);
  x.set(sine(440, 0.8, SR, SR), SR);
  x.set(sine(440, 0.2, SR / 2, SR), 2 * SR);
  const blocks: AudioBlock[] = [];
  for (let t0 = 0; t0 < x.length; t0 += 700) blocks.push({ sampleRate: SR, t0, channels: [x.slice(t0, t0 + 700)] });
  const rs = await firstValueFrom(from(blocks).pipe(levels(1), toArray()));
  assert.deepEqual(rs.map((r) => r.t), [1, 2, 2.5]);
  assert.deepEqual(rs.map((r) => +r.durationS.toFixed(3)), [1, 1, 0.5]);
  assert.deepEqual(rs.map((r) => +r.peakDb.toFixed(1)), [+toDb(0.1).toFixed(1), +toDb(0.8).toFixed(1), +toDb(0.2).toFixed(1)]);
});

test('meter command: `latentvj meter --audio sine.wav --duration 1` on a −6 dBFS sine prints peak −6.0 dBFS', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-meter-'));
  try {
    const wav = join(dir, 'sine.wav');
    const A = Math.pow(10, -6 / 20);
    writeFileSync(wav, encodeWav({ sampleRate: 44100, channels: [sine(1000, A, 44100 * 3, 44100), sine(1000, A, 44100 * 3, 44100)] }, 'pcm16'));
    const r = spawnSync(process.execPath, ['bin/latentvj.js', 'meter', '--audio', wav, '--duration', '1'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    const m = /^peak (-?\d+\.\d) dBFS {2}rms (-?\d+\.\d) dBFS$/.exec(lines[0]!);
    assert.ok(m, lines[0]);
    assert.ok(Math.abs(Number(m[1]) - -6) <= 0.5, `peak ${m[1]}`);
    assert.ok(Math.abs(Number(m[2]) - -9) <= 0.5, `rms ${m[2]}`);
    assert.match(r.stderr, /metering file: .*sine\.wav \(44100 Hz, 2 channels → mono/);
    // Clipping shows; --fast takes a file unpaced; 2.5 s gives two full windows and a short last one.
    const hot = spawnSync(process.execPath, ['bin/latentvj.js', 'meter', '--audio', wav, '--duration', '2.5', '--gain', '9', '--fast', '--quiet'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(hot.status, 0, hot.stderr);
    assert.deepEqual(hot.stdout.trim().split('\n').map((l) => l.endsWith('  CLIP')), [true, true, true]);
    assert.equal(hot.stderr, '');
    // A refusal before any work: through the CLI's main() in this process.
    const bad = await cliInProcess('meter', '--audio', join(dir, 'nope.wav'), '--duration', '1');
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, `latentvj: ${join(dir, 'nope.wav')}: cannot read audio file (no such file)\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('meter command on a TTY redraws one line in place (10 per second of audio) with a bar and peak hold', async () => {
  const { runMeter } = await import('../../src/commands/meter.js');
  const { setLogSink } = await import('../../src/log.js');
  const restore = setLogSink({ write: () => undefined });
  let written = '';
  const tty = { isTTY: true, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
  try {
    await runMeter({ audio: 'demo', duration: '0.5', fast: true }, {}, tty);
  } finally {
    restore();
  }
  const frames = written.split('\r\x1b[2K').slice(1);
  assert.equal(frames.length, 5, JSON.stringify(written.slice(0, 200)));
  for (const f of frames) assert.match(f, /^[█|·]{40} peak -?\d+\.\d dBFS {2}rms -?\d+\.\d dBFS\n?$/);
  assert.ok(written.endsWith('\n'));
  assert.equal(written.split('\n').length, 2, 'a single line, ended once');
});
