/**
 * FrameParams ↔ graph inputs: which FrameParams field feeds which ONNX input, the shape the manifest promises
 * for each, the shared slab the main thread writes a frame's inputs into, and neutral params for a manifest.
 */
import type { Manifest } from '../types.js';
import { newFrameParams, type FrameParams } from '../../contracts/frameParams.js';

/** The FrameParams fields that become graph inputs. */
export type ParamField = 'ws' | 'noiseMix' | 'noiseStrength' | 'noiseMask' | 'bend' | 'rewrite';

/**
 * Where a graph input's values come from: a FrameParams field, from `srcOffset` on, or `fill` when no field feeds
 * it. `noise_region` (per-region mask strengths) has no field: FrameParams folds each region's strength into its
 * mask, so the graph's region strengths stay 1. Full-size noise inputs (`noise_<i>`, a convert option for low
 * resolutions) have no field either: the worker feeds them fixed seeded noise.
 */
export interface InputSource {
  field: ParamField | null;
  srcOffset: number;
  fill: number;
  /** Fed by the worker itself (full-size noise maps); writeParams leaves it alone. */
  workerFed?: true;
}

/** The graph inputs the runtime knows how to feed, by name (as src/generator/graph/synthesis.ts writes them). */
export function inputSource(name: string, m: Manifest): InputSource | null {
  switch (name) {
    case 'ws':
      return { field: 'ws', srcOffset: 0, fill: 0 };
    case 'noise_mix':
      return { field: 'noiseMix', srcOffset: 0, fill: 0 };
    case 'noise_strength':
      return { field: 'noiseStrength', srcOffset: 0, fill: 1 };
    case 'noise_mask':
      return { field: 'noiseMask', srcOffset: 0, fill: 1 };
    case 'noise_region':
      return { field: null, srcOffset: 0, fill: 1 };
    case 'bend':
      return { field: 'bend', srcOffset: 0, fill: 0 };
    case 'rewrite':
      return { field: 'rewrite', srcOffset: 0, fill: 0 };
    default:
      return /^noise_\d+$/.test(name) ? { field: null, srcOffset: 0, fill: 0, workerFed: true } : null;
  }
}

export const KNOWN_INPUTS = 'ws, noise_mix, noise_strength, noise_mask, noise_region, bend, rewrite, noise_<i>';

/** The shape the manifest promises for each graph input (batch dimension 1). */
export function expectedInputShape(name: string, m: Manifest): number[] | null {
  switch (name) {
    case 'ws':
      return [1, m.numWs, m.wDim];
    case 'noise_mix':
      return [m.numNoise, m.noiseBank];
    case 'noise_strength':
      return [m.numNoise];
    case 'noise_mask':
      return [m.maskRegions, m.maskSize, m.maskSize];
    case 'noise_region':
      return [m.maskRegions];
    case 'bend':
      return [m.numBend, 2, 3];
    case 'rewrite':
      return [m.numRewrite];
    default: {
      const i = /^noise_(\d+)$/.exec(name);
      if (!i) return null;
      const layer = m.layers.find((l) => l.noiseIndex === Number(i[1]));
      return layer ? [1, 1, layer.height ?? layer.resolution, layer.width ?? layer.resolution] : null;
    }
  }
}

/** One graph input's place in the shared input slab (float32 elements). */
export interface SlabEntry extends InputSource {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

export const elementCount = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Lays the inputs out one after another. */
export function slabLayout(inputs: ReadonlyArray<{ name: string; shape: number[] }>, m: Manifest): { entries: SlabEntry[]; length: number } {
  const entries: SlabEntry[] = [];
  let offset = 0;
  for (const { name, shape } of inputs) {
    const src = inputSource(name, m);
    if (!src) throw new Error(`no FrameParams field feeds graph input '${name}'`);
    const length = elementCount(shape);
    entries.push({ name, shape, offset, length, ...src });
    offset += length;
  }
  return { entries, length: offset };
}

/** Why these params cannot feed this layout (wrong lengths), or null. */
export function paramsMismatch(p: FrameParams, entries: readonly SlabEntry[]): string | null {
  for (const e of entries) {
    if (!e.field) continue;
    const got = p[e.field].length;
    if (got !== e.length) {
      return `FrameParams.${e.field} has ${got} values, the model's input '${e.name}' [${e.shape.join(', ')}] needs ${e.length}`;
    }
  }
  // One NaN anywhere turns the whole picture black (demodulation spreads it to every pixel): skip such a frame
  // and keep the last good one. A scan of a few thousand floats per frame costs microseconds.
  if (!Number.isFinite(p.truncation)) return `truncation is ${p.truncation}`;
  for (const e of entries) {
    if (!e.field) continue;
    const src = p[e.field];
    for (let i = 0; i < src.length; i++) {
      if (!Number.isFinite(src[i]!)) return `FrameParams.${e.field}[${i}] is ${src[i]} (not finite)`;
    }
  }
  return null;
}

/**
 * Writes one frame's inputs into the slab. W+ is truncated toward w_avg here (w' = w_avg + ψ·(w − w_avg), on
 * every row, NVIDIA's definition), so the mapper hands over untruncated latents and ψ is one number per frame.
 */
export function writeParams(slab: Float32Array, entries: readonly SlabEntry[], p: FrameParams, wAvg: Float32Array | null): void {
  for (const e of entries) {
    if (!e.field) {
      if (!e.workerFed) slab.fill(e.fill, e.offset, e.offset + e.length);
      continue;
    }
    const src = p[e.field];
    if (e.field === 'ws' && wAvg && wAvg.length > 0 && p.truncation !== 1) {
      const psi = p.truncation;
      const d = wAvg.length;
      for (let i = 0; i < e.length; i++) {
        const a = wAvg[i % d]!;
        slab[e.offset + i] = a + psi * (src[i]! - a);
      }
    } else if (e.srcOffset === 0 && src.length === e.length) {
      slab.set(src, e.offset);
    } else if (src.length >= e.srcOffset + e.length) {
      // A slice of a longer field (noise_region after the masks): copied in place, no view allocated per frame.
      for (let i = 0; i < e.length; i++) slab[e.offset + i] = src[e.srcOffset + i]!;
    } else {
      slab.fill(e.fill, e.offset, e.offset + e.length);
    }
  }
}

/**
 * Params that leave the model as the checkpoint made it: every W+ row at w_avg, the first noise bank entry (the
 * checkpoint's own noise) at full strength, one full-picture mask region, identity bends, no rewrite.
 */
export function neutralParams(m: Manifest, frame = 0): FrameParams {
  const p = newFrameParams(m);
  p.frame = frame;
  if (m.wAvg.length === m.wDim) for (let i = 0; i < m.numWs; i++) p.ws.set(m.wAvg, i * m.wDim);
  for (let i = 0; i < m.numNoise && m.noiseBank > 0; i++) p.noiseMix[i * m.noiseBank] = 1;
  for (let i = 0; i < m.numBend; i++) {
    p.bend[i * 6] = 1;
    p.bend[i * 6 + 4] = 1;
  }
  p.noiseStrength.fill(1);
  // Region 0 covers the whole picture at strength 1; the other regions are empty (as the converter's neutral feeds).
  if (m.maskRegions > 0) p.noiseMask.fill(1, 0, m.maskSize * m.maskSize);
  return p;
}
