/**
 * Network bending and model rewriting on the real rosinality fixture model: neutral inputs reproduce the plain
 * graph, a zoom/mirror bend resamples the feature maps exactly as defined, a rewrite equals a graph whose conv
 * weights were modified directly, and batch stays dynamic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readCheckpoint } from '../../src/generator/checkpoint/index.js';
import { buildModel, type BuiltModel } from '../../src/generator/convert.js';
import { bendMatrix, feedList, neutralFeeds, zoomBend, type GeneratorFeeds } from '../../src/generator/graph/inputs.js';
import type { Bend } from '../../src/contracts/frameParams.js';
import { rewriteDelta } from '../../src/generator/graph/weights.js';
import { readNpy } from '../../src/contracts/npy.js';
import type { StyleGan2Model } from '../../src/generator/types.js';
import { maxAbs } from '../helpers/arrays.js';
import { ROSINALITY_FIXTURES } from '../helpers/paths.js';

const FIX = ROSINALITY_FIXTURES;

async function run(built: BuiltModel, edit: (f: GeneratorFeeds) => void = () => {}, ws?: Float32Array): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(built.generator);
  const m = built.manifest;
  const f = neutralFeeds(m, ws ?? (await readNpy(join(FIX, 'rosinality-64-ws.npy'))).data, 'const');
  edit(f);
  const feeds: Record<string, ort.Tensor> = {};
  for (const x of feedList(m, f)) feeds[x.name] = new ort.Tensor('float32', x.data, x.dims);
  const out = await session.run(feeds);
  await session.release();
  return out;
}

const data = (v: ort.OnnxValue | undefined): Float32Array => v!.data as Float32Array;

let model: StyleGan2Model;
let plain: BuiltModel;
test.before(async () => {
  model = await readCheckpoint(join(FIX, 'rosinality-64.pt'));
  plain = await buildModel(model, { bendLayers: [], rewriteLayers: [] });
});

test('identity bends on every conv and rewrite strength 0 reproduce the plain output (≤ 1e-5)', async (t) => {
  const all = model.convs.map((c) => c.name);
  const bent = await buildModel(model, { bendLayers: all, rewriteLayers: ['b8.conv1', 'b16.conv0', 'b32.conv1'] });
  assert.equal(bent.manifest.numBend, all.length);
  assert.equal(bent.manifest.numRewrite, 3);
  const a = data((await run(plain)).image);
  const b = data((await run(bent)).image);
  const e = maxAbs(a, b);
  t.diagnostic(`identity bend + rewrite 0 vs plain: max abs ${e.toExponential(2)}`);
  assert.ok(e <= 1e-5, `max abs ${e}`);
});

function bilinear(f: Float32Array, h: number, w: number, ch: number, y: number, x: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (yy: number, xx: number): number => f[(ch * h + yy) * w + xx]!;
  return (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
}

test('a zoom of 2 at b16.conv1 magnifies the centre of its feature maps; a mirror bend flips them', async (t) => {
  const layer = 'b16.conv1';
  const built = await buildModel(model, { bendLayers: [layer], rewriteLayers: [], featureOutputs: [layer] });
  const c = model.convs.find((l) => l.name === layer)!.outChannels;
  const H = 16;
  const W = 16;
  const f0 = data((await run(built))[`feat_${layer}`]);
  const fz = data((await run(built, (f) => f.bend.set(zoomBend(2), 0)))[`feat_${layer}`]);
  const fm = data((await run(built, (f) => f.bend.set([-1, 0, 0, 0, 1, 0], 0)))[`feat_${layer}`]);
  assert.equal(f0.length, c * H * W);
  let eZoom = 0;
  let eMirror = 0;
  let changed = 0;
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        // Output pixel centre (x+½)/W·2−1 samples the input at half that distance from the centre.
        const sx = (x + 0.5) / 2 + W / 4 - 0.5;
        const sy = (y + 0.5) / 2 + H / 4 - 0.5;
        const i = (ch * H + y) * W + x;
        eZoom = Math.max(eZoom, Math.abs(fz[i]! - bilinear(f0, H, W, ch, sy, sx)));
        eMirror = Math.max(eMirror, Math.abs(fm[i]! - f0[(ch * H + y) * W + (W - 1 - x)]!));
        if (Math.abs(fz[i]! - f0[i]!) > 1e-3) changed++;
      }
    }
  }
  t.diagnostic(`zoom 2 vs bilinear magnification of the centre: max abs ${eZoom.toExponential(2)}; mirror: ${eMirror.toExponential(2)}`);
  assert.ok(eZoom <= 1e-5, `zoom: ${eZoom}`);
  assert.ok(eMirror <= 1e-5, `mirror: ${eMirror}`);
  assert.ok(changed > f0.length / 2, 'the zoomed feature maps differ from the plain ones');
  // The picture changes too (the bend is inside the network, before the later layers).
  const pz = data((await run(built, (f) => f.bend.set(zoomBend(2), 0))).image);
  const p0 = data((await run(built)).image);
  assert.ok(maxAbs(pz, p0) > 0.1);
});

test('a rewrite at strength a equals the graph with W + a·ΔW baked into the weights (≤ 1e-4), incl. an up-sampling conv', async (t) => {
  const layers = ['b8.conv1', 'b16.conv0'];
  const strengths = [0.7, -0.4];
  const seed = 7;
  const sigma = 0.5;
  const rewritten = await buildModel(model, { bendLayers: [], rewriteLayers: layers, rewriteSeed: seed, rewriteSigma: sigma });
  const viaGraph = data((await run(rewritten, (f) => f.rewrite.set(strengths))).image);
  const direct: StyleGan2Model = {
    ...model,
    convs: model.convs.map((c) => {
      const r = layers.indexOf(c.name);
      if (r < 0) return c;
      const d = rewriteDelta(c, seed, sigma);
      const w = Float32Array.from(c.weight.data, (v, i) => v + strengths[r]! * d[i]!);
      return { ...c, weight: { shape: c.weight.shape, data: w } };
    }),
  };
  const baked = await buildModel(direct, { bendLayers: [], rewriteLayers: [] });
  const viaWeights = data((await run(baked)).image);
  const e = maxAbs(viaGraph, viaWeights);
  const moved = maxAbs(viaGraph, data((await run(plain)).image));
  t.diagnostic(`rewrite vs baked weights: max abs ${e.toExponential(2)} (the rewrite moved the picture by ${moved.toFixed(2)})`);
  assert.ok(e <= 1e-4, `max abs ${e}`);
  assert.ok(moved > 0.05, 'the rewrite changes the picture');
});

test('batch stays dynamic: two W+ in one run equal two single runs', async () => {
  const ws = (await readNpy(join(FIX, 'rosinality-64-ws.npy'))).data;
  const ws2 = Float32Array.from(ws, (v, i) => v * 0.5 + Math.sin(i) * 0.3);
  const both = new Float32Array(ws.length * 2);
  both.set(ws, 0);
  both.set(ws2, ws.length);
  const out = await run(plain, () => {}, both);
  assert.deepEqual(out.rgba!.dims, [128, 64, 4]);
  assert.deepEqual(out.image!.dims, [6, 64, 64]);
  const a = data((await run(plain, () => {}, ws)).image);
  const b = data((await run(plain, () => {}, ws2)).image);
  const img = data(out.image);
  assert.ok(maxAbs(img.subarray(0, a.length), a) <= 1e-5);
  assert.ok(maxAbs(img.subarray(a.length), b) <= 1e-5);
});

test('bendMatrix: zoom, mirror, one-pixel translation and a quarter turn move the feature maps as named', async () => {
  const layer = 'b16.conv1';
  const built = await buildModel(model, { bendLayers: [layer], rewriteLayers: [], featureOutputs: [layer] });
  const c = model.convs.find((l) => l.name === layer)!.outChannels;
  const N = 16;
  const base: Bend = { layer: 0, zoom: 1, rotate: 0, tx: 0, ty: 0, mirrorX: false, mirrorY: false };
  assert.deepEqual(bendMatrix({ ...base, zoom: 2 }).map((v) => v + 0), zoomBend(2));
  const feat = async (b: Bend): Promise<Float32Array> =>
    data((await run(built, (f) => bendMatrix(b, 1, f.bend, 0)))[`feat_${layer}`]);
  const f0 = await feat(base);
  const at = (f: Float32Array, ch: number, y: number, x: number): number => f[(ch * N + y) * N + x]!;
  const cases: [Bend, (ch: number, y: number, x: number) => number | null][] = [
    // Content moves right by one pixel: out(x) = in(x − 1).
    [{ ...base, tx: 1 / N }, (ch, y, x) => (x >= 1 ? at(f0, ch, y, x - 1) : null)],
    [{ ...base, ty: -1 / N }, (ch, y, x) => (y <= N - 2 ? at(f0, ch, y + 1, x) : null)],
    [{ ...base, mirrorY: true }, (ch, y, x) => at(f0, ch, N - 1 - y, x)],
    // A quarter turn counter-clockwise on screen: out(y, x) = in(x, N − 1 − y).
    [{ ...base, rotate: 0.25 }, (ch, y, x) => at(f0, ch, x, N - 1 - y)],
  ];
  for (const [b, expected] of cases) {
    const f = await feat(b);
    let e = 0;
    for (let ch = 0; ch < c; ch++) {
      for (let y = 0; y < N; y++) {
        for (let x = 0; x < N; x++) {
          const want = expected(ch, y, x);
          if (want !== null) e = Math.max(e, Math.abs(at(f, ch, y, x) - want));
        }
      }
    }
    assert.ok(e <= 1e-5, `${JSON.stringify(b)}: max abs ${e}`);
  }
});
