import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readWavFile } from '../../src/audio/wav.js';
import { analyseSignal, bassAccuracy, eventTimes, fMeasure, median, tempoSettleTime } from '../../src/analysis/evaluation.js';
import { bandArrangement, writeMidiFile } from '../../src/analysis/synth.js';

// Realistic instruments with exact truth (TESTING.md): a MIDI arrangement rendered by Debian's fluidsynth with the
// GM soundfont — sampled kick, snare and hats, a fingered bass and a piano. Rendered at 44.1 kHz (fluidsynth's own
// rate; its 48 kHz file renders of this soundfont came out with some notes off pitch).
const SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';
const haveFluidsynth = spawnSync('fluidsynth', ['--version'], { encoding: 'utf8' }).status === 0 && existsSync(SOUNDFONT);

test('fluidsynth GM band at 120 BPM: kick/snare F ≥ 0.90, latency ≤ 30 ms, tempo, beats, bass', { skip: !haveFluidsynth && 'fluidsynth or FluidR3_GM.sf2 missing' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-gm-'));
  const { notes, truth } = bandArrangement(120, 8);
  const mid = join(dir, 'band.mid');
  const wav = join(dir, 'band.wav');
  writeFileSync(mid, writeMidiFile(120, [{ channel: 0, program: 0 }, { channel: 1, program: 33 }], notes));
  const r = spawnSync('fluidsynth', ['-ni', '-q', '-F', wav, '-r', '44100', SOUNDFONT, mid], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const audio = readWavFile(wav);
  const feats = analyseSignal(audio.channels, audio.sampleRate);
  const kick = fMeasure(eventTimes(feats, 'kick'), truth.kick, 0.05);
  const snare = fMeasure(eventTimes(feats, 'snare'), truth.snare, 0.05);
  assert.ok(kick.f >= 0.9, `kick F ${kick.f.toFixed(3)}`);
  assert.ok(snare.f >= 0.9, `snare F ${snare.f.toFixed(3)}`);
  assert.ok(median([...kick.deltas, ...snare.deltas]) <= 0.03);
  assert.ok(tempoSettleTime(feats, 120) <= 8);
  assert.ok(fMeasure(eventTimes(feats, 'beat'), truth.beats, 0.07, 8).f >= 0.8);
  assert.ok(bassAccuracy(feats, truth.bars, 0.15) >= 0.85, `bass ${bassAccuracy(feats, truth.bars, 0.15)}`);
});
