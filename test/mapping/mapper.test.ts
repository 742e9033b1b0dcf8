import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMapper, type Mapper } from '../../src/mapping/index.js';
import type { FrameParams } from '../../src/contracts/frameParams.js';
import type { HeldFeatures } from '../../src/contracts/stages.js';
import type { ControlState } from '../../src/contracts/control.js';
import { controls, fakeManifest, fakeProvider, features, mapperFor as mapperForFile } from './helpers.js';

const manifest = fakeManifest(1024);
const provider = fakeProvider(manifest);

const mapperFor = (text: string) => mapperForFile(text, manifest, provider);

function run(mapper: Mapper, frame: number, fps: number, held: HeldFeatures | null, c: ControlState = controls()): FrameParams {
  return mapper.frame({ frame, t: frame / fps, dt: 1 / fps, features: held, controls: c });
}

const C_MAJOR = [1, 0, 0.1, 0, 0.9, 0.1, 0, 0.95, 0, 0.1, 0, 0];

test('default preset on an 18-layer model: shapes, finite values, bass/chords split, chroma weights', async () => {
  const m = await createMapper({ file: 'default', manifest, latents: provider, watch: false });
  assert.equal(manifest.numWs, 18);
  let p!: FrameParams;
  // A drop (the live section state, with a snare every half second) brings the main section in; loudness alone
  // (slow RMS near the set's loudest) does not.
  const opts = (k: number, energy: 'steady' | 'drop'): Parameters<typeof features>[0] => {
    const snare = k % 15 === 0;
    return { t: k / 30, chroma: C_MAJOR, bassChroma: [1, 0, 0, 0, 0, 0, 0, 0.2, 0, 0, 0, 0], snare: snare ? 1 : 0, events: snare ? ['snare'] : [], rms: 0.8, rmsSlow: 0.95, energy };
  };
  for (let k = 0; k < 60; k++) p = run(m, k, 30, features(opts(k, 'steady')));
  assert.equal(m.resolved().scene, 'intro');
  for (let k = 60; k < 120; k++) p = run(m, k, 30, features(opts(k, 'drop')));
  assert.equal(p.ws.length, 18 * 512);
  assert.equal(p.noiseStrength.length, manifest.numNoise);
  assert.equal(p.noiseMix.length, manifest.numNoise * 4);
  assert.equal(p.bend.length, manifest.numBend * 6);
  assert.equal(p.rewrite.length, manifest.numRewrite);
  assert.ok(p.ws.every(Number.isFinite));
  const r = m.resolved();
  const chords = r.latentWeights.chords!;
  const top = chords.indexOf(Math.max(...chords));
  assert.ok([0, 4, 7].includes(top), `strongest chord latent ${top} is in C major`);
  assert.ok(Math.abs(chords.reduce((a, b) => a + b, 0) - 1) < 1e-9, 'weights normalised');
  assert.equal(r.latentWeights.bass!.indexOf(Math.max(...r.latentWeights.bass!)), 0, 'bass C');
  // Low rows (bass) differ from high rows (chords); rows inside one band are equal.
  const row = (i: number): Float32Array => p.ws.subarray(i * 512, (i + 1) * 512);
  assert.deepEqual(row(0), row(3));
  assert.deepEqual(row(4), row(17));
  assert.notDeepEqual(row(0), row(4));
  assert.equal(r.scene, 'main');
  // Noise mix rows keep unit norm-ish (cos/sin mixing) and masks default to region 0 everywhere.
  const M2 = 16 * 16;
  assert.ok(p.noiseMask.subarray(0, M2).every((v) => v === 1));
  assert.ok(p.noiseMask.subarray(M2).every((v) => v === 0));
  await m.close();
});

test('a kick event lifts the noise strength on that very frame; snare pulls', async () => {
  const m = await createMapper({ file: 'default', manifest, latents: provider, watch: false });
  const sum = (p: FrameParams): number => p.noiseStrength.reduce((a, b) => a + b, 0);
  let before = 0;
  for (let k = 0; k < 20; k++) before = sum(run(m, k, 60, features({ t: k / 60 })));
  const onKick = sum(run(m, 20, 60, features({ t: 20 / 60, kick: 1, events: ['kick'] })));
  assert.ok(onKick > before + 1, `noise rises on the kick frame (${before} → ${onKick})`);
  const later = sum(run(m, 60, 60, features({ t: 1 })));
  assert.ok(later < onKick, 'and decays');
  run(m, 61, 60, features({ t: 61 / 60, snare: 1, events: ['snare'] }));
  let pull = 0;
  for (let k = 62; k < 66; k++) {
    run(m, k, 60, features({ t: k / 60 }));
    pull = Math.max(pull, m.targets()['pulls.snare']!);
  }
  assert.ok(pull > 0.3, `snare pull ${pull}`);
  await m.close();
});

test('loop position is locked to the bar phase of a confident tempo, and free-runs without one', async () => {
  const { mapper, done } = await mapperFor(`
banks:
  loop: { seeds: [1, 2, 3, 4] }
latents:
  l: { bank: loop, mode: loop, bars: 4 }
`);
  const bpm = 128;
  const fps = 30;
  for (let k = 0; k < 400; k++) {
    const t = k / fps;
    const bars = (t * bpm) / 240 + 0.3;
    const barPhase = bars - Math.floor(bars);
    const beatPhase = (bars * 4) % 1;
    run(mapper, k, fps, features({ t, bpm, barPhase, beatPhase, confidence: 0.9 }));
    const pos = mapper.resolved().loop.l!;
    const fromLoop = (pos * 4) % 1;
    const d = Math.abs(fromLoop - barPhase);
    assert.ok(Math.min(d, 1 - d) < 1e-6, `frame ${k}: loop ${fromLoop} vs bar phase ${barPhase}`);
  }
  // Without tempo, it keeps moving at the last tempo.
  const a = mapper.resolved().loop.l!;
  run(mapper, 400, fps, features({ t: 400 / fps, confidence: 0 }));
  const b = mapper.resolved().loop.l!;
  assert.ok(Math.abs(b - a - bpm / 240 / fps / 4) < 1e-9, 'free-runs at the last tempo');
  await done();
});

test('controls: MIDI CC through range into truncation, untouched controls leave targets alone, overrides win', async () => {
  const { mapper, done } = await mapperFor(`
routes:
  - source: midi:cc:1:7
    modifiers: [{ range: [0.2, 1.2] }]
    target: truncation
    smoothMs: 0
  - source: osc:/fader/*
    target: post.trails
    smoothMs: 0
`);
  assert.equal(run(mapper, 0, 30, null).truncation, 1, 'no CC yet: default ψ');
  assert.ok(Math.abs(run(mapper, 1, 30, null, controls({ 'midi:cc:1:7': 0.5 })).truncation - 0.7) < 1e-9);
  const c = controls({ 'osc:/fader/1': 0.1, 'osc:/fader/2': 0.2 });
  run(mapper, 2, 30, null, c);
  c.values.set('osc:/fader/2', 0.9);
  assert.ok(Math.abs(run(mapper, 3, 30, null, c).post.trails - 0.9) < 1e-9, 'wildcard follows the fader that moved');
  c.values.set('osc:/fader/1', 0.3);
  assert.ok(Math.abs(run(mapper, 4, 30, null, c).post.trails - 0.3) < 1e-9);
  const o = controls({ 'midi:cc:1:7': 0.5 }, { truncation: 0.33 });
  assert.equal(run(mapper, 5, 30, null, o).truncation, 0.33, 'explicit override by target name');
  assert.equal(mapper.targets().truncation, 0.33);
  const e = run(mapper, 6, 30, null, controls({}, { 'noise.strength.2': 3, 'bend.zoom': 2 }));
  assert.equal(e.noiseStrength[2], 3, 'one element of a per-layer target, named as targets() names it');
  assert.equal(e.noiseStrength[1], 1);
  assert.equal(e.bend[0], 0.5, 'a whole per-layer target by its name');
  await done();
});

test('sections: a cue switches the scene on the next bar; bends make the GridSample matrices', async () => {
  const { mapper, done } = await mapperFor(`
banks:
  a: { seeds: [1] }
  b: { seeds: [2] }
latents:
  a: { bank: a }
  b: { bank: b }
sections:
  sets: { calm: [a], wild: [b] }
  crossfade: 0
  cueQuantise: bar
  cueFadeMs: 0
routes:
  - source: 2
    target: bend.zoom
    layers: 0-5
    smoothMs: 0
  - source: 0.5
    target: bend.scrollX
    layers: 0-5
    smoothMs: 0
`);
  const fps = 30;
  const c = controls();
  let p = run(mapper, 0, fps, null, c);
  assert.equal(p.scene, 'calm');
  c.scene = 'wild';
  // 120 bpm free-running: one bar = 2 s = 60 frames; the cue waits for frame 60.
  let switchedAt = -1;
  for (let k = 1; k < 90; k++) {
    p = run(mapper, k, fps, null, c);
    if (switchedAt < 0 && p.scene === 'wild') switchedAt = k;
  }
  assert.ok(switchedAt >= 59 && switchedAt <= 61, `switched at frame ${switchedAt}`);
  // Zoom 2 on the bendable layers in W rows 0–5 (b8.conv1 → w2, b16.conv1 → w4), identity elsewhere.
  assert.ok(Math.abs(p.bend[0]! - 0.5) < 1e-6 && Math.abs(p.bend[4]! - 0.5) < 1e-6);
  assert.ok(Math.abs(p.bend[6]! - 0.5) < 1e-6);
  assert.equal(p.bend[12], 1);
  const tx = mapper.resolved().bend[0]!.tx;
  assert.ok(tx >= -1 && tx < 1, 'scroll wraps');
  await done();
});

test('the mapper allocates no FrameParams per frame (ring of three)', async () => {
  const m = await createMapper({ file: 'default', manifest, latents: provider, watch: false });
  const seen = new Set<FrameParams>();
  for (let k = 0; k < 30; k++) seen.add(run(m, k, 30, features({ t: k / 30 })));
  assert.equal(seen.size, 3);
  await m.close();
});

test('capture: a rising control stores the current latent in the next slot of a capture bank', async () => {
  const { mapper, done } = await mapperFor(`
banks:
  a: { seeds: [11] }
  kept: { capture: 2 }
latents:
  a: { bank: a }
  kept: { bank: kept, mode: index }
routes:
  - source: 0
    target: latents.kept.mix
  - source: midi:note:1:40
    target: banks.kept.capture
  - source: midi:cc:1:1
    target: latents.kept.mix
    smoothMs: 0
`);
  const c = controls();
  const before = Float32Array.from(run(mapper, 0, 30, null, c).ws.subarray(0, 512));
  c.values.set('midi:note:1:40', 1);
  run(mapper, 1, 30, null, c);
  // Now show only the captured slot 0: it must be the latent we saw.
  c.values.set('midi:cc:1:1', 1);
  const p = run(mapper, 2, 30, null, c);
  // Rows mix a (mix 1) and kept (mix 1) equally: kept = a, so the picture does not change.
  for (let i = 0; i < 512; i++) assert.ok(Math.abs(p.ws[i]! - before[i]!) < 1e-5);
  await done();
});
