import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { createAnalysis } from '../../src/analysis/index.js';
import { createMapper } from '../../src/mapping/index.js';
import { traceRecord, type TraceRecord } from '../../src/mapping/trace.js';
import { VirtualRun } from '../../src/pipeline/offline.js';
import { fakeManifest, fakeProvider } from './helpers.js';

/**
 * The `default` preset on the demo track, scored against the track's ground truth: the real analysis, the
 * real mapper, a virtual 30 fps clock (the latent values themselves do not matter here, so an 18-layer
 * manifest with stand-in W vectors keeps it fast).
 */
const FPS = 30;
const demo = renderDemoTrack();
const truth = demo.truth;
const records: Promise<TraceRecord[]> = (async () => {
  const n = demo.channels[0]!.length;
  const mono = new Float32Array(n);
  for (const c of demo.channels) for (let i = 0; i < n; i++) mono[i] = mono[i]! + c[i]! / demo.channels.length;
  const manifest = fakeManifest(1024);
  const mapper = await createMapper({ file: 'default', manifest, latents: fakeProvider(manifest), watch: false });
  const out: TraceRecord[] = [];
  const audio = { info: { description: 'demo', kind: 'demo' as const, sampleRate: demo.sampleRate, channels: 1 }, sampleRate: demo.sampleRate, channels: [mono], durationS: n / demo.sampleRate, file: null };
  for (const f of new VirtualRun({ fps: FPS, audio, blockSize: 512, analysis: createAnalysis({}), mapper }).frames()) out.push(traceRecord(f, mapper));
  await mapper.close();
  return out;
})();

test('chords bank: the strongest latent is a pitch class of the true triad in ≥ 80 % of frames', async () => {
  const recs = await records;
  let inTriad = 0;
  let n = 0;
  for (const r of recs) {
    const bar = truth.bars.find((b) => r.t >= b.start && r.t < b.end);
    if (!bar) continue;
    const w = r.latentWeights.chords!;
    n += 1;
    if (bar.chordPcs.includes(w.indexOf(Math.max(...w)))) inTriad += 1;
  }
  const share = inTriad / n;
  console.log(`chords: strongest latent in the true triad in ${(100 * share).toFixed(1)} % of ${n} frames`);
  assert.ok(share >= 0.8, `${share}`);
});

test('summed noise strength rises within 2 frames of every true kick in the main section', async () => {
  const recs = await records;
  const mainStart = truth.sections.find((s) => s.name === 'main')!.start;
  const sum = (r: TraceRecord): number => r.noiseStrength.reduce((a, b) => a + b, 0);
  const missed: number[] = [];
  let kicks = 0;
  for (const k of truth.onsets.kick) {
    if (k < mainStart) continue;
    kicks += 1;
    const f0 = Math.ceil(k * FPS - 1e-9);
    let hit = false;
    for (let f = f0; f <= f0 + 2 && f < recs.length; f++) if (sum(recs[f]!) > sum(recs[f - 1]!) + 1e-6) hit = true;
    if (!hit) missed.push(k);
  }
  console.log(`kick → noise: ${kicks - missed.length}/${kicks} kicks lift the noise within 2 frames`);
  assert.ok(kicks > 50);
  assert.deepEqual(missed, []);
});

test('the section mix follows the true intro → main boundary within 2 s', async () => {
  const recs = await records;
  const boundary = truth.sections.find((s) => s.name === 'main')!.start;
  const intro = recs.filter((r) => r.t < boundary - 0.01);
  assert.ok(intro.every((r) => r.scene === 'intro'), `intro frames stay on the intro set`);
  const firstMain = recs.find((r) => r.section > 0.5)!;
  console.log(`section: main from ${firstMain.t.toFixed(2)} s (true boundary ${boundary} s)`);
  assert.ok(Math.abs(firstMain.t - boundary) <= 2, `${firstMain.t}`);
  assert.ok(recs.filter((r) => r.t > boundary + 2).every((r) => r.scene === 'main'), 'and stays in main');
});

test('the 8-bar loop position is locked to the bar phase once the tempo is known', async () => {
  const recs = await records;
  let worst = 0;
  let checked = 0;
  for (const r of recs) {
    if (r.t < 8 || r.barPhase === null) continue;
    const fromLoop = (r.loop.drift! * 8) % 1;
    const d = Math.abs(fromLoop - r.barPhase);
    worst = Math.max(worst, Math.min(d, 1 - d));
    checked += 1;
  }
  // The mapper extrapolates the phase from the feature's time to the frame's (< one hop): ≤ 0.01 of a bar.
  console.log(`loop: worst |loop·8 − barPhase| over ${checked} frames = ${worst.toFixed(4)} bar`);
  assert.ok(checked > 1000);
  assert.ok(worst < 0.01, `${worst}`);
});
