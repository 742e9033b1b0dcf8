import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDemoTrack, synthesiseDemoTrack, writeDemoTrack, DEMO_BPM } from '../../src/audio/demo.js';
import { encodeWav, decodeWav } from '../../src/audio/wav.js';
import type { DemoTruth } from '../../src/audio/types.js';
import { bandPower, decimate, energy, highpass, lowpass, mono, peakDb, rmsDb } from './signal.js';

const SR = 44100;
const demo = renderDemoTrack({ sampleRate: SR });
const x = mono(demo.channels);
const at = (t: number): number => Math.round(t * SR);

test('demo: same sample rate gives the same bytes, memoised or not, in the file writeDemoTrack makes', () => {
  const a = synthesiseDemoTrack(16000);
  const b = synthesiseDemoTrack(16000);
  assert.ok(encodeWav(a, 'float32').equals(encodeWav(b, 'float32')));
  assert.deepEqual(a.truth, b.truth);
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-demo-'));
  try {
    const { wavPath, truthPath } = writeDemoTrack(dir, { sampleRate: 16000 });
    assert.ok(readFileSync(wavPath).equals(encodeWav(a, 'pcm16')));
    const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as DemoTruth;
    assert.deepEqual(truth, a.truth);
    const back = decodeWav(readFileSync(wavPath), wavPath);
    assert.equal(back.sampleRate, 16000);
    assert.equal(back.channels.length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(renderDemoTrack({ sampleRate: SR }), demo, 'memoised per sample rate');
});

test('demo: form, tempo and level', () => {
  const t = demo.truth;
  assert.equal(t.bpm, DEMO_BPM);
  assert.ok(t.bpm >= 120 && t.bpm <= 175);
  assert.equal(t.sampleRate, SR);
  assert.ok(Math.abs(t.durationS - 60) < 2, `duration ${t.durationS}`);
  assert.equal(demo.channels[0]!.length, Math.round(t.durationS * SR));
  assert.equal(t.beats.length, t.bars.length * 4);
  assert.deepEqual(t.downbeats, t.bars.map((b) => b.start));
  for (let i = 1; i < t.beats.length; i++) assert.ok(Math.abs(t.beats[i]! - t.beats[i - 1]! - 60 / t.bpm) < 1e-9);
  assert.deepEqual(t.sections.map((s) => s.name), ['intro', 'main']);
  const mainS = t.sections[1]!.start;
  assert.ok(mainS >= 12 && mainS <= 20, `intro length ${mainS}`);
  const peak = peakDb(demo.channels);
  assert.ok(peak <= -1 && peak > -3, `peak ${peak.toFixed(2)} dBFS`);
  const introDb = rmsDb(x, 0, at(mainS));
  const mainDb = rmsDb(x, at(mainS), x.length);
  assert.ok(mainDb - introDb >= 6, `intro ${introDb.toFixed(1)} dB, main ${mainDb.toFixed(1)} dB`);
  for (const b of t.bars) {
    assert.equal(b.chordPcs.length, 3);
    assert.equal(b.chordPcs[0], b.bassPc, 'bass plays the chord root');
  }
  assert.equal(t.onsets.kick.filter((k) => k < mainS).length, 0, 'no kick in the intro');
});

/** Fraction of onsets whose band energy just after the onset exceeds the energy just before by `ratio`. */
function onsetHitRate(band: Float32Array, onsets: number[], windowS: number, ratio: number): number {
  const w = at(windowS);
  let hits = 0;
  for (const o of onsets) {
    const i = at(o);
    if (energy(band, i, i + w) > ratio * energy(band, i - w, i)) hits++;
  }
  return hits / onsets.length;
}

test('demo: drum truth matches energy in the audio', () => {
  const t = demo.truth;
  const low = lowpass(lowpass(x, SR, 150), SR, 150);
  const mid = lowpass(highpass(highpass(x, SR, 1000), SR, 1000), SR, 4000);
  const high = highpass(highpass(highpass(x, SR, 6000), SR, 6000), SR, 6000);
  const kick = onsetHitRate(low, t.onsets.kick, 0.03, 3);
  const snare = onsetHitRate(mid, t.onsets.snare, 0.04, 3);
  const hats = onsetHitRate(high, t.onsets.hats, 0.02, 3);
  assert.equal(kick, 1, `kick hit rate ${kick}`);
  assert.equal(snare, 1, `snare hit rate ${snare}`);
  assert.ok(hats >= 0.95, `hats hit rate ${hats}`);
  // And no drum where the truth has none: half a beat after each kick in the main section, low energy is falling.
  const beatS = 60 / t.bpm;
  const offKick = onsetHitRate(low, t.onsets.kick.map((k) => k + beatS / 2), 0.03, 3);
  assert.equal(offKick, 0, 'no kick on the off-beats');
});

test('demo: bass pitch class and chord pitch classes per bar match the audio', () => {
  const t = demo.truth;
  const hz = (m: number): number => 440 * Math.pow(2, (m - 69) / 12);
  // The bass is gated per beat, so its spectrum is a comb: sum the band around each note, on a decimated signal.
  const DEC = 16;
  const xLow = decimate(x, SR, DEC, 200);
  // The pad's voices are detuned by ±5 cents: sum a ±1 % band around each note too.
  const DEC_PAD = 8;
  const xMid = decimate(x, SR, DEC_PAD, 1000);
  let bassOk = 0;
  let chordOk = 0;
  for (const b of t.bars) {
    const from = at(b.start + 0.05);
    const to = at(b.end - 0.05);
    const bass = Array.from({ length: 12 }, (_, pc) => bandPower(xLow, SR / DEC, hz(36 + pc), 0.025, 0.4, Math.round(from / DEC), Math.round(to / DEC)));
    if (bass.indexOf(Math.max(...bass)) === b.bassPc) bassOk++;
    const chroma = Array.from({ length: 12 }, (_, pc) => bandPower(xMid, SR / DEC_PAD, hz(60 + pc), 0.01, 0.4, Math.round(from / DEC_PAD), Math.round(to / DEC_PAD)));
    const top3 = chroma.map((v, pc) => [v, pc] as const).sort((p, q) => q[0] - p[0]).slice(0, 3).map((p) => p[1]).sort((a, b2) => a - b2);
    if (JSON.stringify(top3) === JSON.stringify([...b.chordPcs].sort((a, b2) => a - b2))) chordOk++;
  }
  assert.equal(bassOk, t.bars.length, `bass pc right in ${bassOk}/${t.bars.length} bars`);
  assert.equal(chordOk, t.bars.length, `chord pcs right in ${chordOk}/${t.bars.length} bars`);
});
