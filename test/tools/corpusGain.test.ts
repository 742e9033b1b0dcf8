/**
 * The corpus tables at another level: `--gain` is parsed strictly, and an item played quieter by sox is that many dB
 * quieter, keeps its sample format and length, and is cached beside the original; `--limit` likewise, and an item
 * through the limiter keeps its peak at −1 dBFS while its quiet parts come up by the gain reduction; `--hum` adds a
 * mains buzz of that level on 50 or 60 Hz and its harmonics, the music left as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CorpusItem } from '../../tools/corpus/corpus.js';
import { atGain, atHum, atLimit, played } from '../../tools/corpus/playback.js';
import { gainOfArgs, humOfArgs, limitOfArgs, mainsOfArgs, playbackOfArgs, songOfArgs } from '../../tools/corpus/sets.js';
import { encodeWav } from '../../src/audio/wav.js';

test('--gain takes dB from −60 to 0; anything else is an error naming the value', () => {
  assert.equal(gainOfArgs(['node', 'x', '--holdout']), 0);
  assert.equal(gainOfArgs(['--gain', '-35']), -35);
  assert.equal(gainOfArgs(['--gain', '-12.5']), -12.5);
  assert.equal(gainOfArgs(['--gain', '0']), 0);
  for (const bad of ['6', '-61', '-35dB', 'x', ''])
    assert.throws(() => gainOfArgs(['--gain', bad]), (e: Error) => e.message.includes(`"${bad}"`), bad);
  assert.throws(() => gainOfArgs(['--gain']), /is not a gain/);
});

test('an item played 35 dB quieter is 35 dB quieter, 16-bit still, as long; the file is made once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corpus-gain-'));
  const sr = 44100;
  const x = Float32Array.from({ length: sr }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 441 * i) / sr));
  const audio = { sampleRate: sr, channels: [x, x] };
  const wavPath = join(dir, 'tone.wav');
  writeFileSync(wavPath, encodeWav(audio, 'pcm16'));
  const it: CorpusItem = { name: 'tone', audio, wavPath, truth: {} as CorpusItem['truth'] };
  assert.equal(atGain(it, 0), it, 'no gain: the item itself');
  const quiet = atGain(it, -35);
  assert.equal(quiet.wavPath, join(dir, 'tone@-35dB.wav'));
  assert.equal(quiet.audio.sampleRate, sr);
  const y = quiet.audio.channels[0]!;
  assert.equal(y.length, sr);
  const rms = (a: Float32Array): number => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
  const db = 20 * Math.log10(rms(y) / rms(x));
  assert.ok(Math.abs(db + 35) < 0.05, `${db.toFixed(3)} dB`);
  // The WAV header's bits per sample (bytes 34–35 of a plain PCM file): 16, as the original.
  assert.equal(readFileSync(quiet.wavPath).readUInt16LE(34), 16);
  const made = statSync(quiet.wavPath).mtimeMs;
  atGain(it, -35);
  assert.equal(statSync(quiet.wavPath).mtimeMs, made, 'cached');
});

test('--limit takes dB from 0 to 24; anything else is an error naming the value', () => {
  assert.equal(limitOfArgs(['--holdout']), 0);
  assert.equal(limitOfArgs(['--limit', '12']), 12);
  for (const bad of ['-3', '25', '12dB', 'x', ''])
    assert.throws(() => limitOfArgs(['--limit', bad]), (e: Error) => e.message.includes(`"${bad}"`), bad);
  assert.deepEqual(playbackOfArgs(['--gain', '-20', '--limit', '8', '--rate', '48000']), { rateHz: 48000, limitDb: 8, gainDb: -20 });
  assert.equal(songOfArgs(['--gain', '-35', 'kick', '--limit', '12']), 'kick');
  assert.equal(songOfArgs(['--trace', '--limit', '12', '--holdout4', 'h4-pop']), 'h4-pop');
  assert.equal(songOfArgs(['--limit', '12', '--gain', '-35']), undefined);
});

test('an item through a 12 dB limiter peaks at −1 dBFS and its quiet half comes up by about 12 dB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corpus-limit-'));
  const sr = 44100;
  // Half a second at −1 dBFS peak, then half a second 30 dB lower.
  const x = Float32Array.from({ length: sr }, (_, i) => (i < sr / 2 ? 0.89 : 0.028) * Math.sin((2 * Math.PI * 441 * i) / sr));
  const audio = { sampleRate: sr, channels: [x, x] };
  const wavPath = join(dir, 'tone.wav');
  writeFileSync(wavPath, encodeWav(audio, 'pcm16'));
  const it: CorpusItem = { name: 'tone', audio, wavPath, truth: {} as CorpusItem['truth'] };
  assert.equal(atLimit(it, 0), it);
  assert.equal(played(it, {}), it);
  const loud = atLimit(it, 12);
  assert.match(loud.wavPath, /tone@limit12dB-[0-9a-f]{6}\.wav$/);
  const y = loud.audio.channels[0]!;
  assert.equal(y.length, sr);
  const peak = y.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  assert.ok(Math.abs(20 * Math.log10(peak) + 1) < 0.1, `peak ${20 * Math.log10(peak)} dBFS`);
  const rms = (a: Float32Array, from: number, to: number): number => Math.sqrt(a.subarray(from, to).reduce((s, v) => s + v * v, 0) / (to - from));
  const before = 20 * Math.log10(rms(x, 0.6 * sr, sr) / rms(x, 0.1 * sr, 0.4 * sr));
  const after = 20 * Math.log10(rms(y, 0.6 * sr, sr) / rms(y, 0.1 * sr, 0.4 * sr));
  assert.ok(after - before > 10 && after - before < 14, `the quiet half ${before.toFixed(1)} → ${after.toFixed(1)} dB under the loud`);
});

test('--hum takes dBFS from −90 to −20 and --mains 50 or 60 (with --hum); anything else is an error naming the value', () => {
  assert.equal(humOfArgs(['--holdout']), undefined);
  assert.equal(humOfArgs(['--hum', '-60']), -60);
  assert.equal(mainsOfArgs(['--hum', '-60', '--mains', '60']), 60);
  for (const bad of ['-10', '-95', '60', '-60dB', ''])
    assert.throws(() => humOfArgs(['--hum', bad]), (e: Error) => e.message.includes(`"${bad}"`), bad);
  assert.throws(() => mainsOfArgs(['--mains', '55']), /"55" is not a mains frequency/);
  assert.deepEqual(playbackOfArgs(['x', '--hum', '-55', '--mains', '60']), { rateHz: undefined, limitDb: 0, gainDb: 0, humDb: -55, mainsHz: 60 });
  assert.deepEqual(playbackOfArgs(['x', '--gain', '-20']), { rateHz: undefined, limitDb: 0, gainDb: -20 });
  assert.throws(() => playbackOfArgs(['x', '--mains', '60']), /--mains: no --hum <dBFS> to give the mains of/);
  assert.equal(songOfArgs(['--hum', '-60', 'pop', '--mains', '50']), 'pop');
});

test('hum at −50 dBFS: that RMS in silence, its lines on 50 Hz and its harmonics (60 with --mains 60), the music under it kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corpus-hum-'));
  const sr = 44100;
  // A second of silence, then a second of a 441 Hz tone at −10 dBFS RMS.
  const x = Float32Array.from({ length: 2 * sr }, (_, i) => (i < sr ? 0 : 0.447 * Math.sin((2 * Math.PI * 441 * i) / sr)));
  const audio = { sampleRate: sr, channels: [x, x] };
  const wavPath = join(dir, 'tone.wav');
  writeFileSync(wavPath, encodeWav(audio, 'pcm16'));
  const it: CorpusItem = { name: 'tone', audio, wavPath, truth: {} as CorpusItem['truth'] };
  const hum = atHum(it, -50);
  assert.match(hum.wavPath, /tone@hum50Hz-50dB-[0-9a-f]{6}\.wav$/);
  assert.equal(played(it, { humDb: -50 }).wavPath, hum.wavPath);
  const y = hum.audio.channels[0]!;
  assert.equal(y.length, 2 * sr);
  const rmsDb = (a: Float32Array): number => 10 * Math.log10(a.reduce((s, v) => s + v * v, 0) / a.length);
  assert.ok(Math.abs(rmsDb(y.subarray(0, sr)) + 50) < 0.3, `hum alone ${rmsDb(y.subarray(0, sr)).toFixed(2)} dBFS`);
  // Amplitude at a frequency over the silent second (a whole number of cycles of every line: 1 Hz resolution).
  const at = (a: Float32Array, hz: number): number => {
    let re = 0;
    let im = 0;
    for (let i = 0; i < sr; i++) {
      re += a[i]! * Math.cos((2 * Math.PI * hz * i) / sr);
      im += a[i]! * Math.sin((2 * Math.PI * hz * i) / sr);
    }
    return (2 * Math.hypot(re, im)) / sr;
  };
  for (const hz of [50, 100, 150]) assert.ok(at(y, hz) > 10 * at(y, hz + 20), `a line at ${hz} Hz`);
  const sixty = atHum(it, -50, 60).audio.channels[0]!;
  assert.ok(at(sixty, 60) > 10 * at(sixty, 50), 'a line at 60 Hz');
  // The music under it: the tone's RMS moves by less than 0.01 dB.
  assert.ok(Math.abs(rmsDb(y.subarray(sr)) - rmsDb(x.subarray(sr))) < 0.01);
});
