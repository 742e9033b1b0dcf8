/**
 * The corpus tables at another sample rate: `--rate` is parsed strictly, and an item resampled by sox keeps its
 * duration and its pitch, and is cached beside the original.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CorpusItem } from '../../tools/corpus/corpus.js';
import { atRate } from '../../tools/corpus/playback.js';
import { rateOfArgs } from '../../tools/corpus/sets.js';
import { encodeWav } from '../../src/audio/wav.js';

test('--rate takes a whole number of hertz from 8000 to 192000; anything else is an error naming the value', () => {
  assert.equal(rateOfArgs(['node', 'x', '--holdout']), undefined);
  assert.equal(rateOfArgs(['--rate', '48000']), 48000);
  for (const bad of ['48k', '4000', '200000', '44100.5', ''])
    assert.throws(() => rateOfArgs(['--rate', bad]), (e: Error) => e.message.includes(`"${bad}"`), bad);
  assert.throws(() => rateOfArgs(['--rate']), /is not a sample rate/);
});

test('an item resampled to 48 kHz keeps its length in seconds and its pitch; the file is made once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corpus-rate-'));
  const sr = 44100;
  const hz = 441;
  const x = Float32Array.from({ length: sr }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / sr));
  const audio = { sampleRate: sr, channels: [x, x] };
  const wavPath = join(dir, 'tone.wav');
  writeFileSync(wavPath, encodeWav(audio, 'float32'));
  const it: CorpusItem = { name: 'tone', audio, wavPath, truth: {} as CorpusItem['truth'] };
  assert.equal(atRate(it, sr), it, 'the same rate: the item itself');
  const up = atRate(it, 48000);
  assert.equal(up.audio.sampleRate, 48000);
  assert.equal(up.wavPath, join(dir, 'tone@48000.wav'));
  assert.ok(Math.abs(up.audio.channels[0]!.length - 48000) <= 2, `${up.audio.channels[0]!.length} samples`);
  // Rising zero crossings in the middle half second: 441 Hz still.
  const y = up.audio.channels[0]!;
  let rises = 0;
  for (let i = 12000; i < 36000; i++) if (y[i - 1]! < 0 && y[i]! >= 0) rises++;
  assert.ok(Math.abs(rises - hz / 2) <= 1, `${rises} rising crossings in 0.5 s`);
  const made = statSync(up.wavPath).mtimeMs;
  atRate(it, 48000);
  assert.equal(statSync(up.wavPath).mtimeMs, made, 'cached');
});
