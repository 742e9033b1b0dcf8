/**
 * The silence decision of the shared front end: a hop is silent under the absolute floor (from `silenceDb`, following
 * the line-in's own noise: silenceGate.ts) or `silenceUnderPeakDb` under the recent peak level, so a line-in set far
 * under the nominal level keeps its quiet passages, while hiss and a hop far under loud music just before stay silent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { HopFrontEnd, SampleRing, resolveParams } from '../../src/analysis/hopInput.js';
import { analyseSignal } from '../../src/analysis/evaluation.js';
import { addHarmonicTone, whiteNoise } from '../../src/analysis/synth.js';

const SR = 44100;
const cfg = analysisConfigSchema.parse({});

/** A front end fed hop levels (dBFS RMS) directly; the ring stays empty (the decision reads the hop levels alone). */
function frontEnd(): (db: number) => boolean {
  const p = resolveParams(cfg, SR);
  const front = new HopFrontEnd(cfg, p, new SampleRing(2 * p.onsetFftSize), new SampleRing(2 * p.bassFftSize));
  return (db) => {
    const rms = Math.pow(10, db / 20);
    return front.next(rms * rms * p.hopSamples, p.hopSamples).silent;
  };
}

test('hiss wavering across the absolute floor stays silence; a sound 4 dB over it is heard at once', () => {
  const hop = frontEnd();
  const floor = cfg.silenceDb;
  // Hops 1.5 dB over and 1.5 dB under a level 0.8 dB under the floor (as a hop RMS of hiss wavers): the mean stays
  // under the floor, so none is heard, though every other hop's RMS is over it.
  for (let i = 0; i < 300; i++) assert.equal(hop(floor - 0.8 + (i % 2 ? 1.5 : -1.5)), true, `hiss hop ${i}`);
  const heard: boolean[] = [];
  for (let i = 0; i < 100; i++) heard.push(!hop(floor + 4));
  assert.equal(heard.every((h) => h), true, `heard from hop ${heard.indexOf(true)}`);
  assert.equal(hop(-200), true, 'digital silence right after it');
  // After digital silence too (1.5 s: the floor has not yet come down to −90 dBFS): the first hop of a quiet note is
  // heard, the mean not yet over the floor.
  for (let i = 0; i < 150; i++) hop(-200);
  assert.equal(hop(floor + 4), false);
});

test('a hop 69 dB under loud music is silent until the recent peak has decayed to silenceUnderPeakDb over it', () => {
  const hop = frontEnd();
  const p = resolveParams(cfg, SR);
  for (let i = 0; i < 500; i++) assert.equal(hop(-6), false);
  const quietDb = -75;
  assert.ok(quietDb > cfg.silenceDb, 'the quiet hops lie over the absolute floor');
  // The peak of the mean power (−6 dBFS) decays with the time constant silenceMemoryS.
  const fallDb = -6 - cfg.silenceUnderPeakDb - quietDb;
  const expectedHop = Math.log(Math.pow(10, fallDb / 20)) * cfg.silenceMemoryS * p.hopRateHz;
  assert.ok(expectedHop > 1000, `${expectedHop} hops`);
  const silentFor: boolean[] = [];
  for (let i = 0; i < expectedHop + 500; i++) silentFor.push(hop(quietDb));
  assert.equal(silentFor[0], true, 'right after the music');
  const heardFrom = silentFor.indexOf(false);
  const expected = `expected about ${expectedHop.toFixed(0)}`;
  assert.ok(Math.abs(heardFrom - expectedHop) <= 30, `heard from hop ${heardFrom}, ${expected}`);
  assert.equal(silentFor.slice(heardFrom).every((s) => !s), true, 'heard from then on');
});

test('a click does not raise the gate: quiet music right after 1 ms at full scale is heard', () => {
  const p = resolveParams(cfg, SR);
  const front = new HopFrontEnd(cfg, p, new SampleRing(2 * p.onsetFftSize), new SampleRing(2 * p.bassFftSize));
  const at = (db: number): boolean => {
    const rms = Math.pow(10, db / 20);
    return front.next(rms * rms * p.hopSamples, p.hopSamples).silent;
  };
  for (let i = 0; i < 100; i++) at(-50);
  // 1 ms at full scale in one hop: its sum of squares is that of 44 samples at 1.
  front.next(Math.round(0.001 * SR), p.hopSamples);
  // −72 dBFS: over the absolute floor, 22 dB under the music, but 62 dB under the click's hop RMS (−10 dBFS), which a
  // gate following the hop RMS would keep over it for about half a minute.
  const quietDb = -72;
  assert.ok(quietDb > cfg.silenceDb && quietDb < -10 - cfg.silenceUnderPeakDb);
  let dark = 0;
  for (let i = 0; i < 3000; i++) if (at(quietDb)) dark++;
  assert.equal(dark, 0, `${dark} of 3000 hops dark`);
});

test('the level normalisers keep their own floor: a tone heard at −75 dBFS reads an rms of about 0.56, not 1', () => {
  assert.ok(cfg.levelFloorDb > -75 && cfg.silenceDb < -75);
  const x = new Float32Array(3 * SR);
  const amp = Math.pow(10, -75 / 20) * Math.SQRT2;
  for (let i = 0; i < x.length; i++) x[i] = amp * Math.sin((2 * Math.PI * 220 * i) / SR);
  const feats = analyseSignal([x], SR).filter((f) => f.t > 1);
  assert.ok(feats.every((f) => Math.max(...f.chroma) > 0), 'heard: the chroma holds the tone');
  const rms = feats.map((f) => f.rms).sort((a, b) => a - b)[feats.length >> 1]!;
  const expected = Math.pow(10, (-75 - cfg.levelFloorDb) / 20);
  assert.ok(Math.abs(rms - expected) < 0.05, `median rms ${rms.toFixed(3)}, expected ${expected.toFixed(3)}`);
});

/**
 * A piano-like A minor chord struck every 3 s, falling 24 dB over each, at a peak of −1 dBFS and 43 dB lower (a
 * line-in set low): the chroma holds the chord to the end of each decay at both levels. A gate fixed at −70 dBFS
 * darkened the last part of each decay at the lower level (336 of 1151 frames).
 */
test('a decaying chord 43 dB under the nominal level keeps its chroma to the end of the decay', () => {
  const strikeS = 3;
  const x = new Float32Array(4 * strikeS * SR);
  // Falling 24 dB: at the lower level a decay ends over the absolute floor.
  const decayPerS = Math.log(Math.pow(10, 24 / 20)) / strikeS;
  for (let s = 0; s < 4; s++) {
    const at = s * strikeS * SR;
    for (const m of [57, 60, 64]) {
      const hz = 440 * Math.pow(2, (m - 69) / 12);
      addHarmonicTone(x, at, strikeS * SR, hz, SR, [0.2, 0.1, 0.05, 0.03], (i) => Math.exp((-decayPerS * i) / SR));
    }
  }
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  /** Frames lit and right at `peakDb`, after `leadS` seconds of digital silence. */
  const lit = (peakDb: number, leadS = 0): { lit: number; right: number; frames: number } => {
    const g = Math.pow(10, peakDb / 20) / peak;
    const y = new Float32Array(leadS * SR + x.length);
    for (let i = 0; i < x.length; i++) y[leadS * SR + i] = x[i]! * g;
    const feats = analyseSignal([y], SR);
    let litFrames = 0;
    let right = 0;
    let frames = 0;
    for (const f of feats) {
      if (f.t < leadS + 0.5) continue;
      frames++;
      const c = Array.from(f.chroma);
      if (Math.max(...c) === 0) continue;
      litFrames++;
      const byLevel = c.map((v, pc) => [v, pc] as const).sort((a, b) => b[0] - a[0]);
      const top = byLevel.slice(0, 3).map(([, pc]) => pc).sort((a, b) => a - b);
      if (top.join() === '0,4,9') right++;
    }
    return { lit: litFrames, right, frames };
  };
  const loud = lit(-1);
  const quiet = lit(-44);
  assert.equal(loud.lit, loud.frames, 'at −1 dBFS every frame has a chroma');
  assert.equal(quiet.lit, quiet.frames, `at −44 dBFS ${quiet.frames - quiet.lit} of ${quiet.frames} frames dark`);
  assert.ok(quiet.right >= 0.95 * quiet.frames, `A minor in ${quiet.right} of ${quiet.frames} frames at −44 dBFS`);
  const both = `right frames ${quiet.right} at −44 dBFS against ${loud.right} at −1`;
  assert.ok(Math.abs(quiet.right - loud.right) <= 0.02 * loud.frames, both);
  // 8 dB lower the decays end under silenceDb (−80 dBFS); after six seconds of digital silence, which the gate
  // measures as a quiet line-in, the floor is −90 dBFS and they are heard to the end.
  const lower = lit(-52);
  assert.ok(lower.lit < 0.95 * lower.frames, `at −52 dBFS without a lead-in ${lower.frames - lower.lit} frames dark`);
  const measured = lit(-52, 6);
  assert.equal(measured.lit, measured.frames, `after a silent lead-in ${measured.frames - measured.lit} frames dark`);
});

test('hiss at −72 dBFS under everything: heard alone for five seconds, then silent in a gap after a chord', () => {
  const leadS = 7;
  const chordS = 4;
  const gapS = 15;
  const n = (leadS + chordS + gapS) * SR;
  // Uniform white noise of RMS −72 dBFS throughout, a chord at about −30 dBFS after the lead-in.
  const noise = whiteNoise(n, Math.pow(10, -72 / 20) * Math.sqrt(3), 11);
  const x = new Float32Array(n);
  x.set(noise);
  for (const m of [57, 60, 64]) {
    const hz = 440 * Math.pow(2, (m - 69) / 12);
    addHarmonicTone(x, leadS * SR, chordS * SR, hz, SR, [0.02, 0.01, 0.005], () => 1);
  }
  const feats = analyseSignal([x], SR);
  const lit = (t0: number, t1: number): number => {
    const span = feats.filter((f) => f.t >= t0 && f.t < t1);
    return span.filter((f) => Math.max(...f.chroma) > 0).length / span.length;
  };
  assert.equal(lit(leadS + 0.5, leadS + chordS), 1, 'the chord is heard');
  // From two seconds after the chord (the section tracker marks its end 1.4 s after it).
  const gapFrom = leadS + chordS + 2;
  assert.equal(lit(gapFrom, leadS + chordS + gapS), 0, `gap lit ${lit(gapFrom, leadS + chordS + gapS)}`);
  const late = feats.filter((f) => f.t >= gapFrom && f.events.length).map((f) => `${f.t.toFixed(2)} ${f.events.join(',')}`);
  assert.deepEqual(late, [], 'no event in the gap');
});
