/**
 * A line-in that runs faster than real time (an ALSA `file` PCM on the unclocked null PCM: the whole file arrives at
 * once) is a fault: the engine says so, sends silence on its own clock and reopens the device, which is heard
 * again. The PortAudio process keeps a bounded window of unacknowledged blocks and drops the rest (said once),
 * so such a device cannot grow its memory. Time here is a VirtualClock: frozen, so any audio at all is "fast".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineIn$ } from '../../src/audio/lineIn.js';
import { forkPortAudio } from '../../src/audio/devices.js';
import { AUDIO_WINDOW, type PortAudioChildMessage } from '../../src/audio/portaudioProtocol.js';
import type { AudioBlock } from '../../src/audio/types.js';
import { logger, setLogSink, setLogLevel } from '../../src/log.js';
import { VirtualClock } from './clock.js';

const SR = 48000;
const dir = mkdtempSync(join(tmpdir(), 'latentvj-alsa-fast-'));
const raw = join(dir, 'tone.raw');
const conf = join(dir, 'asound.conf');
{
  const frames = SR * 12; // longer than the 2 s the rate check lets through, and than the child's window
  const b = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++) b.writeInt16LE(Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * 440 * i) / SR)), i * 2);
  writeFileSync(raw, b);
  writeFileSync(conf, [`pcm.!default { type file; slave.pcm "null"; file "/dev/null"; infile "${raw}"; format "raw" }`, 'pcm.null { type null }', ''].join('\n'));
}
const env = { ...process.env, ALSA_CONFIG_PATH: conf };
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves when a log line matches. */
function logWaiter(lines: string[]): { until(re: RegExp): Promise<string>; push(l: string): void } {
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  return {
    push(l) {
      lines.push(l);
      for (const w of [...waiters]) if (w.re.test(l)) waiters.splice(waiters.indexOf(w), 1), w.resolve(l);
    },
    until(re) {
      const found = lines.find((l) => re.test(l));
      return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ re, resolve }));
    },
  };
}

test('a line-in faster than real time is a fault: said once, silence on the clock, reopened and heard again', async () => {
  const lines: string[] = [];
  const w = logWaiter(lines);
  const restore = setLogSink({ write: (l) => w.push(l) });
  setLogLevel('info');
  const clock = new VirtualClock();
  const blocks: AudioBlock[] = [];
  const sub = lineIn$({
    device: { kind: 'default' },
    sampleRate: SR,
    channels: [1],
    mix: 'mono',
    blockSize: 512,
    gainDb: 0,
    env,
    clock,
    retryMinMs: 100,
    log: logger('audio'),
  }).subscribe((b) => blocks.push(b));
  try {
    const fault = await w.until(/faster than real time/);
    assert.match(fault, /2\.\d s of audio in 0\.0 s \(nominal 48000 Hz, tolerance 5 % \+ 2\.0 s\); sending silence and reopening/);
    const heard = blocks.length;
    // The message that crossed the line is not played; PortAudio's buffers may carry more than one block each.
    assert.ok(heard * 512 <= 2 * SR + 512 && heard * 512 > 1.5 * SR, `${heard} blocks before the fault`);
    assert.ok(blocks.some((b) => b.channels[0]!.some((v) => Math.abs(v) > 0.4)), 'the tone was heard before');
    // Silence on the engine's clock until the reopen: 50 ms → 4 blocks of 512 at 48 kHz (10.67 ms each).
    clock.runUntil(50);
    const silent = blocks.slice(heard);
    assert.equal(silent.length, 4);
    assert.ok(silent.every((b) => b.channels[0]!.every((v) => v === 0)));
    blocks.forEach((b, k) => assert.equal(b.t0, k * 512, 't0 never jumps'));
    // The retry (100 ms) opens the device again; its audio comes back.
    clock.runUntil(100);
    await w.until(/is back after/);
    assert.equal(lines.filter((l) => /faster than real time/.test(l)).length >= 1, true);
  } finally {
    sub.unsubscribe();
    restore();
  }
});

test('the PortAudio process keeps at most its window of unacknowledged blocks and says it dropped the rest', async () => {
  const child = forkPortAudio({ op: 'capture', device: { kind: 'default' }, sampleRate: SR, channelCount: 1, framesPerBuffer: 512, sampleFormat: 'int16' }, { env });
  let audio = 0;
  const overruns: number[] = [];
  let wake: (() => void) | null = null;
  child.on('message', (m: PortAudioChildMessage) => {
    if (m.type === 'audio') audio += 1;
    if (m.type === 'overrun') overruns.push(audio);
    wake?.();
  });
  const until = async (ok: () => boolean, what: string) => {
    while (!ok()) {
      // A child that ignores the window would send the whole file: fail on that, not on a timeout.
      assert.ok(audio <= AUDIO_WINDOW + 5, `${audio} audio messages without acknowledgement (${what})`);
      await new Promise<void>((r) => (wake = r));
    }
  };
  try {
    await until(() => overruns.length === 1, 'waiting for the first overrun');
    assert.equal(overruns[0], AUDIO_WINDOW);
    child.send({ type: 'ack', n: 5 });
    await until(() => overruns.length === 2, 'waiting for the second overrun');
    assert.equal(overruns[1], AUDIO_WINDOW + 5, 'five acknowledged, five more sent, then dropped again');
  } finally {
    child.disconnect();
    child.kill();
  }
});
