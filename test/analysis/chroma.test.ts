import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { analyseSignal, argmax, bassAccuracy, chordAccuracy } from '../../src/analysis/evaluation.js';
import { renderPattern } from '../../src/analysis/synth.js';

test('demo track: chord top-3 = triad in ≥ 90 % of frames (150 ms after changes excluded), bass argmax ≥ 85 %', () => {
  const demo = renderDemoTrack({ sampleRate: 44100 });
  const feats = analyseSignal(demo.channels, demo.sampleRate);
  const bars = demo.truth.bars.map((b) => ({ start: b.start, end: b.end, chordPcs: b.chordPcs, bassPc: b.bassPc }));
  const chord = chordAccuracy(feats, bars, 0.15);
  const bass = bassAccuracy(feats, bars, 0.15);
  assert.ok(chord >= 0.9, `chord ${chord.toFixed(3)}`);
  assert.ok(bass >= 0.85, `bass ${bass.toFixed(3)}`);
});

test('patterns at −30 and 0 dBFS: chord ≥ 90 %, bass ≥ 85 %', () => {
  for (const bpm of [120, 174]) {
    for (const peakDb of [-30, 0]) {
      const sig = renderPattern({ bpm, durationS: 12, peakDb, harmony: true });
      const feats = analyseSignal([sig.samples], sig.sampleRate);
      const chord = chordAccuracy(feats, sig.truth.bars, 0.15);
      const bass = bassAccuracy(feats, sig.truth.bars, 0.15);
      assert.ok(chord >= 0.9, `${bpm} BPM @ ${peakDb} dBFS: chord ${chord.toFixed(3)}`);
      assert.ok(bass >= 0.85, `${bpm} BPM @ ${peakDb} dBFS: bass ${bass.toFixed(3)}`);
    }
  }
});

test('bass chroma resolves every note from C1 to C3 (partials 1–6)', () => {
  const sr = 44100;
  const wrong: string[] = [];
  for (let midi = 24; midi <= 48; midi++) {
    const hz = 440 * Math.pow(2, (midi - 69) / 12);
    const n = Math.round(sr * 0.8);
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let h = 1; h <= 6; h++) v += Math.sin((2 * Math.PI * hz * h * i) / sr) / h;
      x[i] = 0.3 * v;
    }
    const feats = analyseSignal([x], sr);
    const got = argmax(feats[feats.length - 1]!.bassChroma);
    if (got !== midi % 12) wrong.push(`MIDI ${midi} → pc ${got}`);
  }
  assert.deepEqual(wrong, []);
});
