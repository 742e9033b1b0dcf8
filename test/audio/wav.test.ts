import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { decodeWav, encodeWav, readWavFile, type WavSampleFormat } from '../../src/audio/wav.js';
import { UserError } from '../../src/errors.js';
import { sine } from './signal.js';

const FORMATS: Array<[WavSampleFormat, number]> = [
  // format, max round-trip error (half an LSB, or float rounding)
  ['pcm8', 0.5 / 128 + 1e-9],
  ['pcm16', 0.5 / 32768 + 1e-9],
  ['pcm24', 0.5 / 8388608 + 1e-9],
  ['pcm32', 1e-7],
  ['float32', 1e-7],
  ['float64', 0],
];

function signal(channels: number, frames: number, sampleRate: number): Float32Array[] {
  // Different tone per channel, full scale swing including exactly -1, so clamping and channel order are both checked.
  return Array.from({ length: channels }, (_, c) => {
    const x = sine(220 * (c + 1), 0.9, frames, sampleRate, c);
    x[0] = -1;
    x[1] = 0.999;
    return x;
  });
}

test('wav: every format round-trips, plain and WAVE_FORMAT_EXTENSIBLE, mono/stereo/6 channels, several rates', () => {
  for (const [format, tol] of FORMATS) {
    for (const extensible of [false, true]) {
      for (const [nc, sr] of [[1, 8000], [2, 44100], [6, 96000]] as const) {
        const audio = { sampleRate: sr, channels: signal(nc, 257, sr) };
        const back = decodeWav(encodeWav(audio, format, { extensible }), `${format}.wav`);
        assert.equal(back.sampleRate, sr);
        assert.equal(back.channels.length, nc);
        for (let c = 0; c < nc; c++) {
          assert.equal(back.channels[c]!.length, 257);
          let maxErr = 0;
          // Integer formats top out one LSB below +1.
          const top = format.startsWith('pcm') ? 1 - 1 / 2 ** (Number(format.slice(3)) - 1) : 1;
          for (let i = 0; i < 257; i++) maxErr = Math.max(maxErr, Math.abs(back.channels[c]![i]! - Math.min(top, audio.channels[c]![i]!)));
          assert.ok(maxErr <= tol, `${format} ext=${extensible} ${nc}ch: max error ${maxErr} > ${tol}`);
        }
      }
    }
  }
});

test('wav: chunks before fmt/data are skipped, odd sizes padded, streaming (0xFFFFFFFF) data size read to the end', () => {
  const audio = { sampleRate: 22050, channels: signal(2, 100, 22050) };
  const plain = encodeWav(audio, 'pcm16');
  const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([5, 0, 0, 0]), Buffer.from('INFOx'), Buffer.from([0])]);
  const withList = Buffer.concat([plain.subarray(0, 12), list, plain.subarray(12)]);
  withList.writeUInt32LE(withList.length - 8, 4);
  const a = decodeWav(withList, 'list.wav');
  assert.deepEqual(a.channels, decodeWav(plain).channels);
  const streaming = Buffer.from(plain);
  streaming.writeUInt32LE(0xffffffff, 40); // data size of a 16-byte fmt header
  assert.deepEqual(decodeWav(streaming).channels, decodeWav(plain).channels);
});

test('wav: errors name the file and what is wrong', () => {
  const wav = encodeWav({ sampleRate: 8000, channels: signal(1, 1000, 8000) }, 'pcm16');
  const cases: Array<[Uint8Array, RegExp]> = [
    [wav.subarray(0, wav.length - 100), /^cut\.wav: truncated WAV: data chunk at byte 36 declares 2000 bytes but only 1900 remain$/],
    [wav.subarray(0, 30), /^cut\.wav: truncated WAV: fmt chunk/],
    [Buffer.concat([Buffer.from([0x89]), Buffer.from('PNG\r\n\x1a\n0000')]), /^cut\.wav: not a WAV file \(starts with "\\x89PNG/],
    [Buffer.alloc(0), /^cut\.wav: not a WAV file \(is empty/],
    [wav.subarray(0, 12), /^cut\.wav: WAV has no fmt chunk/],
  ];
  for (const [bytes, re] of cases) {
    assert.throws(() => decodeWav(bytes, 'cut.wav'), (e: unknown) => e instanceof UserError && re.test(e.message));
  }
  const mp3InWav = Buffer.from(wav);
  mp3InWav.writeUInt16LE(0x0055, 20);
  assert.throws(() => decodeWav(mp3InWav, 'm.wav'), /m\.wav: WAV sample format 0x0055 is not supported; expected PCM \(1\) or IEEE float \(3\)/);
  assert.throws(() => readWavFile('/nonexistent/x.wav'), /\/nonexistent\/x\.wav: cannot read audio file \(no such file\)/);
});

test('wav: agrees with sox both ways (sox reads our files, we read sox files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-wav-'));
  try {
    // Ours → sox: sox measures the peak of a 0.5-amplitude 24-bit stereo sine as −6.02 dBFS.
    const ours = join(dir, 'ours.wav');
    writeFileSync(ours, encodeWav({ sampleRate: 48000, channels: [sine(1000, 0.5, 48000, 48000), sine(1000, 0.5, 48000, 48000)] }, 'pcm24', { extensible: true }));
    // sox prints stats on stderr: run it through sh to read them.
    const soxOut = execFileSync('sh', ['-c', 'sox "$1" -n stats 2>&1', 'sh', ours], { encoding: 'utf8' });
    const pk = /Pk lev dB\s+(-?[\d.]+)/.exec(soxOut);
    assert.ok(pk, 'sox stats prints a peak');
    assert.ok(Math.abs(Number(pk[1]) + 6.02) < 0.05, `sox peak ${pk[1]}`);
    // sox → ours: a 32-bit float and an 8-bit file made by sox decode to the same tone.
    for (const [args, tol] of [[['-e', 'floating-point', '-b', '32'], 1e-6], [['-e', 'unsigned-integer', '-b', '8'], 0.02]] as const) {
      const path = join(dir, `sox${args[3]}.wav`);
      execFileSync('sox', ['-n', '-r', '16000', '-c', '1', ...args, path, 'synth', '0.1', 'sine', '500', 'vol', '0.25']);
      const d = readWavFile(path);
      assert.equal(d.sampleRate, 16000);
      assert.equal(d.channels[0]!.length, 1600);
      let peak = 0;
      for (const v of d.channels[0]!) peak = Math.max(peak, Math.abs(v));
      assert.ok(Math.abs(peak - 0.25) < tol + 0.001, `${args.join(' ')}: peak ${peak}`);
    }
    assert.ok(readFileSync(ours).length > 48000 * 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
