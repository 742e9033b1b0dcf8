/**
 * A stand-in generator model with the real one's interface (`ws` in, `rgba` [H, W, 4] uint8 out, manifest.json
 * beside it) but a trivial picture: the mean W row, projected to a small colour grid and resized bilinearly. Its
 * cost is a knob: `workMatMuls` chains 512×512 MatMuls into the output, so tests get a model that takes
 * ≥ 100 ms, and the benchmark measures per-frame overhead at 1024² without a 1024² StyleGAN2.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GraphBuilder, ops } from '../onnx/index.js';
import type { Manifest } from '../types.js';
import { SeededNormal } from '../randomModel.js';

export interface SyntheticModelOptions {
  width: number;
  height: number;
  numWs?: number;
  wDim?: number;
  /** Colour grid side before the resize. */
  grid?: number;
  /** 512×512 MatMuls chained into the output (each ≈ 0.27 GFLOP, about 1 ms on one core). */
  workMatMuls?: number;
  seed?: number;
}

export function syntheticModelBytes(o: SyntheticModelOptions): Uint8Array {
  const numWs = o.numWs ?? 4;
  const wDim = o.wDim ?? 64;
  const G = o.grid ?? 4;
  const rng = new SeededNormal(o.seed ?? 1);
  const g = new GraphBuilder('synthetic');
  const ws = g.input('ws', 'float', [1, numWs, wDim]);
  const m = ops.reduceMean(g, ws, [1], false); // [1, wDim]
  const proj = g.constFloat(rng.fill(new Float32Array(wDim * 3 * G * G), 1 / Math.sqrt(wDim)), [wDim, 3 * G * G]);
  let c = ops.matMul(g, m, proj); // [1, 3GG]
  const work = o.workMatMuls ?? 0;
  if (work > 0) {
    const N = 512;
    // [1, wDim] → [N, N] by tiling, so the chain depends on the input and cannot be folded away.
    const tiled = g.op('Tile', [m, g.constInt64([N, Math.ceil(N / wDim)])]);
    let x = ops.slice(g, tiled, [0], [N], [1]);
    const k = g.constFloat(rng.fill(new Float32Array(N * N), 1 / Math.sqrt(N)), [N, N]);
    for (let i = 0; i < work; i++) x = ops.matMul(g, x, k);
    const s = ops.reduceMean(g, x, [0, 1], false);
    c = ops.add(g, c, ops.scale(g, s, 1e-9));
  }
  const grid = ops.reshape(g, c, [1, 3, G, G]);
  const big = ops.resizeBilinear(g, grid, [1, 3, o.height, o.width]);
  const rgb = ops.clip(g, ops.addScalar(g, ops.scale(g, g.op('Tanh', [big]), 127.5), 128), 0, 255);
  const hwc = ops.reshape(g, ops.transpose(g, rgb, [0, 2, 3, 1]), [o.height, o.width, 3]);
  const alpha = g.constFloat(new Float32Array(o.height * o.width).fill(255), [o.height, o.width, 1]);
  const rgba = ops.cast(g, ops.concat(g, [hwc, alpha], 2), 'uint8');
  g.output(rgba, 'rgba', 'uint8', [o.height, o.width, 4]);
  return g.toBytes({ opset: 17 });
}

export function syntheticManifest(o: SyntheticModelOptions): Manifest {
  const wDim = o.wDim ?? 64;
  return {
    version: 1,
    width: o.width,
    height: o.height,
    numWs: o.numWs ?? 4,
    wDim,
    zDim: wDim,
    layers: [],
    numNoise: 0,
    noiseBank: 0,
    maskRegions: 0,
    maskSize: 0,
    numBend: 0,
    numRewrite: 0,
    wAvg: new Array<number>(wDim).fill(0),
    origin: { file: 'synthetic', format: 'synthetic', sha256: '' },
    files: { generator: 'generator.onnx', mapping: 'mapping.onnx' },
    options: { synthetic: o },
  };
}

/** Writes generator.onnx + manifest.json into `dir`. */
export async function writeSyntheticModel(dir: string, o: SyntheticModelOptions): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'generator.onnx'), syntheticModelBytes(o));
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(syntheticManifest(o), null, 1));
  return dir;
}
