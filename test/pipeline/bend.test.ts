/**
 * The one bend matrix, end to end: the mapper turns `bend.rotate` = +0.25 into the FrameParams bend row, the real
 * generator graph (a seeded random model, built here) applies it, and the feature map after the bent layer is the
 * unbent one turned a quarter counter-clockwise on screen in square pixels — on a 1:1 and on a 2:1 model, pixel by
 * pixel, so a clockwise turn, an ellipse or a shear would all fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { randomStyleGan2Model } from '../../src/generator/randomModel.js';
import { buildModel, type BuiltModel } from '../../src/generator/convert.js';
import { feedList, neutralFeeds } from '../../src/generator/graph/inputs.js';
import { compileMappingFile } from '../../src/mapping/index.js';
import { MusicalClock } from '../../src/mapping/clock.js';
import { createFrameContext } from '../../src/mapping/frameContext.js';
import { emptyControlState } from '../../src/contracts/control.js';
import { setLogSink } from '../../src/log.js';
import { fakeProvider } from '../mapping/helpers.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LAYER = 'b16.conv1';

async function model(aspect: { width: number; height: number }): Promise<BuiltModel> {
  const m = randomStyleGan2Model({ seed: 7, resolution: 16, channelBase: 64, channelMax: 4, zDim: 8, wDim: 8, mappingLayers: 2, wAvgSamples: 16 });
  return buildModel(m, { bendLayers: [LAYER], rewriteLayers: [], featureOutputs: [LAYER], aspect, noiseBank: 1 });
}

/** The bend row the mapper writes for one frame with `bend.rotate` overridden to `turns`. */
async function mapperBend(built: BuiltModel, turns: number): Promise<Float32Array> {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-bend-'));
  try {
    const file = join(dir, 'bend.yaml');
    writeFileSync(file, 'version: 1\nroutes: []\n');
    const compiled = await compileMappingFile(file, built.manifest, fakeProvider(built.manifest));
    const ctx = createFrameContext();
    const controls = emptyControlState();
    controls.targets.set('bend.rotate', turns);
    ctx.controls = controls;
    const clock = new MusicalClock(compiled.spec.clock);
    clock.update(0, 1 / 30, null);
    return compiled.frame(ctx, clock).bend.slice();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function featureMap(built: BuiltModel, bend: Float32Array): Promise<{ f: Float32Array; c: number; h: number; w: number }> {
  const session = await ort.InferenceSession.create(built.generator);
  const m = built.manifest;
  const ws = new Float32Array(m.numWs * m.wDim);
  for (let i = 0; i < ws.length; i++) ws[i] = Math.sin(1.7 * i + 0.3);
  const feeds = neutralFeeds(m, ws, 'zero');
  feeds.bend.set(bend);
  const inputs: Record<string, ort.Tensor> = {};
  for (const x of feedList(m, feeds)) inputs[x.name] = new ort.Tensor('float32', x.data, x.dims);
  const out = (await session.run(inputs))[`feat_${LAYER}`]!;
  await session.release();
  const [, c, h, w] = out.dims as number[];
  return { f: out.data as Float32Array, c: c!, h: h!, w: w! };
}

for (const aspect of [
  { width: 1, height: 1 },
  { width: 2, height: 1 },
]) {
  test(`+0.25 turn from the mapper turns the ${aspect.width}:${aspect.height} feature map counter-clockwise, in square pixels`, async () => {
    const restore = setLogSink({ write: () => undefined });
    try {
      const built = await model(aspect);
      const row = await mapperBend(built, 0.25);
      const plain = await featureMap(built, new Float32Array([1, 0, 0, 0, 1, 0]));
      const bent = await featureMap(built, row);
      const { c, h, w } = plain;
      assert.equal(w, (h * aspect.width) / aspect.height);
      const at = (m: Float32Array, ch: number, y: number, x: number): number => m[(ch * h + y) * w + x]!;
      // Offsets from the centre in pixels: a quarter turn counter-clockwise on screen (y down) takes the content
      // at (dx, dy) to (dy, −dx), so the output at (ox, oy) shows the input at (−oy, ox).
      const cx = (w - 1) / 2;
      const cy = (h - 1) / 2;
      let checked = 0;
      let worst = 0;
      let spread = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const xi = cx - (y - cy);
          const yi = cy + (x - cx);
          if (xi < 0 || xi > w - 1 || yi < 0 || yi > h - 1) continue;
          for (let ch = 0; ch < c; ch++) {
            const want = at(plain.f, ch, yi, xi);
            worst = Math.max(worst, Math.abs(at(bent.f, ch, y, x) - want));
            spread = Math.max(spread, Math.abs(want - at(plain.f, ch, y, x)));
            checked += 1;
          }
        }
      }
      assert.equal(checked, c * h * h, 'the centred square of side h is checked');
      assert.ok(spread > 1e-2, 'the map is not uniform: a turn is visible');
      assert.ok(worst <= 1e-4, `largest difference from the counter-clockwise quarter turn: ${worst}`);

      // A marked feature: the strongest value in the centred square moves a quarter turn counter-clockwise.
      let best = { v: -Infinity, x: 0, y: 0 };
      for (let y = 0; y < h; y++) for (let x = Math.round(cx - cy); x <= Math.round(cx + cy); x++) if (at(plain.f, 0, y, x) > best.v) best = { v: at(plain.f, 0, y, x), x, y };
      const dx = best.x - cx;
      const dy = best.y - cy;
      assert.equal(at(bent.f, 0, cy - dx, cx + dy), best.v, `the feature at (${dx}, ${dy}) from the centre is now at (${dy}, ${-dx})`);
    } finally {
      restore();
    }
  });
}
