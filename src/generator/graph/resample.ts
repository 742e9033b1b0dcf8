/**
 * Resampling maths shared by both StyleGAN2 implementations (rosinality `op/upfirdn2d.py` + `model.py` Blur and
 * Upsample; NVIDIA `torch_utils/ops/upfirdn2d.py` + `conv2d_resample.py`), expressed as plain ONNX convs:
 *
 * - the FIR filter is the outer product of the 1-D kernel, normalised to sum 1, times up² (gain 4 for ×2);
 * - upfirdn2d correlates with the FLIPPED filter (i.e. a true convolution), so a Conv weight is the flipped filter
 *   and a ConvTranspose weight (which convolves by construction) is the filter as is;
 * - pads follow the references exactly (see blurPads / upsamplePads).
 */

/** 2-D FIR filter [k, k] from a 1-D kernel: outer product, normalised to sum 1, times `gain`. */
export function fir2d(kernel1d: readonly number[], gain: number): Float64Array {
  const k = kernel1d.length;
  const out = new Float64Array(k * k);
  let sum = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sum += kernel1d[i]! * kernel1d[j]!;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = (kernel1d[i]! * kernel1d[j]! * gain) / sum;
  return out;
}

/** Flips a [k, k] filter in both axes. */
export function flip2d(f: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = f[(k - 1 - i) * k + (k - 1 - j)]!;
  return out;
}

/**
 * Pads (before, after) of the blur that follows the stride-2 transposed conv of an up-sampling modulated conv:
 * rosinality `p = (len(kernel) − 2) − (k − 1)`, pad0 = (p+1)//2 + 1, pad1 = p//2 + 1 (NVIDIA's conv2d_resample
 * arrives at the same numbers for the 3×3 / [1,3,3,1] case). Output side = 2·n.
 */
export function blurPads(kernelLen: number, convKernel: number): [number, number] {
  const p = kernelLen - 2 - (convKernel - 1);
  return [Math.floor((p + 1) / 2) + 1, Math.floor(p / 2) + 1];
}

/**
 * Pads (before, after) of upfirdn2d's ×2 up-sampling of the skip image: pad0 = (len+1)//2, pad1 = (len−2)//2
 * (rosinality Upsample; NVIDIA upsample2d). Returned as the pads of the equivalent stride-2 ConvTranspose:
 * begin = len − 1 − pad0, end = len − 2 − pad1 (derived by matching indices of both definitions).
 */
export function upsampleConvTransposePads(kernelLen: number): [number, number] {
  const pad0 = Math.floor((kernelLen + 1) / 2);
  const pad1 = Math.floor((kernelLen - 2) / 2);
  return [kernelLen - 1 - pad0, kernelLen - 2 - pad1];
}

/** Index into a source axis of length n for a widened axis position, periodic or mirrored (period 2n). */
function widenIndex(j: number, n: number, mode: 'mirror' | 'tile'): number {
  if (mode === 'tile') return ((j % n) + n) % n;
  const p = ((j % (2 * n)) + 2 * n) % (2 * n);
  return p < n ? p : 2 * n - 1 - p;
}

/**
 * Widens a [C, h0, w0] (or [h0, w0] with C = 1) map to [C, h, w], the original centred and the rest filled with
 * mirrored or repeated copies, so the fully convolutional network paints a wider picture.
 */
export function widenMap(data: Float32Array, c: number, h0: number, w0: number, h: number, w: number, mode: 'mirror' | 'tile'): Float32Array {
  if (h === h0 && w === w0) return data;
  const offY = Math.floor((h - h0) / 2);
  const offX = Math.floor((w - w0) / 2);
  const out = new Float32Array(c * h * w);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      const sy = widenIndex(y - offY, h0, mode);
      for (let x = 0; x < w; x++) {
        const sx = widenIndex(x - offX, w0, mode);
        out[(ch * h + y) * w + x] = data[(ch * h0 + sy) * w0 + sx]!;
      }
    }
  }
  return out;
}
