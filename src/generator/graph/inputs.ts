/**
 * Per-frame inputs of the generator graph as plain typed arrays, and the neutral settings that reproduce the
 * checkpoint exactly: stored noise (bank entry 0) or none, mask 1 everywhere, identity bends, no rewrite.
 */
import type { Manifest } from '../types.js';
import type { Bend } from '../../contracts/frameParams.js';
import { writeBendMatrix } from '../../contracts/bend.js';
import { SeededNormal } from '../randomModel.js';

export type NoiseMode = 'const' | 'zero' | 'random';

export interface GeneratorFeeds {
  /** [numWs × wDim]. */
  ws: Float32Array;
  /** [numNoise × K]; absent when the model takes full noise maps. */
  noiseMix: Float32Array;
  noiseStrength: Float32Array;
  /** [R × M × M] and per-region strengths [R]. */
  noiseMask: Float32Array;
  noiseRegion: Float32Array;
  /** [numBend × 2 × 3]. */
  bend: Float32Array;
  rewrite: Float32Array;
  /** Full noise maps per noise layer when the model was converted with noise inputs. */
  noiseMaps: Float32Array[];
}

export const IDENTITY_BEND = [1, 0, 0, 0, 1, 0] as const;

/** Writes an identity 2×3 matrix into every row of a bend array. */
export function identityBends(numBend: number): Float32Array {
  const b = new Float32Array(numBend * 6);
  for (let i = 0; i < numBend; i++) b.set(IDENTITY_BEND, i * 6);
  return b;
}

/** A zoom about the centre (2 = magnify twice), as a bend row. */
export function zoomBend(zoom: number): number[] {
  return [1 / zoom, 0, 0, 0, 1 / zoom, 0];
}

/** The bend row of a Bend for a layer of aspect `aspect` (width / height): the one bend matrix (contracts/bend.ts). */
export function bendMatrix(b: Bend, aspect = 1, out: Float32Array | number[] = new Array<number>(6), offset = 0): Float32Array | number[] {
  writeBendMatrix(out, offset, b.zoom, b.rotate, b.tx, b.ty, b.mirrorX, b.mirrorY, aspect);
  return out;
}

export function neutralFeeds(m: Manifest, ws: Float32Array, noise: NoiseMode, seed = 1): GeneratorFeeds {
  const K = Math.max(1, m.noiseBank);
  const noiseMix = new Float32Array(m.numNoise * K);
  const rng = new SeededNormal(seed);
  for (let j = 0; j < m.numNoise; j++) {
    if (noise === 'random') {
      // A random unit vector over the bank keeps unit variance (the fields are independent).
      let norm = 0;
      const row = Array.from({ length: K }, () => rng.normal());
      for (const v of row) norm += v * v;
      row.forEach((v, k) => (noiseMix[j * K + k] = v / Math.sqrt(norm)));
    } else {
      noiseMix[j * K] = 1;
    }
  }
  const noiseStrength = new Float32Array(m.numNoise).fill(noise === 'zero' ? 0 : 1);
  const M2 = m.maskSize * m.maskSize;
  const noiseMask = new Float32Array(m.maskRegions * M2);
  noiseMask.fill(1, 0, M2);
  const noiseRegion = new Float32Array(m.maskRegions).fill(1);
  const noiseMaps: Float32Array[] = [];
  if (m.noiseBank === 0) {
    for (const l of m.layers) {
      if (l.noiseIndex < 0) continue;
      const size = (l.height ?? l.resolution) * (l.width ?? l.resolution);
      const map = new Float32Array(size);
      if (noise === 'random') for (let i = 0; i < size; i++) map[i] = rng.normal();
      noiseMaps[l.noiseIndex] = map;
    }
  }
  return {
    ws,
    noiseMix,
    noiseStrength,
    noiseMask,
    noiseRegion,
    bend: identityBends(m.numBend),
    rewrite: new Float32Array(m.numRewrite),
    noiseMaps,
  };
}

/** Input name → [data, dims] for every input the model declares (ORT wraps these in tensors). */
export function feedList(m: Manifest, f: GeneratorFeeds): { name: string; data: Float32Array; dims: number[] }[] {
  const out: { name: string; data: Float32Array; dims: number[] }[] = [{ name: 'ws', data: f.ws, dims: [f.ws.length / (m.numWs * m.wDim), m.numWs, m.wDim] }];
  if (m.numNoise > 0) {
    if (m.noiseBank > 0) out.push({ name: 'noise_mix', data: f.noiseMix, dims: [m.numNoise, m.noiseBank] });
    out.push({ name: 'noise_strength', data: f.noiseStrength, dims: [m.numNoise] });
    out.push({ name: 'noise_mask', data: f.noiseMask, dims: [m.maskRegions, m.maskSize, m.maskSize] });
    out.push({ name: 'noise_region', data: f.noiseRegion, dims: [m.maskRegions] });
    if (m.noiseBank === 0) {
      for (const l of m.layers) {
        if (l.noiseIndex < 0) continue;
        out.push({ name: `noise_${l.noiseIndex}`, data: f.noiseMaps[l.noiseIndex]!, dims: [1, 1, l.height ?? l.resolution, l.width ?? l.resolution] });
      }
    }
  }
  if (m.numBend > 0) out.push({ name: 'bend', data: f.bend, dims: [m.numBend, 2, 3] });
  if (m.numRewrite > 0) out.push({ name: 'rewrite', data: f.rewrite, dims: [m.numRewrite] });
  return out;
}

/** NVIDIA's truncation on every row: w ← w_avg + ψ·(w − w_avg), in place. */
export function truncateRows(ws: Float32Array, wAvg: readonly number[] | Float32Array, psi: number): Float32Array {
  const d = wAvg.length;
  if (psi === 1) return ws;
  for (let i = 0; i < ws.length; i++) {
    const avg = wAvg[i % d]!;
    ws[i] = avg + psi * (ws[i]! - avg);
  }
  return ws;
}

/** One w [wDim] repeated on every W+ row. */
export function broadcastW(w: Float32Array, numWs: number): Float32Array {
  const out = new Float32Array(numWs * w.length);
  for (let i = 0; i < numWs; i++) out.set(w, i * w.length);
  return out;
}
