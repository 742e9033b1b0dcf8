/**
 * FrameParams ↔ graph inputs: which FrameParams field feeds which ONNX input, the shape the manifest promises
 * for each, the shared slab the main thread writes a frame's inputs into, and neutral params for a manifest.
 */
import type { Manifest } from '../types.js';
import type { FrameParams, PostParams } from '../../visual/types.js';

/** The FrameParams fields that become graph inputs. */
export type ParamField = 'ws' | 'noiseMix' | 'noiseStrength' | 'noiseMask' | 'bend' | 'rewrite';

/** Graph input name → the FrameParams field that feeds it (names as the graph builder writes them). */
export const INPUT_FIELDS: Readonly<Record<string, ParamField>> = {
  ws: 'ws',
  noise_mix: 'noiseMix',
  noise_strength: 'noiseStrength',
  noise_mask: 'noiseMask',
  bend: 'bend',
  rewrite: 'rewrite',
};

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
    case 'bend':
      return [m.numBend, 2, 3];
    case 'rewrite':
      return [m.numRewrite];
    default:
      return null;
  }
}

/** One graph input's place in the shared input slab (float32 elements). */
export interface SlabEntry {
  name: string;
  field: ParamField;
  shape: number[];
  offset: number;
  length: number;
}

export const elementCount = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Lays the inputs out one after another. */
export function slabLayout(inputs: ReadonlyArray<{ name: string; shape: number[] }>): { entries: SlabEntry[]; length: number } {
  const entries: SlabEntry[] = [];
  let offset = 0;
  for (const { name, shape } of inputs) {
    const field = INPUT_FIELDS[name];
    if (!field) throw new Error(`no FrameParams field feeds graph input '${name}'`);
    const length = elementCount(shape);
    entries.push({ name, field, shape, offset, length });
    offset += length;
  }
  return { entries, length: offset };
}

/** Why these params cannot feed this layout (wrong lengths), or null. */
export function paramsMismatch(p: FrameParams, entries: readonly SlabEntry[]): string | null {
  for (const e of entries) {
    const got = p[e.field].length;
    if (got !== e.length) {
      return `FrameParams.${e.field} has ${got} values, the model's input '${e.name}' [${e.shape.join(', ')}] needs ${e.length}`;
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
    const src = p[e.field];
    if (e.field === 'ws' && wAvg && wAvg.length > 0 && p.truncation !== 1) {
      const psi = p.truncation;
      const d = wAvg.length;
      for (let i = 0; i < e.length; i++) {
        const a = wAvg[i % d]!;
        slab[e.offset + i] = a + psi * (src[i]! - a);
      }
    } else {
      slab.set(src, e.offset);
    }
  }
}

const NEUTRAL_POST: PostParams = {
  brightness: 0,
  contrast: 1,
  hueShift: 0,
  trails: 0,
  crossfade: 0,
  blackout: false,
  freeze: false,
};

/**
 * Params that leave the model as the checkpoint made it: every W+ row at w_avg, the first noise bank entry at
 * full strength, an all-ones mask, identity bends, no rewrite.
 */
export function neutralParams(m: Manifest, frame = 0): FrameParams {
  const ws = new Float32Array(m.numWs * m.wDim);
  if (m.wAvg.length === m.wDim) for (let i = 0; i < m.numWs; i++) ws.set(m.wAvg, i * m.wDim);
  const noiseMix = new Float32Array(m.numNoise * m.noiseBank);
  for (let i = 0; i < m.numNoise && m.noiseBank > 0; i++) noiseMix[i * m.noiseBank] = 1;
  const bend = new Float32Array(m.numBend * 6);
  for (let i = 0; i < m.numBend; i++) {
    bend[i * 6] = 1;
    bend[i * 6 + 4] = 1;
  }
  return {
    frame,
    t: 0,
    ws,
    noiseMix,
    noiseStrength: new Float32Array(m.numNoise).fill(1),
    noiseMask: new Float32Array(m.maskRegions * m.maskSize * m.maskSize).fill(1),
    bend,
    rewrite: new Float32Array(m.numRewrite),
    truncation: 1,
    scene: 0,
    post: { ...NEUTRAL_POST },
  };
}
