/**
 * Graph inputs for the kit's cases: a batch of W+ latents with every control on (noise banks mixed, a bend that
 * zooms and turns, rewrites half faded in), laid out the way the runtime lays FrameParams out (params.ts). Batch
 * element 0 is the same at every batch size, so a batch-4 picture 0 is comparable with the batch-1 reference.
 */
import ort from 'onnxruntime-node';
import type { Tensor as OrtTensor } from 'onnxruntime-node';
import { SeededNormal } from '../../src/generator/randomModel.js';
import { expectedInputShape, neutralParams, slabLayout, writeParams } from '../../src/generator/runtime/params.js';
import type { Manifest } from '../../src/generator/types.js';
import type { FrameParams } from '../../src/visual/types.js';

/** FrameParams with every per-frame control away from neutral (the graph is static; this is for the picture). */
export function controlsOnParams(m: Manifest): FrameParams {
  const p = neutralParams(m);
  const rng = new SeededNormal(11);
  // A latent half a standard deviation away from w_avg: a picture, not the average face.
  for (let i = 0; i < p.ws.length; i++) p.ws[i] = p.ws[i]! + 0.5 * rng.normal();
  for (let n = 0; n < m.numNoise; n++) {
    for (let k = 0; k < m.noiseBank; k++) p.noiseMix[n * m.noiseBank + k] = k === 0 ? 0.6 : 0.4 / Math.max(1, m.noiseBank - 1);
  }
  const angle = (4 * Math.PI) / 180;
  const zoom = 1.06;
  for (let b = 0; b < m.numBend; b++) {
    p.bend.set([Math.cos(angle) / zoom, -Math.sin(angle) / zoom, 0.02, Math.sin(angle) / zoom, Math.cos(angle) / zoom, -0.01], b * 6);
  }
  p.rewrite.fill(0.5);
  p.truncation = 0.8;
  return p;
}

export interface BatchFeeds {
  feeds: Record<string, OrtTensor>;
  /** The ws tensor's data ([batch, numWs, wDim]): the timed loop walks it in place. */
  ws: Float32Array;
}

/**
 * Feeds for a session's declared inputs at `batch`: only `ws` has a batch axis (the graph shares noise, masks,
 * bends and rewrites across the batch). Element j > 0 of the batch is element 0 plus a seeded offset.
 */
export function batchFeeds(inputNames: readonly string[], m: Manifest, batch: number, params: FrameParams = controlsOnParams(m)): BatchFeeds {
  const layout = slabLayout(
    inputNames.map((name) => {
      const shape = expectedInputShape(name, m);
      if (!shape) throw new Error(`graph input '${name}' is not one the runtime knows`);
      return { name, shape };
    }),
    m,
  );
  const slab = new Float32Array(layout.length);
  writeParams(slab, layout.entries, params, m.wAvg.length === m.wDim ? Float32Array.from(m.wAvg) : null);
  const feeds: Record<string, OrtTensor> = {};
  let ws = new Float32Array(0);
  const noise = new SeededNormal(1);
  for (const e of layout.entries) {
    const one = slab.subarray(e.offset, e.offset + e.length);
    if (e.name === 'ws') {
      ws = new Float32Array(e.length * batch);
      const rng = new SeededNormal(23);
      for (let j = 0; j < batch; j++) {
        ws.set(one, j * e.length);
        if (j > 0) for (let i = 0; i < e.length; i++) ws[j * e.length + i] = ws[j * e.length + i]! + 0.3 * rng.normal();
      }
      feeds[e.name] = new ort.Tensor('float32', ws, [batch, ...e.shape.slice(1)]);
    } else if (!e.field) {
      // Full-size noise inputs (a convert option at low resolution): fixed noise, as the worker feeds them.
      feeds[e.name] = new ort.Tensor('float32', noise.fill(new Float32Array(e.length)), e.shape);
    } else {
      feeds[e.name] = new ort.Tensor('float32', Float32Array.from(one), e.shape);
    }
  }
  return { feeds, ws };
}

/** Largest and mean |Δ| of the RGB bytes of picture 0 (alpha is constant), in 1/255 steps. */
export function pictureDiff(a: Uint8Array, b: Uint8Array, pixels: number): { maxDiff: number; meanDiff: number } {
  if (a.length < pixels * 4 || b.length < pixels * 4) throw new RangeError(`pictureDiff: need ${pixels * 4} bytes, got ${a.length} and ${b.length}`);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < pixels * 4; i++) {
    if ((i & 3) === 3) continue;
    const d = Math.abs(a[i]! - b[i]!);
    sum += d;
    if (d > max) max = d;
  }
  return { maxDiff: max, meanDiff: sum / (pixels * 3) };
}
