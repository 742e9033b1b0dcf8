/**
 * The chord chroma under a tonal snare (a drum machine's, two modes an octave apart at one pitch): the snare's pitch
 * is learnt from the detected snares and does not read as a chord tone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { HopFrontEnd, SampleRing, resolveParams } from '../../src/analysis/hopInput.js';
import { ChordChroma } from '../../src/analysis/chordChroma.js';
import { BassChroma } from '../../src/analysis/bassChroma.js';
import { Decimator } from '../../src/analysis/filters.js';
import { topK } from '../../src/analysis/evaluation.js';

const SR = 44100;
const cfg = analysisConfigSchema.parse({});
const hz = (midi: number): number => 440 * Math.pow(2, (midi - 69) / 12);

test('a tonal snare struck on every beat does not read as a chord tone once the snares have shown its pitch', () => {
  const p = resolveParams(cfg, SR);
  const ring = new SampleRing(2 * Math.max(p.onsetFftSize, p.chromaFftSize));
  const bassRing = new SampleRing(2 * p.bassFftSize);
  const dec = new Decimator(p.bassDecimation, Math.min(900, 0.3 * p.bassRateHz), SR);
  const front = new HopFrontEnd(cfg, p, ring, bassRing);
  const chords = new ChordChroma(cfg, p);
  const bass = new BassChroma(cfg, p);
  // E minor held (E3 G3 B3 with a few partials), and a snare every 0.5 s whose body is A#3 and A#4 dying in 90 ms,
  // as loud as the chord at its strike. The snares are reported two hops late, as the detector reports them.
  const durationS = 10;
  const snareS = Array.from({ length: durationS * 2 }, (_, i) => 0.25 + i * 0.5);
  const x = new Float32Array(durationS * SR);
  for (let i = 0; i < x.length; i++) {
    const t = i / SR;
    let v = 0;
    for (const m of [52, 55, 59]) for (let h = 1; h <= 4; h++) v += (0.03 / h) * Math.sin(2 * Math.PI * hz(m) * h * t);
    const u = (t - 0.25) % 0.5;
    if (t >= 0.25) v += 0.15 * (Math.sin(2 * Math.PI * hz(58) * u) + 0.5 * Math.sin(2 * Math.PI * hz(70) * u)) * Math.exp(-u / 0.09);
    x[i] = v;
  }
  const snareHops = snareS.map((s) => Math.round(s * p.hopRateHz) + 2);
  let fill = 0;
  let sumSq = 0;
  const wrong: string[] = [];
  let scored = 0;
  for (let i = 0; i < x.length; i++) {
    ring.push(x[i]!);
    if (dec.push(x[i]!)) bassRing.push(dec.value);
    sumSq += x[i]! * x[i]!;
    if (++fill < p.hopSamples) continue;
    front.next(sumSq, p.hopSamples);
    fill = 0;
    sumSq = 0;
    const hop = front.input.hop;
    const lastSnare = Math.max(-1e9, ...snareHops.filter((h) => h <= hop));
    if (chords.step(front.input, bass.spectrum, false, 0, lastSnare) && hop / p.hopRateHz >= 4) {
      scored++;
      const top = topK(chords.chroma, 3).sort((a, b) => a - b);
      if (top.join() !== '4,7,11') wrong.push(`${(hop / p.hopRateHz).toFixed(2)} s: ${top.join(' ')}`);
    }
    bass.step(front.input, -1e9, chords.tuningCents, lastSnare);
  }
  // Without the learnt pitch 58 of 200 frames read A# among the three (the snare rings through the low band's window).
  assert.ok(wrong.length <= 0.12 * scored, `${wrong.length}/${scored} frames without E G B: ${wrong.slice(0, 6).join(', ')}`);
});
