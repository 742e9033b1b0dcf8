import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { readAudioFile } from '../../src/audio/readAudio.js';
import { decodeWithFfmpeg } from '../../src/audio/ffmpeg.js';
import { UserError } from '../../src/errors.js';
import { zeroCrossingHz, rmsDb } from './signal.js';

const dir = mkdtempSync(join(tmpdir(), 'latentvj-ffmpeg-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('ffmpeg: flac, mp3, ogg and m4a made by ffmpeg decode to the tone, rate and length written', async () => {
  // A 440 Hz sine, 1 s, stereo 44.1 kHz, made by ffmpeg itself; lossy codecs keep pitch and level.
  for (const [ext, codecArgs, rmsTol] of [
    ['flac', [], 0.01],
    ['mp3', ['-b:a', '192k'], 0.3],
    ['ogg', ['-c:a', 'libvorbis'], 0.3],
    ['m4a', ['-c:a', 'aac', '-b:a', '192k'], 0.3],
  ] as const) {
    const path = join(dir, `tone.${ext}`);
    execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=1', '-af', 'volume=0.5,pan=stereo|c0=c0|c1=c0', ...codecArgs, path]);
    const audio = await readAudioFile(path);
    assert.equal(audio.sampleRate, 44100, ext);
    assert.equal(audio.channels.length, 2, ext);
    const n = audio.channels[0]!.length;
    assert.ok(Math.abs(n - 44100) < 3000, `${ext}: ${n} frames`); // encoder padding/priming differs per codec
    const mid = audio.channels[0]!.subarray(4410, n - 4410);
    const hz = zeroCrossingHz(mid, 44100);
    // ffmpeg's sine source has amplitude 1/8; volume=0.5 makes 1/16: RMS 20·log10(1/16/√2) = −27.1 dBFS.
    const rms = rmsDb(mid);
    assert.ok(Math.abs(hz - 440) < 0.5, `${ext}: ${hz.toFixed(2)} Hz`);
    assert.ok(Math.abs(rms - 20 * Math.log10(1 / 16 / Math.SQRT2)) < rmsTol, `${ext}: rms ${rms.toFixed(2)} dBFS`);
  }
});

test('wav: RF64 written by ffmpeg is read in-process', async () => {
  const path = join(dir, 'tone-rf64.wav');
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=0.5', '-c:a', 'pcm_s24le', '-rf64', 'always', path]);
  const audio = await readAudioFile(path, { ffmpegPath: join(dir, 'no-such-ffmpeg') }); // proves it is not ffmpeg decoding
  assert.equal(audio.sampleRate, 48000);
  assert.equal(audio.channels[0]!.length, 24000);
  assert.ok(Math.abs(zeroCrossingHz(audio.channels[0]!, 48000) - 440) < 0.5);
});

test('ffmpeg: a missing ffmpeg is a UserError that names ffmpeg and how to install it', async () => {
  const path = join(dir, 'tone.flac');
  await assert.rejects(decodeWithFfmpeg(path, { ffmpegPath: join(dir, 'no-such-ffmpeg') }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.match(e.message, /tone\.flac: decoding this format needs ffmpeg, which was not found/);
    assert.match(e.message, /apt-get install ffmpeg/);
    return true;
  });
});

test('ffmpeg: unrelated and missing files are clear errors', async () => {
  const junk = join(dir, 'junk.mp3');
  writeFileSync(junk, Buffer.from('this is a text file, not audio\n'.repeat(20)));
  await assert.rejects(readAudioFile(junk), /junk\.mp3: ffmpeg could not decode it: /);
  await assert.rejects(readAudioFile(join(dir, 'absent.ogg')), /absent\.ogg: cannot read audio file \(no such file\)/);
  const empty = join(dir, 'empty.flac');
  writeFileSync(empty, '');
  await assert.rejects(readAudioFile(empty), /empty\.flac: audio file is empty/);
  await assert.rejects(readAudioFile(dir), /cannot read audio file \(it is a directory\)/);
});
