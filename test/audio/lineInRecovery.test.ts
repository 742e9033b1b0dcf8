/**
 * Device-loss behaviour of the line-in on virtual time: a scripted PortAudio process stands in for the child so
 * stalls, failed reopens and the backoff schedule are exact. (The real capture path is in lineIn.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { lineIn$ } from '../../src/audio/lineIn.js';
import type { PortAudioChildMessage, PortAudioChildRequest } from '../../src/audio/portaudioProtocol.js';
import type { Logger } from '../../src/log.js';
import { VirtualClock } from './clock.js';

class FakeChild extends EventEmitter {
  connected = true;
  killed = false;
  exitCode: number | null = null;
  constructor(readonly req: PortAudioChildRequest) {
    super();
  }
  disconnect(): void {
    this.connected = false;
  }
  kill(): boolean {
    this.killed = true;
    return true;
  }
  say(m: PortAudioChildMessage): void {
    this.emit('message', m);
  }
}

function recordingLog(lines: string[]): Logger {
  const add = (lvl: string) => (m: string) => lines.push(`${lvl} ${m}`);
  return { debug: add('debug'), info: add('info'), warn: add('warn'), error: add('error'), limited: (l, _k, m) => lines.push(`${l} ${m}`) };
}

const device = { id: 4, name: 'USB Audio CODEC', maxInputChannels: 2, defaultSampleRate: 48000, hostAPIName: 'ALSA' };

test('line-in recovery: stall → one warning, silence paced on the clock, reopen with doubling backoff, back', () => {
  const clock = new VirtualClock();
  const lines: string[] = [];
  const children: FakeChild[] = [];
  const spawnedAt: number[] = [];
  const blocks: Array<{ t0: number; silent: boolean; at: number }> = [];
  const sub = lineIn$({
    device: { kind: 'name', name: 'USB', exact: false },
    sampleRate: 1000,
    channels: [1, 2],
    mix: 'mono',
    blockSize: 10, // 10 ms blocks
    gainDb: 0,
    clock,
    stallMs: 200,
    openTimeoutMs: 300,
    retryMinMs: 100,
    retryMaxMs: 400,
    log: recordingLog(lines),
    spawn: (req) => {
      const c = new FakeChild(req);
      children.push(c);
      spawnedAt.push(clock.nowMs());
      return c as unknown as ChildProcess;
    },
  }).subscribe((b) => blocks.push({ t0: b.t0, silent: b.channels[0]!.every((v) => v === 0), at: clock.nowMs() }));

  // The first process opens and delivers 50 frames of stereo (0.5, 0.3) → mono 0.4, then stalls.
  const first = children[0]!;
  assert.deepEqual(first.req, { op: 'capture', device: { kind: 'name', name: 'USB', exact: false }, sampleRate: 1000, channelCount: 2, framesPerBuffer: 10, sampleFormat: 'int16' });
  first.say({ type: 'open', device, channelCount: 2, sampleRate: 1000 });
  first.say({ type: 'audio', data: Float32Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 0.5 : 0.3)) });
  assert.equal(blocks.length, 5);
  assert.ok(Math.abs(blocks.length - 5) === 0);
  // Nothing more: after 200 ms the watchdog declares it lost (checks every 100 ms).
  clock.runUntil(3000);
  assert.ok(first.killed);
  const warn = lines.filter((l) => l.startsWith('warn'));
  assert.equal(warn.length, 1, lines.join('\n'));
  assert.match(warn[0]!, /^warn line-in: "USB Audio CODEC" \(ALSA, id 4\): no audio for 0\.2 s; sending silence and reopening/);
  // Reopens by exact name, backoff 100, 200, 400, 400 ms after each failure; each reopen gives up after its 300 ms
  // open timeout, noticed by the watchdog within its 100 ms period.
  assert.ok(children.slice(1).every((c) => c.req.op === 'capture' && c.req.device.kind === 'name' && c.req.device.exact && c.req.device.name === 'USB Audio CODEC'));
  const gaps = spawnedAt.slice(1).map((t, i) => t - spawnedAt[i]!);
  const backoff = [200, 400, 400];
  assert.ok(gaps.length >= 4, `spawn gaps ${gaps.join(', ')}`);
  backoff.forEach((b, k) => assert.ok(gaps[k + 1]! >= 300 + b && gaps[k + 1]! <= 300 + b + 100, `spawn gaps ${gaps.join(', ')}`));
  // Silence since the loss, one block per 10 ms, on time.
  const lostAt = blocks.findIndex((b) => b.silent);
  const silent = blocks.slice(lostAt);
  assert.ok(silent.every((b) => b.silent));
  silent.forEach((b, k) => assert.ok(Math.abs(b.at - (silent[0]!.at + k * 10)) < 1e-6, `silence block ${k} at ${b.at}`));
  assert.ok(Math.abs(silent.length - (3000 - (silent[0]!.at - 10)) / 10) <= 1, `${silent.length} silence blocks`);

  // The device comes back on the pending reopen.
  const spawned = children.length;
  while (children.length === spawned) clock.runUntil(clock.nowMs() + 10);
  const back = children.at(-1)!;
  back.say({ type: 'open', device, channelCount: 2, sampleRate: 1000 });
  back.say({ type: 'audio', data: new Float32Array(40).fill(0.2) });
  const info = lines.filter((l) => l.startsWith('info'));
  assert.equal(info.length, 1);
  assert.match(info[0]!, /^info line-in: "USB Audio CODEC" \(ALSA, id 4\) is back after \d+\.\d s$/);
  assert.equal(blocks.at(-1)!.silent, false);
  for (let i = 1; i < blocks.length; i++) assert.equal(blocks[i]!.t0, blocks[i - 1]!.t0 + 10);
  const before = blocks.length;
  clock.runUntil(clock.nowMs() + 100); // no more silence while the device delivers (the watchdog has 200 ms)
  assert.equal(blocks.length, before);
  sub.unsubscribe();
  assert.ok(back.killed && !back.connected);
  assert.equal(clock.liveTimers(), 0);
});

test('line-in recovery: a device with fewer channels than chosen uses those it has and says so once', () => {
  const clock = new VirtualClock();
  const lines: string[] = [];
  let child: FakeChild | null = null;
  const out: number[] = [];
  const sub = lineIn$({
    device: { kind: 'default' },
    sampleRate: 1000,
    channels: [1, 2],
    mix: 'mono',
    blockSize: 4,
    gainDb: 6.0206,
    clock,
    log: recordingLog(lines),
    spawn: (req) => (child = new FakeChild(req)) as unknown as ChildProcess,
  }).subscribe((b) => out.push(...b.channels[0]!));
  child!.say({ type: 'open', device: { ...device, maxInputChannels: 1 }, channelCount: 1, sampleRate: 1000 });
  child!.say({ type: 'audio', data: Float32Array.from([0.1, 0.2, 0.3, 0.4]) });
  assert.deepEqual(out.map((v) => +v.toFixed(4)), [0.2, 0.4, 0.6, 0.8]);
  assert.deepEqual(lines.filter((l) => !l.startsWith('debug')), ['info line-in: "USB Audio CODEC" (ALSA, id 4) has 1 input channel(s); using 1, not 2']);
  sub.unsubscribe();
});
