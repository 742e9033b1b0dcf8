import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstValueFrom, toArray, take } from '../../src/rx.js';
import { fileBlocks$, prepareAudio, type FileSourceOptions } from '../../src/audio/fileSource.js';
import type { AudioBlock } from '../../src/audio/types.js';
import { mulberry32 } from '../../src/audio/demo.js';
import { UserError } from '../../src/errors.js';
import { VirtualClock } from './clock.js';

const ramp = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, (_, i) => (i / n) * scale);
const base: Omit<FileSourceOptions, 'realtime'> = { blockSize: 10, loop: false, gainDb: 0, channels: [1], mix: 'mono', name: 't.wav' };

test('fileSource: live pacing follows the start time, so late timers never add up to drift', () => {
  const SR = 1000; // one 10-frame block every 10 ms
  const rand = mulberry32(7);
  const clock = new VirtualClock(() => rand() * 7); // every timer fires 0–7 ms late
  const audio = prepareAudio({ sampleRate: SR, channels: [ramp(SR * 20)] }, base);
  const emittedAt: number[] = [];
  const sub = fileBlocks$(audio, { ...base, realtime: true, clock }).subscribe(() => emittedAt.push(clock.nowMs()));
  clock.runUntil(10_000);
  sub.unsubscribe();
  assert.ok(Math.abs(emittedAt.length - 1000) <= 1, `${emittedAt.length} blocks in 10 s`);
  let worst = 0;
  emittedAt.forEach((t, k) => {
    const due = (k + 1) * 10;
    assert.ok(t >= due - 1e-9, `block ${k} early: ${t} < ${due}`);
    worst = Math.max(worst, t - due);
  });
  assert.ok(worst <= 7 + 1e-9, `worst lateness ${worst.toFixed(2)} ms (jitter is at most 7 ms)`);
  assert.equal(clock.liveTimers(), 0, 'unsubscribe cancels the timer');
});

test('fileSource: after a stall the overdue blocks come at once, then pacing resumes on the original grid', () => {
  const SR = 1000;
  let n = 0;
  const clock = new VirtualClock(() => (++n === 50 ? 250 : 0)); // the 50th timer fires 250 ms late
  const audio = prepareAudio({ sampleRate: SR, channels: [ramp(SR * 5)] }, base);
  const emittedAt: number[] = [];
  fileBlocks$(audio, { ...base, realtime: true, clock }).subscribe(() => emittedAt.push(clock.nowMs()));
  clock.runUntil(2000);
  assert.equal(emittedAt.length, 200);
  const burst = emittedAt.filter((t) => t === emittedAt[49]);
  assert.ok(burst.length >= 25, `${burst.length} blocks emitted together after the stall`);
  assert.equal(emittedAt[199], 2000);
});

test('fileSource: a stall longer than maxCatchUpMs bursts at most that much audio, then paces from there', () => {
  const SR = 1000;
  let n = 0;
  const clock = new VirtualClock(() => (++n === 10 ? 5000 : 0)); // the 10th timer fires 5 s late
  const audio = prepareAudio({ sampleRate: SR, channels: [ramp(SR * 60)] }, base);
  const emittedAt: number[] = [];
  const t0s: number[] = [];
  fileBlocks$(audio, { ...base, realtime: true, clock, maxCatchUpMs: 1000 }).subscribe((b) => {
    emittedAt.push(clock.nowMs());
    t0s.push(b.t0);
  });
  clock.runUntil(8000);
  const burst = emittedAt.filter((t) => t === emittedAt[9]).length;
  assert.ok(burst >= 100 && burst <= 102, `${burst} blocks in the burst (1 s of audio)`);
  t0s.forEach((t, k) => assert.equal(t, k * 10));
  // 8 s of wall time, 4 s of it lost in the stall: about 4 s of audio.
  assert.ok(Math.abs(emittedAt.length - 400) <= 2, `${emittedAt.length} blocks`);
});

test('fileSource: content, t0 and end: every frame once, in order; the last block is short; then complete', async () => {
  const x = ramp(1005);
  const blocks = await firstValueFrom(
    fileBlocks$(prepareAudio({ sampleRate: 8000, channels: [x] }, base), { ...base, realtime: false, offlineBlocksPerTurn: 7 }).pipe(toArray()),
  );
  assert.equal(blocks.length, 101);
  assert.equal(blocks[100]!.channels[0]!.length, 5);
  blocks.forEach((b, k) => assert.equal(b.t0, k * 10));
  const joined = Float32Array.from(blocks.flatMap((b) => Array.from(b.channels[0]!)));
  assert.deepEqual(joined, x);
});

test('fileSource: loop wraps the content while t0 keeps counting', async () => {
  const x = ramp(25);
  const blocks = await firstValueFrom(
    fileBlocks$(prepareAudio({ sampleRate: 8000, channels: [x] }, base), { ...base, loop: true, realtime: false }).pipe(take(6), toArray()),
  );
  assert.deepEqual(blocks.map((b) => b.t0), [0, 10, 20, 30, 40, 50]);
  const joined = blocks.flatMap((b) => Array.from(b.channels[0]!));
  for (let i = 0; i < 60; i++) assert.equal(joined[i], x[i % 25]);
});

test('fileSource: offline runs ahead of real time but yields to the event loop between chunks', async () => {
  const SR = 48000;
  const audio = prepareAudio({ sampleRate: SR, channels: [ramp(SR * 10)] }, base); // 10 s
  let blocksBeforeImmediate = -1;
  let count = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    setImmediate(() => {
      blocksBeforeImmediate = count;
    });
    fileBlocks$(audio, { ...base, blockSize: 480, realtime: false, offlineBlocksPerTurn: 16 }).subscribe({ next: () => count++, complete: resolve });
  });
  assert.equal(count, 1000);
  assert.ok(blocksBeforeImmediate >= 0 && blocksBeforeImmediate < 1000, `event loop served after ${blocksBeforeImmediate} blocks`);
  assert.ok(performance.now() - t0 < 10_000, 'offline is not paced'); // 10 s of audio: any pacing would show
});

test('fileSource: channel choice, mono mix and gain are applied; absent channels are dropped or refused', () => {
  const L = Float32Array.from([0.5, 0.5, -0.5]);
  const R = Float32Array.from([0.1, 0.0, 0.3]);
  const stereo = { sampleRate: 8000, channels: [L, R] };
  const mono = prepareAudio(stereo, { ...base, channels: [1, 2] });
  assert.deepEqual(Array.from(mono.channels[0]!).map((v) => +v.toFixed(6)), [0.3, 0.25, -0.1]);
  const loud = prepareAudio(stereo, { ...base, channels: [2], gainDb: 20 * Math.log10(2) });
  assert.deepEqual(Array.from(loud.channels[0]!).map((v) => +v.toFixed(6)), [0.2, 0, 0.6]);
  const kept = prepareAudio(stereo, { ...base, channels: [2, 1], mix: 'keep' });
  assert.equal(kept.channels.length, 2);
  assert.deepEqual(kept.channels[0], R);
  assert.deepEqual(kept.channels[1], L);
  const fromMono = prepareAudio({ sampleRate: 8000, channels: [L] }, { ...base, channels: [1, 2] });
  assert.deepEqual(fromMono.dropped, [2]);
  assert.deepEqual(fromMono.channels[0], L);
  assert.throws(() => prepareAudio(stereo, { ...base, channels: [3, 4] }), (e: unknown) => e instanceof UserError && /t\.wav: has 2 channel\(s\), none of the chosen channels \[3, 4\] exist/.test(e.message));
});

test('fileSource: empty audio completes at once', async () => {
  const blocks: AudioBlock[] = await firstValueFrom(
    fileBlocks$(prepareAudio({ sampleRate: 8000, channels: [new Float32Array(0)] }, base), { ...base, loop: true, realtime: false }).pipe(toArray()),
  );
  assert.equal(blocks.length, 0);
});
