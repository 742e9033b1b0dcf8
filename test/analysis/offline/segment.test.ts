import { test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, toArray } from '../../../src/rx.js';
import { createAnalysis } from '../../../src/analysis/index.js';
import { analysisConfigSchema } from '../../../src/analysis/config.js';
import type { Features } from '../../../src/analysis/types.js';
import type { AudioBlock } from '../../../src/audio/types.js';
import { renderDemoTrack } from '../../../src/audio/demo.js';
import { symmetricEigen } from '../../../src/math/eigen.js';
import { kMeans, segmentTrack } from '../../../src/analysis/offline/segment.js';
import { boundaryScores, PROGRESSIONS, structuredTrack, type SectionPlan } from './structured.js';

async function analyse(samples: Float32Array, sampleRate: number): Promise<Features[]> {
  const blocks: AudioBlock[] = [];
  for (let t0 = 0; t0 < samples.length; t0 += 512) blocks.push({ sampleRate, t0, channels: [samples.subarray(t0, Math.min(samples.length, t0 + 512))] });
  return lastValueFrom(createAnalysis(analysisConfigSchema.parse({}))(from(blocks)).pipe(toArray()));
}

test('symmetric eigen: A·v = λ·v for every pair, ascending, orthonormal', () => {
  const n = 6;
  const a = new Float64Array(n * n);
  let s = 3;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rnd();
  const { values, vectors } = symmetricEigen(a, n);
  for (let k = 0; k < n; k++) {
    if (k > 0) assert.ok(values[k]! >= values[k - 1]!);
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j]! * vectors[j * n + k]!;
      assert.ok(Math.abs(av - values[k]! * vectors[i * n + k]!) < 1e-9);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += vectors[i * n + k]! ** 2;
    assert.ok(Math.abs(norm - 1) < 1e-9);
  }
});

test('k-means separates two clouds and labels in order of appearance', () => {
  const rows = [0, 0.1, 0.2, 5, 5.1, 5.2, 0.05].map((x) => Float64Array.of(x, -x));
  assert.deepEqual(kMeans(rows, 2), [0, 0, 0, 1, 1, 1, 0]);
});

const PLANS: Array<{ name: string; bpm: number; plan: SectionPlan[] }> = [
  {
    name: 'intro–verse–chorus–verse–chorus–outro',
    bpm: 124,
    plan: [
      { bars: 4, parts: ['pad'], chords: PROGRESSIONS.pop },
      { bars: 8, parts: ['drums', 'bass', 'pad'], chords: PROGRESSIONS.minor },
      { bars: 8, parts: ['drums', 'bass', 'pad', 'lead'], chords: PROGRESSIONS.bright },
      { bars: 8, parts: ['drums', 'bass', 'pad'], chords: PROGRESSIONS.minor },
      { bars: 8, parts: ['drums', 'bass', 'pad', 'lead'], chords: PROGRESSIONS.bright },
      { bars: 4, parts: ['pad'], chords: PROGRESSIONS.pop },
    ],
  },
  {
    name: 'build–drop–breakdown–drop',
    bpm: 128,
    plan: [
      { bars: 8, parts: ['drums'], chords: PROGRESSIONS.pop },
      { bars: 8, parts: ['drums', 'bass', 'lead'], chords: PROGRESSIONS.pop },
      { bars: 8, parts: ['pad'], chords: PROGRESSIONS.minor },
      { bars: 8, parts: ['drums', 'bass', 'lead'], chords: PROGRESSIONS.pop },
    ],
  },
  {
    name: 'A–B–A–C at 100 BPM',
    bpm: 100,
    plan: [
      { bars: 6, parts: ['drums', 'pad'], chords: PROGRESSIONS.pop },
      { bars: 6, parts: ['bass', 'lead'], chords: PROGRESSIONS.bright },
      { bars: 6, parts: ['drums', 'pad'], chords: PROGRESSIONS.pop },
      { bars: 6, parts: ['drums', 'bass', 'pad', 'lead'], chords: PROGRESSIONS.minor },
    ],
  },
];

test('laplacian segmentation finds the section boundaries of tracks with known structure within one bar', async () => {
  let truthTotal = 0;
  let hitTotal = 0;
  const lines: string[] = [];
  for (const p of PLANS) {
    const track = structuredTrack(p.bpm, p.plan);
    const features = await analyse(track.samples, track.sampleRate);
    const seg = segmentTrack(features, track.durationS);
    const s = boundaryScores(track.boundariesS, seg.boundariesS, track.barS);
    truthTotal += track.boundariesS.length;
    hitTotal += s.hits;
    lines.push(`${p.name}: ${s.hits}/${track.boundariesS.length} boundaries within a bar, precision ${s.precision.toFixed(2)}, k=${seg.k}, labels ${seg.sections.map((x) => x.label).join('')}`);
  }
  // The demo track: an 8-bar intro, then the main part (kick, snare, pulsing bass) from bar 8.
  const demo = renderDemoTrack({ sampleRate: 22050 });
  const mono = demo.channels[0]!.map((v, i) => (v + demo.channels[1]![i]!) / 2);
  const dseg = segmentTrack(await analyse(mono, 22050), demo.truth.durationS);
  const dTruth = demo.truth.sections.slice(1).map((x) => x.start);
  const ds = boundaryScores(dTruth, dseg.boundariesS, (4 * 60) / demo.truth.bpm);
  truthTotal += dTruth.length;
  hitTotal += ds.hits;
  lines.push(`demo: ${ds.hits}/${dTruth.length}, precision ${ds.precision.toFixed(2)}, found ${dseg.boundariesS.map((b) => b.toFixed(1)).join(', ')}`);
  const rate = hitTotal / truthTotal;
  console.log(`segmentation hit rate ${hitTotal}/${truthTotal} = ${(rate * 100).toFixed(0)} %\n${lines.join("\n")}`);
  assert.ok(rate >= 0.8, lines.join('\n'));
});
