/**
 * Constant tensors the graphs need, derived once from the checkpoint's weights: folded style affines, conv
 * weights with their gains applied, squared-weight sums for demodulation, rewrite perturbations, noise banks.
 * Everything here is pure; float64 accumulation keeps the folded constants as exact as float32 storage allows.
 */
import type { FcWeights, ModConvWeights } from '../types.js';
import { SeededNormal } from '../randomModel.js';
import { widenMap } from './resample.js';
import type { WidenMode } from './options.js';

/** The style affine folded into one matrix [wDim, Cin] and bias [Cin]: styles = w · A + b. */
export function foldedAffine(layer: ModConvWeights): { a: Float32Array; b: Float32Array; wDim: number } {
  return foldFc(layer.affine, layer.styleGain);
}

/** y = x · (W·weightGain·extra)ᵀ + bias·biasGain·extra, as [in, out] and [out]. */
export function foldFc(fc: FcWeights, extra = 1): { a: Float32Array; b: Float32Array; wDim: number } {
  const [out, inp] = fc.weight.shape as [number, number];
  const a = new Float32Array(inp * out);
  const wg = fc.weightGain * extra;
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) a[i * out + o] = fc.weight.data[o * inp + i]! * wg;
  const b = new Float32Array(out);
  if (fc.bias) for (let o = 0; o < out; o++) b[o] = fc.bias.data[o]! * fc.biasGain * extra;
  return { a, b, wDim: inp };
}

/** Conv weight with its gain applied, [out, in, k, k] (as stored). */
export function scaledWeight(layer: ModConvWeights): Float32Array {
  const w = layer.weight.data;
  const out = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = w[i]! * layer.weightGain;
  return out;
}

/** [out, in, k, k] → [in, out, k, k] (ConvTranspose layout; the references transpose without flipping). */
export function transposeOutIn(w: Float32Array, out: number, inp: number, kk: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inp; i++) {
      const src = (o * inp + i) * kk;
      const dst = (i * out + o) * kk;
      for (let k = 0; k < kk; k++) t[dst + k] = w[src + k]!;
    }
  }
  return t;
}

/** Σ over the kernel window of a[o,i,·]·b[o,i,·], laid out [in, out] for `styles² @ S`. */
export function kernelDotSums(a: Float32Array, b: Float32Array, out: number, inp: number, kk: number): Float32Array {
  const s = new Float32Array(inp * out);
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inp; i++) {
      let acc = 0;
      const base = (o * inp + i) * kk;
      for (let k = 0; k < kk; k++) acc += a[base + k]! * b[base + k]!;
      s[i * out + o] = acc;
    }
  }
  return s;
}

/** FNV-1a of a string: a stable per-layer seed offset, so adding a layer does not change the others' draws. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * The rewrite perturbation of a layer in STORED weight units: ΔW = W ∘ (R − 1) with R ~ N(−1, σ) per weight,
 * drawn from (seed, layer name). W' = W + a·ΔW is the rewritten layer at strength a (a = 1: W ∘ R).
 */
export function rewriteDelta(layer: ModConvWeights, seed: number, sigma: number): Float32Array {
  const rng = new SeededNormal((seed ^ hashName(`rewrite:${layer.name}`)) >>> 0);
  const w = layer.weight.data;
  const d = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const r = -1 + sigma * rng.normal();
    d[i] = w[i]! * (r - 1);
  }
  return d;
}

/**
 * A layer's noise bank [K, h, w]: entry 0 the checkpoint's constant noise (widened like the constant input), the
 * rest unit-variance normal fields from (seed, layer name). A layer without stored noise gets a random entry 0.
 */
export function noiseBank(
  layer: ModConvWeights,
  k: number,
  h: number,
  w: number,
  seed: number,
  widen: WidenMode,
): Float32Array {
  const bank = new Float32Array(k * h * w);
  const rng = new SeededNormal((seed ^ hashName(`noise:${layer.name}`)) >>> 0);
  const stored = layer.noise?.constNoise ?? null;
  let first = 0;
  if (stored) {
    const sh = stored.shape;
    const h0 = sh[sh.length - 2]!;
    const w0 = sh[sh.length - 1]!;
    if (h0 * w0 !== stored.data.length) throw new Error(`${layer.name}: constant noise of shape [${sh.join(', ')}] is not one map`);
    bank.set(widenMap(stored.data, 1, h0, w0, h, w, widen), 0);
    first = 1;
  }
  for (let i = first * h * w; i < bank.length; i++) bank[i] = rng.normal();
  return bank;
}
