/**
 * The silence decision of the shared front end: a hop is silent under the absolute floor (`silenceDb`, about a
 * line-in's noise floor) or `silenceUnderPeakDb` under the recent peak level, so a line-in set far under the nominal
 * level keeps its quiet passages, while a hop far under loud music just before stays silent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { HopFrontEnd, SampleRing, resolveParams } from '../../src/analysis/hopInput.js';
import { analyseSignal } from '../../src/analysis/evaluation.js';
import { addHarmonicTone } from '../../src/analysis/synth.js';

const SR = 44100;
const cfg = analysisConfigSchema.parse({});

/** A front end fed hop levels (dBFS RMS) directly; the ring stays empty (the decision reads the hop's RMS alone). */
function frontEnd(): (db: number) => boolean {
  const p = resolveParams(cfg, SR);
  const front = new HopFrontEnd(cfg, p, new SampleRing(2 * p.onsetFftSize), new SampleRing(2 * p.bassFftSize));
  return (db) => {
    const rms = Math.pow(10, db / 20);
    return front.next(rms * rms * p.hopSamples, p.hopSamples).silent;
  };
}

test('after silence, a hop at −80 dBFS is heard and one at −95 is silence (the absolute floor is −90 dBFS)', () => {
  assert.equal(cfg.silenceDb, -90);
  const hop = frontEnd();
  assert.equal(hop(-95), true);
  assert.equal(hop(-80), false);
  assert.equal(hop(-95), true);
  assert.equal(hop(-60), false);
});

test('a hop 69 dB under loud music is silent until the recent peak has fallen within 60 dB of it', () => {
  const hop = frontEnd();
  for (let i = 0; i < 100; i++) assert.equal(hop(-6), false);
  // The peak decays with a time constant of silenceMemoryS (30 s): 9 dB, from −6 to −15 dBFS, takes ≈ 31 s.
  assert.equal(cfg.silenceMemoryS, 30);
  const silentFor: boolean[] = [];
  for (let i = 0; i < 3500; i++) silentFor.push(hop(-75));
  assert.equal(silentFor[0], true, 'right after the music');
  assert.equal(silentFor[2900], true, 'after 29 s');
  const heardFrom = silentFor.indexOf(false);
  assert.ok(heardFrom >= 3050 && heardFrom <= 3170, `heard from hop ${heardFrom}`);
  assert.equal(silentFor.slice(heardFrom).every((s) => !s), true, 'heard from then on');
});

/**
 * A piano-like A minor chord struck every 3 s, falling 30 dB over each, at a peak of −1 dBFS and 40 dB lower (a
 * line-in set low): the chroma holds the chord to the end of each decay at both levels. A gate fixed at −70 dBFS
 * darkened the last part of each decay at the lower level.
 */
test('a decaying chord 40 dB under the nominal level keeps its chroma to the end of the decay', () => {
  const strikeS = 3;
  const x = new Float32Array(4 * strikeS * SR);
  // Falling 30 dB: at the lower level a decay ends near −82 dBFS RMS, over the −90 floor.
  const decayPerS = Math.log(Math.pow(10, 30 / 20)) / strikeS;
  for (let s = 0; s < 4; s++) {
    const at = s * strikeS * SR;
    for (const m of [57, 60, 64]) {
      addHarmonicTone(x, at, strikeS * SR, 440 * Math.pow(2, (m - 69) / 12), SR, [0.2, 0.1, 0.05, 0.03], (i) => Math.exp((-decayPerS * i) / SR));
    }
  }
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  const lit = (peakDb: number): { lit: number; right: number; frames: number } => {
    const g = Math.pow(10, peakDb / 20) / peak;
    const feats = analyseSignal([x.map((v) => v * g)], SR);
    let litFrames = 0;
    let right = 0;
    let frames = 0;
    for (const f of feats) {
      if (f.t < 0.5) continue;
      frames++;
      const c = Array.from(f.chroma);
      if (Math.max(...c) === 0) continue;
      litFrames++;
      const top = c.map((v, pc) => [v, pc] as const).sort((a, b) => b[0] - a[0]).slice(0, 3).map(([, pc]) => pc).sort((a, b) => a - b);
      if (top.join() === '0,4,9') right++;
    }
    return { lit: litFrames, right, frames };
  };
  const loud = lit(-1);
  const quiet = lit(-41);
  assert.equal(loud.lit, loud.frames, 'at −1 dBFS every frame has a chroma');
  assert.equal(quiet.lit, quiet.frames, `at −41 dBFS ${quiet.frames - quiet.lit} of ${quiet.frames} frames dark`);
  assert.ok(quiet.right >= 0.95 * quiet.frames, `A minor in ${quiet.right} of ${quiet.frames} frames at −41 dBFS`);
  assert.ok(Math.abs(quiet.right - loud.right) <= 0.02 * loud.frames, `right frames ${quiet.right} at −41 dBFS against ${loud.right} at −1`);
});
