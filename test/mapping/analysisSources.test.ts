import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeldFeatures } from '../../src/contracts/stages.js';
import { controls, fakeManifest, fakeProvider, features, mapperFor as mapperForFile } from './helpers.js';

/** The analysis' chord, section energy and tempo state as mapping sources, read back through plain targets. */

const manifest = fakeManifest(1024);
const provider = fakeProvider(manifest);

const mapperFor = (text: string) => mapperForFile(text, manifest, provider);

/** A mapping that routes `source` straight (no smoothing) into truncation, a scalar target that passes any number. */
const scalarRoute = (source: string): string => `
routes:
  - source: ${source}
    target: truncation
    smoothMs: 0
`;

async function readScalar(source: string, held: Array<HeldFeatures | null>): Promise<number[]> {
  const { mapper, done } = await mapperFor(scalarRoute(source));
  const out = held.map((h, k) => mapper.frame({ frame: k, t: k / 30, dt: 1 / 30, features: h, controls: controls() }).truncation);
  await done();
  return out;
}

test('chord sources: root and quality as numbers, minor flag, confidence; −1 without a chord', async () => {
  const am7 = features({ t: 0, chord: { root: 9, quality: 'min7', confidence: 0.8 } });
  const g7 = features({ t: 0, chord: { root: 7, quality: '7', confidence: 0.6 } });
  const none = features({ t: 0, chord: { root: -1, quality: 'none', confidence: 0 } });
  const missing = features({ t: 0 });
  assert.deepEqual(await readScalar('chord.root', [am7, g7, none, missing]), [9, 7, -1, -1]);
  assert.deepEqual(await readScalar('chord.quality', [am7, g7, none, missing]), [4, 2, -1, -1]);
  assert.deepEqual(await readScalar('chord.minor', [am7, g7, none]), [1, 0, 0]);
  assert.deepEqual(await readScalar('chord.confidence', [am7, g7, none, missing]), [0.8, 0.6, 0, 0]);
});

test('chord.tones is the pitch-class set of the estimated chord (12 values) and weights a 12-latent bank', async () => {
  const { mapper, done } = await mapperFor(`
banks:
  chords: { seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }
latents:
  chords: { bank: chords, mode: weights }
routes:
  - source: chord.tones
    target: latents.chords.weights
    smoothMs: 0
`);
  const weightsFor = (chord: HeldFeatures['latest']['chord'], k: number): number[] => {
    mapper.frame({ frame: k, t: k / 30, dt: 1 / 30, features: features({ t: k / 30, chord }), controls: controls() });
    return mapper.resolved().latentWeights.chords!;
  };
  const on = (w: number[]): number[] => w.flatMap((v, i) => (v > 1e-9 ? [i] : []));
  assert.deepEqual(on(weightsFor({ root: 2, quality: 'maj7', confidence: 1 }, 0)), [1, 2, 6, 9], 'D major 7th: D F# A C#');
  assert.deepEqual(on(weightsFor({ root: 9, quality: 'min', confidence: 1 }, 1)), [0, 4, 9], 'A minor: A C E');
  await done();
});

test('energy sources and events: the drop state switches, contrast passes through, drop and breakdown events fire', async () => {
  const steady = features({ t: 0, energy: 'steady' });
  const drop = features({ t: 0, energy: 'drop', events: ['drop'] });
  const inDrop = features({ t: 0, energy: 'drop' });
  const breakdown = features({ t: 0, energy: 'breakdown', events: ['breakdown'] });
  const seq = [steady, drop, inDrop, breakdown];
  assert.deepEqual(await readScalar('energy.drop', seq), [0, 1, 1, 0]);
  assert.deepEqual(await readScalar('energy.state', seq), [0, 1, 1, -1]);
  assert.deepEqual(await readScalar('energy.contrast', seq), [0, 0.5, 0.5, -0.5]);
  assert.deepEqual(await readScalar('event.drop', seq), [0, 1, 0, 0]);
  assert.deepEqual(await readScalar('event.breakdown', seq), [0, 0, 0, 1]);
  assert.deepEqual(await readScalar('energy.drop', [features({ t: 0 })]), [0], 'no energy in the record: no drop');
});

test('tempoKnown and beatsPerBar: 0 while the analysis has no rhythmic evidence; sources that do not say count as known, 4/4', async () => {
  assert.deepEqual(await readScalar('tempoKnown', [features({ t: 0, known: false }), features({ t: 0, known: true }), features({ t: 0 })]), [0, 1, 1]);
  assert.deepEqual(await readScalar('beatsPerBar', [features({ t: 0, beatsPerBar: 3 }), features({ t: 0 })]), [3, 4]);
});

test('in 3/4 a bar is three beats: bar-locked loops follow the 3-beat bar phase and free-run at three beats a bar', async () => {
  const { mapper, done } = await mapperFor(`
banks:
  loop: { seeds: [1, 2, 3, 4] }
latents:
  l: { bank: loop, mode: loop, bars: 4 }
routes:
  - source: bars
    target: truncation
    smoothMs: 0
`);
  const bpm = 138;
  const fps = 30;
  let bars = 0;
  for (let k = 0; k < 300; k++) {
    const t = k / fps;
    const beats = (t * bpm) / 60 + 0.2;
    const barPos = beats / 3;
    const barPhase = barPos - Math.floor(barPos);
    const p = mapper.frame({ frame: k, t, dt: 1 / fps, features: features({ t, bpm, barPhase, beatPhase: beats % 1, confidence: 0.9, beatsPerBar: 3 }), controls: controls() });
    bars = p.truncation;
    const pos = mapper.resolved().loop.l!;
    const d = Math.abs(((pos * 4) % 1) - barPhase);
    assert.ok(Math.min(d, 1 - d) < 1e-6, `frame ${k}: loop ${(pos * 4) % 1} vs bar phase ${barPhase}`);
  }
  // Ten seconds at 138 BPM in 3/4 from 0.2 beats in: 23 beats, 7.7 bars (4/4 would make it 5.8).
  assert.ok(Math.abs(bars - ((299 / fps) * bpm / 60 + 0.2) / 3) < 1e-6, `bars ${bars}`);
  const before = mapper.resolved().loop.l!;
  mapper.frame({ frame: 300, t: 10, dt: 1 / fps, features: features({ t: 10, confidence: 0 }), controls: controls() });
  const after = mapper.resolved().loop.l!;
  assert.ok(Math.abs(after - before - bpm / 180 / fps / 4) < 1e-9, 'free-runs at three beats a bar');
  await done();
});
