/** Shared helpers for turning a flat name → tensor map into StyleGan2Model pieces. */
import type { Tensor } from '../types.js';
import { UserError } from '../../errors.js';
import { TorchTensor } from './torch.js';

/** Named tensors of a state dict, with lookups that fail with the file and the key. */
export class StateDict {
  constructor(
    readonly file: string,
    readonly what: string,
    readonly tensors: Map<string, TorchTensor>,
  ) {}

  has(key: string): boolean {
    return this.tensors.has(key);
  }

  /** The tensor under `key` as float32 C order, optionally reshaped (same element count) to `shape`. */
  get(key: string, shape?: number[]): Tensor {
    const t = this.tensors.get(key);
    if (!t) throw new UserError(`${this.file}: ${this.what} has no tensor '${key}'; is it a StyleGAN2 generator?`);
    let out: Tensor;
    try {
      out = t.toTensor();
    } catch (e) {
      throw new UserError(`${this.file}: tensor '${key}' is damaged (${e instanceof Error ? e.message : String(e)})`);
    }
    if (shape) {
      const n = shape.reduce((a, b) => a * b, 1);
      if (n !== out.data.length) {
        throw new UserError(`${this.file}: tensor '${key}' has shape [${out.shape.join(', ')}], expected [${shape.join(', ')}]`);
      }
      out.shape = [...shape];
    }
    return out;
  }

  /** The shape of `key` without materialising it. */
  shape(key: string): number[] {
    const t = this.tensors.get(key);
    if (!t) throw new UserError(`${this.file}: ${this.what} has no tensor '${key}'; is it a StyleGAN2 generator?`);
    return [...t.shape];
  }

  /** A scalar tensor's value (noise strength). */
  scalar(key: string): number {
    const t = this.get(key);
    if (t.data.length !== 1) throw new UserError(`${this.file}: tensor '${key}' should hold one value, holds ${t.data.length}`);
    return t.data[0] as number;
  }
}

/**
 * The 1-D FIR taps behind a stored 2-D resampling kernel (outer(k, k) scaled): row sums are proportional
 * to k. Scaled so the first tap is 1, giving [1, 3, 3, 1] for the standard filter; both implementations
 * normalise the filter themselves, so the scale carries no information.
 */
export function firTaps(kernel2d: Tensor, file: string, key: string): number[] {
  const [rows, cols] = kernel2d.shape;
  if (kernel2d.shape.length !== 2 || rows !== cols || rows === undefined || cols === undefined) {
    throw new UserError(`${file}: resampling kernel '${key}' has shape [${kernel2d.shape.join(', ')}], expected a square 2-D kernel`);
  }
  const sums: number[] = [];
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += kernel2d.data[r * cols + c] as number;
    sums.push(s);
  }
  const ref = sums[0] !== 0 ? (sums[0] as number) : sums.reduce((a, b) => a + b, 0);
  return sums.map((s) => Math.round((s / ref) * 1e6) / 1e6);
}

/** Drops leading size-1 axes down to `rank` dims ([1, out, in, k, k] → [out, in, k, k]). */
export function squeezeTo(t: Tensor, rank: number): Tensor {
  const shape = [...t.shape];
  while (shape.length > rank && shape[0] === 1) shape.shift();
  return { shape, data: t.data };
}
