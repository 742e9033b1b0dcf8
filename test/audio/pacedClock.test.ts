/** `live --pace`: a paced clock over the wall clock plays a file at a multiple of real time, on the same grid. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pacedClock } from '../../src/audio/clock.js';
import { fileBlocks$, prepareAudio, type FileSourceOptions } from '../../src/audio/fileSource.js';
import { VirtualClock } from './clock.js';

const base: Omit<FileSourceOptions, 'realtime'> = { blockSize: 10, loop: false, gainDb: 0, channels: [1], mix: 'mono', name: 't.wav' };

test('pacedClock: at 4× a 2 s file plays in 500 ms of wall time, block k at (k + 1)·2.5 ms, every sample once', () => {
  const SR = 1000; // one 10-frame block every 10 ms of audio
  const wall = new VirtualClock();
  wall.now = 1234; // the paced clock starts from the wall's present, whatever it reads
  const clock = pacedClock(4, wall);
  const audio = prepareAudio({ sampleRate: SR, channels: [Float32Array.from({ length: SR * 2 }, (_, i) => i)] }, base);
  const wallAt: number[] = [];
  const samples: number[] = [];
  fileBlocks$(audio, { ...base, realtime: true, clock }).subscribe((b) => {
    wallAt.push(wall.nowMs() - 1234);
    samples.push(...b.channels[0]!);
  });
  wall.runUntil(1234 + 499);
  assert.equal(wallAt.length, 199, 'the last block is due at 500 ms');
  wall.runUntil(1234 + 1000);
  assert.equal(wallAt.length, 200);
  wallAt.forEach((t, k) => assert.ok(Math.abs(t - (k + 1) * 2.5) < 1e-9, `block ${k} at ${t} ms of wall time`));
  assert.deepEqual(samples, Array.from({ length: SR * 2 }, (_, i) => i));
});

test('pacedClock: refuses a factor that is not a positive number', () => {
  for (const f of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => pacedClock(f), /factor must be positive/);
});
