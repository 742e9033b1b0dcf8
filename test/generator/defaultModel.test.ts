/**
 * The default model, built for real and run through the generator runtime: deterministic build, rebuild only
 * when outdated, identical params → identical frames, slowly moving latents → smoothly changing frames, and
 * pictures that are varied, colourful, spatially structured and visibly moved by latent, noise, bend and rewrite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom } from '../../src/rx.js';
import { DEFAULT_MODEL_OPTIONS, defaultModelUpToDate, ensureDefaultModel } from '../../src/generator/defaultModel.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { mapZ, randomStyleGan2Model, SeededNormal } from '../../src/generator/randomModel.js';
import { createGenerator, type RuntimeGenerator } from '../../src/generator/runtime/generator.js';
import { neutralParams } from '../../src/generator/runtime/params.js';
import type { FrameParams } from '../../src/contracts/frameParams.js';
import type { Manifest } from '../../src/generator/types.js';

const tmp = await mkdtemp(join(tmpdir(), 'latentvj-default-'));
test.after(() => rm(tmp, { recursive: true, force: true }));
// The package's own default model (built by npm install, checked by the test runner, rebuilt here if outdated):
// read only. The build-and-compare test below builds a second one from scratch.
const dir = join(PACKAGE_ROOT, 'models', 'default');
await ensureDefaultModel(dir);

async function render(g: RuntimeGenerator, p: FrameParams): Promise<Uint8Array> {
  const f = firstValueFrom(g.frames$);
  g.submit(p, performance.now());
  return (await f).rgba;
}

/** Mean |a − b| over RGB, in 0..255 units. */
function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (i % 4 === 3) continue;
    s += Math.abs(a[i]! - b[i]!);
    n++;
  }
  return s / n;
}

/** The default model's weights in memory (a second of CPU to draw), for its mapping network. */
let weights: ReturnType<typeof randomStyleGan2Model> | undefined;

function wsForSeed(m: Manifest, seed: number): Float32Array {
  weights ??= randomStyleGan2Model(DEFAULT_MODEL_OPTIONS);
  const w = mapZ(weights.mapping, new SeededNormal(seed).fill(new Float32Array(m.zDim)), new Float32Array(m.wDim));
  const ws = new Float32Array(m.numWs * m.wDim);
  for (let i = 0; i < m.numWs; i++) ws.set(w, i * m.wDim);
  return ws;
}

/** Mean HSV saturation, RGB std and mean horizontal neighbour difference of a picture. */
function pictureStats(rgba: Uint8Array, width: number): { saturation: number; std: number; neighbour: number } {
  let sat = 0;
  let sum = 0;
  let sum2 = 0;
  let neigh = 0;
  const n = rgba.length / 4;
  for (let i = 0; i < n; i++) {
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    sat += max === 0 ? 0 : (max - min) / max;
    for (const v of [r, g, b]) {
      sum += v;
      sum2 += v * v;
    }
    if ((i + 1) % width !== 0) for (let c = 0; c < 3; c++) neigh += Math.abs(rgba[i * 4 + c]! - rgba[(i + 1) * 4 + c]!);
  }
  const mean = sum / (3 * n);
  return { saturation: sat / n, std: Math.sqrt(sum2 / (3 * n) - mean * mean), neighbour: neigh / (3 * n) };
}

test('the random model is deterministic in its seed and follows NVIDIA’s W+ layout', () => {
  const small = { seed: 3, resolution: 32, channelBase: 256, channelMax: 32, zDim: 16, wDim: 16, mappingLayers: 2 };
  const a = randomStyleGan2Model(small);
  const b = randomStyleGan2Model(small);
  const c = randomStyleGan2Model({ ...small, seed: 4 });
  assert.deepEqual(a.convs[3]!.weight.data, b.convs[3]!.weight.data);
  assert.equal(a.source.sha256, b.source.sha256);
  assert.notDeepEqual(a.convs[3]!.weight.data, c.convs[3]!.weight.data);
  assert.equal(a.numWs, 8);
  assert.deepEqual(
    a.convs.map((l) => `${l.name}:${l.wIndex}:${l.inChannels}>${l.outChannels}`),
    ['b4.conv1:0:32>32', 'b8.conv0:1:32>32', 'b8.conv1:2:32>32', 'b16.conv0:3:32>16', 'b16.conv1:4:16>16', 'b32.conv0:5:16>8', 'b32.conv1:6:8>8'],
  );
  assert.deepEqual(a.toRgb.map((l) => l.wIndex), [1, 3, 5, 7]);
});

test('the default model builds deterministically and is rebuilt only when outdated', async () => {
  const again = join(tmp, 'again');
  assert.equal(await ensureDefaultModel(again), true);
  assert.deepEqual(await readFile(join(again, 'generator.onnx')), await readFile(join(dir, 'generator.onnx')));
  assert.equal(defaultModelUpToDate(again), true);
  assert.equal(await ensureDefaultModel(again), false);
  await writeFile(join(again, 'default-model.json'), '{"key":"from an older recipe"}');
  assert.equal(defaultModelUpToDate(again), false);
  assert.equal(await ensureDefaultModel(again), true);
});

test('identical params give identical frames; slowly moving latents change the frame smoothly', async (t) => {
  const g = await createGenerator({ modelDir: dir, candidates: ['cpu'], threads: 2, warmupRuns: 1, statsIntervalS: 0, cacheOptimized: false });
  try {
    const m = g.info.manifest;
    const p = neutralParams(m);
    p.ws = wsForSeed(m, 100);
    const a = await render(g, p);
    const b = await render(g, p);
    assert.deepEqual(a, b, 'same params, different pixels');

    // Walk W along a fixed random direction in steps of 0.01·‖unit‖ per frame.
    const dirW = new SeededNormal(9).fill(new Float32Array(p.ws.length), 0.01);
    const frames: Uint8Array[] = [a];
    for (let i = 1; i <= 6; i++) {
      for (let j = 0; j < p.ws.length; j++) p.ws[j]! += dirW[j]!;
      frames.push(await render(g, p));
    }
    const steps = frames.slice(1).map((f, i) => meanAbsDiff(frames[i]!, f));
    const far = meanAbsDiff(a, await render(g, { ...p, ws: wsForSeed(m, 101) }));
    const twoSteps = meanAbsDiff(frames[0]!, frames[2]!);
    t.diagnostic(`consecutive mean |Δ| ${steps.map((s) => s.toFixed(2)).join(', ')}; two steps ${twoSteps.toFixed(2)}; another latent ${far.toFixed(1)} (0..255)`);
    for (const s of steps) {
      assert.ok(s > 0, 'a moving latent must move the picture');
      assert.ok(s < far / 10, `one small step changed the picture by ${s.toFixed(2)}, a different latent by ${far.toFixed(2)}`);
    }
    // Smooth: steps of equal size change the picture by similar amounts (no jumps), and two steps ≈ twice one.
    assert.ok(Math.max(...steps) < 2 * Math.min(...steps), `uneven steps: ${steps.join(', ')}`);
    assert.ok(twoSteps > 1.5 * steps[0]! && twoSteps < 2.2 * steps[0]!, `two steps ${twoSteps} vs one ${steps[0]}`);
  } finally {
    await g.close();
  }
});

test('pictures are varied, colourful and structured; latent, noise, bend and rewrite changes are visible', async (t) => {
  const g = await createGenerator({ modelDir: dir, candidates: ['cpu'], threads: 2, warmupRuns: 1, statsIntervalS: 0, cacheOptimized: false });
  try {
    const m = g.info.manifest;
    assert.ok(m.numNoise > 0 && m.numBend > 0 && m.numRewrite > 0, 'the default model has noise, bend and rewrite inputs');
    const base = (): FrameParams => ({ ...neutralParams(m), ws: wsForSeed(m, 100) });
    const pics: Uint8Array[] = [];
    for (let s = 0; s < 4; s++) pics.push(await render(g, { ...base(), ws: wsForSeed(m, 100 + s) }));
    for (const pic of pics) {
      const st = pictureStats(pic, m.width);
      t.diagnostic(`saturation ${st.saturation.toFixed(2)}, std ${st.std.toFixed(1)}, neighbour |Δ| ${st.neighbour.toFixed(1)}`);
      assert.ok(st.saturation > 0.3, `grey: mean saturation ${st.saturation.toFixed(2)}`);
      assert.ok(st.std > 30, `flat: pixel std ${st.std.toFixed(1)}`);
      // Structure, not white noise: neighbouring pixels are far closer than random pairs.
      assert.ok(st.neighbour < 0.25 * st.std, `noisy: neighbour difference ${st.neighbour.toFixed(1)} vs std ${st.std.toFixed(1)}`);
    }
    for (let i = 0; i < pics.length; i++) {
      for (let j = i + 1; j < pics.length; j++) assert.ok(meanAbsDiff(pics[i]!, pics[j]!) > 30, `latents ${i} and ${j} look alike`);
    }

    const ref = pics[0]!;
    const noise = base();
    for (let j = 0; j < m.numNoise; j++) {
      noise.noiseMix.fill(0, j * m.noiseBank, (j + 1) * m.noiseBank);
      noise.noiseMix[j * m.noiseBank + 1] = 1;
    }
    const bend = base();
    for (let b = 0; b < m.numBend; b++) {
      bend.bend[b * 6] = 0.5;
      bend.bend[b * 6 + 4] = 0.5;
    }
    const rewrite = base();
    rewrite.rewrite.fill(1);
    const changes: Record<string, number> = {
      noise: meanAbsDiff(ref, await render(g, noise)),
      bend: meanAbsDiff(ref, await render(g, bend)),
      rewrite: meanAbsDiff(ref, await render(g, rewrite)),
    };
    t.diagnostic(`mean |Δ| vs the plain picture: ${Object.entries(changes).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
    for (const [k, v] of Object.entries(changes)) assert.ok(v > 10, `${k} changed the picture by only ${v.toFixed(1)}/255`);
  } finally {
    await g.close();
  }
});
