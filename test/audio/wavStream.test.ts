/**
 * Audio files are validated when opened and WAV is streamed from disk: a 1 Hz WAV is refused at open (not after
 * minutes of "playing" silence), a WAV larger than any Node buffer opens at once and plays, and a streamed file
 * gives exactly the samples of the in-memory decoder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstValueFrom, take, toArray } from '../../src/rx.js';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAudioSource } from '../../src/audio/open.js';
import { audioConfigSchema } from '../../src/audio/config.js';
import { decodeWav, encodeWav, WAV_MIN_RATE } from '../../src/audio/wav.js';
import { openWavStream } from '../../src/audio/wavStream.js';
import { isUserError } from '../../src/errors.js';
import { setLogSink } from '../../src/log.js';
import { sine } from './signal.js';

const cfg = (source: string, extra: Record<string, unknown> = {}) => audioConfigSchema.parse({ source, ...extra });
const dir = mkdtempSync(join(tmpdir(), 'lvj-wavstream-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const restore = setLogSink({ write: () => undefined });
test.after(restore);

test('a 1 Hz WAV is refused when it is opened, naming the file and the rate', async () => {
  const file = join(dir, 'one-hertz.wav');
  writeFileSync(file, encodeWav({ sampleRate: 1, channels: [new Float32Array(600)] }, 'pcm16'));
  await assert.rejects(
    openAudioSource(cfg(file), { realtime: true }),
    (e: unknown) => isUserError(e) && e.message.startsWith(`${file}: sample rate 1 Hz is outside ${WAV_MIN_RATE}–`),
  );
  assert.throws(() => decodeWav(encodeWav({ sampleRate: 1, channels: [new Float32Array(4)] }), 'x.wav'), /sample rate 1 Hz/);
});

test('a WAV over 2 GB (sparse on disk) opens at once and plays from disk', async () => {
  const file = join(dir, 'huge.wav');
  // A header whose data chunk runs to the end of the file (streaming writers leave 0xFFFFFFFF), then 3 GB of zeros.
  const header = encodeWav({ sampleRate: 48000, channels: [new Float32Array(0)] }, 'pcm16');
  header.writeUInt32LE(0xffffffff, 4);
  header.writeUInt32LE(0xffffffff, header.length - 4);
  const fd = openSync(file, 'w');
  writeSync(fd, header);
  ftruncateSync(fd, 3 * 1024 ** 3);
  closeSync(fd);
  const src = await openAudioSource(cfg(file, { blockSize: 512, loop: false }), { realtime: false });
  assert.equal(src.info.sampleRate, 48000);
  assert.match(src.info.description, /file: .*huge\.wav \(48000 Hz, 1 channel/);
  const blocks = await firstValueFrom(src.blocks$.pipe(take(8), toArray()));
  assert.equal(blocks.length, 8);
  assert.equal(blocks[7]!.t0, 7 * 512);
  assert.ok(blocks.every((b) => b.channels[0]!.every((v) => v === 0)));
});

test('streamed blocks equal the in-memory decode, mixed and with gain, for 24-bit stereo', async () => {
  const file = join(dir, 'stereo24.wav');
  const frames = 48000;
  const left = sine(440, 0.5, frames, 48000);
  const right = sine(660, 0.25, frames, 48000);
  const bytes = encodeWav({ sampleRate: 48000, channels: [left, right] }, 'pcm24', { extensible: true });
  writeFileSync(file, bytes);
  const decoded = decodeWav(bytes, file);
  const src = await openAudioSource(cfg(file, { blockSize: 1000, loop: false, gainDb: 6 }), { realtime: false });
  const blocks = await firstValueFrom(src.blocks$.pipe(toArray()));
  const got = new Float32Array(blocks.reduce((n, b) => n + b.channels[0]!.length, 0));
  let at = 0;
  for (const b of blocks) {
    got.set(b.channels[0]!, at);
    at += b.channels[0]!.length;
  }
  assert.equal(got.length, frames);
  const g = 10 ** (6 / 20) / 2;
  for (let i = 0; i < frames; i += 97) assert.ok(Math.abs(got[i]! - (decoded.channels[0]![i]! + decoded.channels[1]![i]!) * g) < 1e-6, `frame ${i}`);
  const w = openWavStream(file);
  assert.equal(w.frames, frames);
  w.close();
});
