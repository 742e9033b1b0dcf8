import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { HopFrontEnd, SampleRing, resolveParams } from '../../src/analysis/hopInput.js';
import { DrumDetector } from '../../src/analysis/drums.js';
import { ChordChroma, CHORD_FIRST_MIDI, suppressPartials } from '../../src/analysis/chordChroma.js';
import { BassChroma } from '../../src/analysis/bassChroma.js';
import { ChordEstimator } from '../../src/analysis/chordEstimate.js';
import { SectionEnergyDetector } from '../../src/analysis/sectionEnergy.js';
import { Decimator } from '../../src/analysis/filters.js';
import { analyseSignal, eventTimes, fMeasure, topK } from '../../src/analysis/evaluation.js';
import { addHarmonicTone, renderPattern } from '../../src/analysis/synth.js';
import type { FeatureEvent } from '../../src/analysis/types.js';

const SR = 44100;
const cfg = analysisConfigSchema.parse({});

/** Drives the shared front end by hand: each extractor is tested alone on the same HopInput. */
function frontEnd(): { p: ReturnType<typeof resolveParams>; front: HopFrontEnd; feed: (x: Float32Array, onHop: () => void) => void } {
  const p = resolveParams(cfg, SR);
  const ring = new SampleRing(2 * Math.max(p.onsetFftSize, p.chromaFftSize));
  const bassRing = new SampleRing(2 * p.bassFftSize);
  const dec = new Decimator(p.bassDecimation, Math.min(900, 0.3 * p.bassRateHz), SR);
  const front = new HopFrontEnd(cfg, p, ring, bassRing);
  let fill = 0;
  let sumSq = 0;
  const feed = (x: Float32Array, onHop: () => void): void => {
    for (let i = 0; i < x.length; i++) {
      ring.push(x[i]!);
      if (dec.push(x[i]!)) bassRing.push(dec.value);
      sumSq += x[i]! * x[i]!;
      if (++fill === p.hopSamples) {
        front.next(sumSq, p.hopSamples);
        onHop();
        fill = 0;
        sumSq = 0;
      }
    }
  };
  return { p, front, feed };
}

function tones(midis: number[], seconds: number, amp = 0.1, partials = [1, 0.5, 0.3, 0.2, 0.15]): Float32Array {
  const x = new Float32Array(Math.round(seconds * SR));
  const gains = partials.map((p) => amp * p);
  for (const m of midis) addHarmonicTone(x, 0, x.length, 440 * Math.pow(2, (m - 69) / 12), SR, gains, () => 1);
  return x;
}

test('DrumDetector alone: re-struck bass notes fire no kicks, kicks with a beater click do', () => {
  const { p, front, feed } = frontEnd();
  const drums = new DrumDetector(cfg, p, front.onsetBins);
  const events: FeatureEvent[] = [];
  const bass = new Float32Array(SR * 4);
  for (let n = 0; n < 8; n++) {
    const note = tones([31 + (n % 3) * 2], 0.45, 0.4);
    bass.set(note.map((v, i) => v * Math.min(1, i / 200)), Math.round(n * 0.5 * SR));
  }
  feed(bass, () => drums.step(front.input, events));
  assert.equal(events.filter((e) => e === 'kick').length, 0, 'kicks on bass notes');
  const pat = renderPattern({ bpm: 120, durationS: 4, offsetS: 0.25 });
  const kicks: number[] = [];
  const ev2: FeatureEvent[] = [];
  feed(pat.samples, () => {
    ev2.length = 0;
    drums.step(front.input, ev2);
    if (ev2.includes('kick')) kicks.push(front.input.hop);
  });
  assert.ok(kicks.length >= pat.truth.kick.length - 1, `${kicks.length} kicks of ${pat.truth.kick.length}`);
});

/** Bass notes whose partials above 200 Hz outweigh the fundamental (a plucked A2–D3), each struck with a chord and a pick click. */
function bassAtTheBar(bars: number, barS: number): Float32Array {
  const harmony: Array<[number, number[]]> = [
    [45, [60, 64, 69]],
    [43, [59, 62, 67]],
    [48, [60, 64, 67]],
    [50, [62, 65, 69]],
  ];
  const x = new Float32Array(Math.round(SR * barS * bars));
  let seed = 1;
  const noise = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (let b = 0; b < bars; b++) {
    const [bass, chord] = harmony[b % 4]!;
    const note = tones([bass], barS * 0.95, 0.3, [0.6, 1, 0.8, 0.6, 0.5]);
    const pad = tones(chord, barS * 0.95, 0.06);
    const start = Math.round(b * barS * SR);
    const clickN = Math.round(0.008 * SR);
    for (let i = 0; i < note.length; i++) {
      const env = Math.min(1, i / 100) * Math.exp(-i / (1.5 * SR));
      const click = i < clickN ? 0.05 * noise() * (1 - i / clickN) : 0;
      x[start + i]! += env * (note[i]! + pad[i]!) + click;
    }
  }
  return x;
}

test('a new bass note struck with a chord at the bar (partials rising above 200 Hz) fires no kick; kicks over it do', () => {
  const music = bassAtTheBar(8, 2);
  const alone = analyseSignal([music], SR, cfg, 512);
  assert.deepEqual(eventTimes(alone, 'kick'), [], 'kicks on bass notes');
  // The drums a little louder than the bass line, as mixed: the kick on each bar lands on a new bass note.
  const pat = renderPattern({ bpm: 120, durationS: 16, peakDb: -1 });
  const mix = music.map((v, i) => 0.5 * v + (pat.samples[i] ?? 0));
  const withDrums = analyseSignal([mix], SR, cfg, 512);
  const kick = fMeasure(eventTimes(withDrums, 'kick'), pat.truth.kick, 0.05);
  assert.ok(kick.f >= 0.9, `kick F ${kick.f.toFixed(2)} (${kick.detected} detected, ${kick.truth} true)`);
});

test('ChordChroma alone: a G major chord voiced G2–B2–D3 (all under 200 Hz) reads G, B, D; partials of A do not read as C#', () => {
  const { p, feed, front } = frontEnd();
  const chords = new ChordChroma(cfg, p);
  const bass = new BassChroma(cfg, p);
  feed(tones([43, 47, 50], 1.5), () => {
    chords.step(front.input, bass.spectrum);
    bass.step(front.input, -1e9, chords.tuningCents);
  });
  assert.deepEqual(topK(chords.chroma, 3).sort((a, b) => a - b), [2, 7, 11], Array.from(chords.chroma, (v) => v.toFixed(2)).join(' '));
  // A lone A2 with strong partials: its 5th partial (C#5) is taken off.
  const notes = new Float64Array(72);
  const a2 = 45 - CHORD_FIRST_MIDI;
  notes[a2] = 1;
  notes[a2 + 12] = 0.6;
  notes[a2 + 19] = 0.5;
  notes[a2 + 24] = 0.4;
  notes[a2 + 28] = 0.35;
  suppressPartials(notes);
  // Its expected level follows the rolloff from the octave (0.6 → 0.6^log2(5) ≈ 0.3 of A2): over half of it goes.
  assert.ok(notes[a2 + 28]! < 0.35 / 2, `C#5 left ${notes[a2 + 28]}`);
  assert.equal(notes[a2 + 19], 0.5, 'the fifth stays');
  // F2 with a steep rolloff under an F major pad (C4 F4 A4): its 3rd and 4th partials fall on the pad's C4 and F4,
  // which read as loud as the pad. The pad's third, A4 (F2's 5th partial), must survive.
  const pad = new Float64Array(72);
  const f2 = 41 - CHORD_FIRST_MIDI;
  pad[f2] = 0.07;
  pad[f2 + 12] = 0.039; // F3
  pad[f2 + 19] = 0.036; // C4: F2's 3rd partial plus the pad's C4
  pad[f2 + 24] = 0.04; // F4: 4th partial plus the pad's F4
  pad[f2 + 28] = 0.021; // A4: the pad's A4 plus F2's weak 5th partial
  suppressPartials(pad);
  assert.ok(pad[f2 + 28]! > 0.021 / 3, `A4 left ${pad[f2 + 28]}`);
});

test('ChordEstimator: A minor 7th, C major and silence', () => {
  const est = new ChordEstimator(100);
  const chroma = (pcs: number[]): Float32Array => Float32Array.from({ length: 12 }, (_, i) => (pcs.includes(i) ? 1 : 0.05));
  const bassAt = (pc: number): Float32Array => Float32Array.from({ length: 12 }, (_, i) => (i === pc ? 1 : 0));
  let r = est.step(chroma([9, 0, 4, 7]), bassAt(9), false);
  for (let i = 0; i < 60; i++) r = est.step(chroma([9, 0, 4, 7]), bassAt(9), false);
  assert.deepEqual([r.root, r.quality], [9, 'min7']);
  assert.ok(r.confidence > 0.5, `confidence ${r.confidence}`);
  for (let i = 0; i < 100; i++) r = est.step(chroma([0, 4, 7]), bassAt(0), false);
  assert.deepEqual([r.root, r.quality], [0, 'maj']);
  r = est.step(chroma([0, 4, 7]), bassAt(0), true);
  assert.deepEqual([r.root, r.quality, r.confidence], [-1, 'none', 0]);
});

test('SectionEnergyDetector alone: a drop after a quiet breakdown fires once within a bar, at −30 dBFS as at −1', () => {
  for (const gain of [1, 0.0316]) {
    const { p, front, feed } = frontEnd();
    const det = new SectionEnergyDetector(p.hopRateHz);
    const fired: Array<[string, number]> = [];
    const onHop = (): void => {
      const e = det.step(front.input);
      if (e) fired.push([e, (front.input.hop + 1) / p.hopRateHz]);
    };
    const pad = tones([57, 60, 64], 12, 0.03 * gain);
    feed(pad, onHop);
    const drop = renderPattern({ bpm: 128, durationS: 8, harmony: true, peakDb: gain === 1 ? -1 : -31 });
    feed(drop.samples, onHop);
    const drops = fired.filter(([e]) => e === 'drop');
    assert.equal(drops.length, 1, JSON.stringify(fired));
    const barS = (4 * 60) / 128;
    assert.ok(drops[0]![1] >= 12 && drops[0]![1] <= 12 + barS, JSON.stringify(fired));
  }
});

test('no tempo without rhythmic evidence: a drumless pad and bass fire no beats and report tempo.known false', () => {
  // Chords re-struck every 1.5 s (40 BPM of harmonic onsets, no drums).
  const x = new Float32Array(12 * SR);
  const chords = [[45, 57, 60, 64], [41, 57, 60, 65], [43, 55, 59, 62]];
  for (let c = 0; c < 8; c++) {
    const t = tones(chords[c % 3]!, 1.5, 0.05);
    x.set(t.map((v, i) => v * Math.min(1, i / 400) * Math.exp(-i / SR)), Math.round(c * 1.5 * SR));
  }
  const feats = analyseSignal([x], SR);
  assert.equal(eventTimes(feats, 'beat').length, 0);
  assert.ok(feats.every((f) => f.tempo.known === false));
  const drums = analyseSignal([renderPattern({ bpm: 120, durationS: 8 }).samples], SR);
  assert.equal(drums[drums.length - 1]!.tempo.known, true);
  assert.ok(eventTimes(drums, 'beat').length > 0);
});

test('beats only with rhythmic evidence: none over a pad before the drums, from the drums on, through 16 bars of the pad after them, then none', () => {
  // 6 s of a held chord, 10 s of drums over it (the pattern starts 0.25 s in), 40 s of the chord alone.
  const padS = 6;
  const drumsS = 10;
  const afterS = 40;
  const x = new Float32Array((padS + drumsS + afterS) * SR);
  const chord = tones([45, 57, 60, 64], padS + drumsS + afterS, 0.03);
  x.set(chord);
  const pat = renderPattern({ bpm: 120, durationS: drumsS, peakDb: -3 });
  for (let i = 0; i < pat.samples.length; i++) x[padS * SR + i]! += pat.samples[i]!;
  const feats = analyseSignal([x], SR);
  const beats = eventTimes(feats, 'beat');
  const firstDrum = padS + pat.truth.kick[0]!;
  const lastDrum = padS + Math.max(...pat.truth.kick, ...pat.truth.snare);
  assert.deepEqual(beats.filter((t) => t < firstDrum), [], 'no beat before the first drum');
  assert.ok(feats.filter((f) => f.t < firstDrum).every((f) => f.tempo.known === false), 'tempo not known over the pad');
  // Once the tracker has the tempo, the beats follow the drums, and the flywheel carries them on the grid after.
  const truthBeats: number[] = [];
  for (let t = padS + pat.truth.beats[0]!; t < padS + drumsS + afterS; t += 0.5) truthBeats.push(t);
  const f = fMeasure(beats, truthBeats, 0.07, firstDrum + 4, lastDrum);
  assert.ok(f.f >= 0.9, `beat F ${f.f.toFixed(2)} from 4 s into the drums`);
  const carried = fMeasure(beats, truthBeats, 0.07, lastDrum, lastDrum + 30);
  assert.ok(carried.f >= 0.9, `beat F ${carried.f.toFixed(2)} over the pad after the drums`);
  // 16 bars (32 s) of flywheel after the rhythm memory (3 s) lapses.
  assert.deepEqual(beats.filter((t) => t > lastDrum + 3 + 32 + 0.5), [], 'no beat 16 bars after the drums stopped');
  assert.equal(feats[feats.length - 1]!.tempo.known, false);
});

/** A kick as the drum synth makes it: a sine swept 140 → 50 Hz, decaying over 0.16 s. */
function kickBody(seconds: number, amp: number): Float32Array {
  const x = new Float32Array(Math.round(seconds * SR));
  let ph = 0;
  for (let i = 0; i < x.length; i++) {
    const t = i / SR;
    ph += (2 * Math.PI * (50 + 90 * Math.exp(-t / 0.04))) / SR;
    x[i] = amp * Math.sin(ph) * Math.exp(-t / 0.16) * Math.min(1, t / 0.002);
  }
  return x;
}

test('BassChroma alone: a kick over a held note keeps the note; a new note struck with the kick shows within the kick window', () => {
  const { p, feed, front } = frontEnd();
  const bass = new BassChroma(cfg, p);
  const rich = [1, 0.6, 0.4, 0.3, 0.2];
  // A1 for 2 s with a kick at 1 s; at 2 s a kick and D2 in place of A1, for 1 s.
  const x = new Float32Array(3 * SR);
  x.set(tones([33], 2, 0.3, rich));
  x.set(tones([38], 1, 0.3, rich), 2 * SR);
  for (const at of [1, 2]) kickBody(0.35, 0.9).forEach((v, i) => (x[at * SR + i]! += v));
  const kickHops = [1, 2].map((s) => Math.round((s * SR) / p.hopSamples) + 2);
  const read: Array<[number, number]> = [];
  feed(x, () => {
    const hop = front.input.hop;
    const lastKick = Math.max(-1e9, ...kickHops.filter((k) => k <= hop));
    bass.step(front.input, lastKick, 0);
    read.push([(hop + 1) / p.hopRateHz, argmaxOf(bass.chroma)]);
  });
  const during = (from: number, to: number): number[] => read.filter(([t]) => t >= from && t < to).map(([, pc]) => pc);
  assert.ok(bass.holdHops / p.hopRateHz > 0.25, 'the kick window outlasts the checks below');
  assert.deepEqual([...new Set(during(1, 1.3))], [9], 'A held through the kick');
  // The new note shows within 0.18 s of the kick, while the kick is still in the window.
  assert.deepEqual([...new Set(during(2.18, 2.3))], [2], 'D after the kick');
});

function argmaxOf(v: Float32Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

test('BassChroma alone: without a bass line the lowest note of a chord is the bass, though softer than the notes above', () => {
  const { p, feed, front } = frontEnd();
  const bass = new BassChroma(cfg, p);
  // C major voiced C3 E3 G3, the C struck softer: E3 and G3, with partials of their own, outweighed it.
  const chord = tones([52, 55], 1, 0.1);
  tones([48], 1, 0.06).forEach((v, i) => (chord[i]! += v));
  feed(chord, () => bass.step(front.input, -1e9, 0));
  assert.equal(argmaxOf(bass.chroma), 0, Array.from(bass.chroma, (v) => v.toFixed(2)).join(' '));
});

test('ChordChroma alone: a chord tone played softer than the others still ranks among the three strongest pitch classes', () => {
  const piano = [0.5, 1, 0.7, 0.5, 0.3, 0.2];
  const bright = [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4];
  const cases: Array<[number[], number[], number[], number[]]> = [
    // E minor E3 G3 B3, the G soft; B minor in first inversion D4 F#4 B4, the B soft; C major G3 C4 E4, C and E soft.
    [[52, 55, 59], [0.88, 0.34, 1], piano, [4, 7, 11]],
    [[62, 66, 71], [0.92, 0.94, 0.38], bright, [2, 6, 11]],
    [[55, 60, 64], [0.96, 0.5, 0.42], bright, [0, 4, 7]],
    [[50, 54, 59], [0.79, 0.58, 0.36], piano, [2, 6, 11]],
  ];
  for (const [midis, amps, partials, want] of cases) {
    const { p, feed, front } = frontEnd();
    const chords = new ChordChroma(cfg, p);
    const bass = new BassChroma(cfg, p);
    const x = new Float32Array(Math.round(0.8 * SR));
    midis.forEach((m, j) => tones([m], 0.8, 0.03 * amps[j]!, partials).forEach((v, i) => (x[i]! += v)));
    feed(x, () => {
      chords.step(front.input, bass.spectrum);
      bass.step(front.input, -1e9, chords.tuningCents);
    });
    assert.deepEqual(topK(chords.chroma, 3).sort((a, b) => a - b), want, `${midis.join(' ')}: ${Array.from(chords.chroma, (v) => v.toFixed(2)).join(' ')}`);
  }
});

test('ChordChroma alone: the 9th partial of a bass line under the grid (F1) does not read as a ninth over F major', () => {
  const { p, feed, front } = frontEnd();
  const chords = new ChordChroma(cfg, p);
  const bass = new BassChroma(cfg, p);
  // A bright F1 bass (ten partials: its 9th is G4) under a soft F major triad, F3 A3 C4.
  const x = tones([29], 1, 0.12, [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.45, 0.45, 0.3]);
  tones([53, 57, 60], 1, 0.05, [1, 0.3]).forEach((v, i) => (x[i]! += v));
  feed(x, () => {
    chords.step(front.input, bass.spectrum, false, bass.noteHz);
    bass.step(front.input, -1e9, chords.tuningCents);
  });
  assert.equal(argmaxOf(bass.chroma), 5, 'the bass reads F');
  assert.deepEqual(topK(chords.chroma, 3).sort((a, b) => a - b), [0, 5, 9], Array.from(chords.chroma, (v) => v.toFixed(2)).join(' '));
});
