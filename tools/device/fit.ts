/**
 * Fill-fit of an RGBA picture to an output size (scale to cover, crop the centre), bilinear: the kit's stand-in
 * for the render path's resize, so a 256² or 1024² model is timed producing 1920×1080 frames. The sample
 * positions and weights are computed once per size pair; per frame only the blend runs. Hand-written: a resize
 * that writes into a preallocated frame, with no allocation per frame, is a dozen lines.
 */

export type FitFn = (src: Uint8Array, dst: Uint8Array) => void;

interface Axis {
  i0: Int32Array;
  i1: Int32Array;
  w: Float32Array;
}

/** Source sample positions for each output index along one axis (pixel centres aligned, clamped at edges). */
function axis(srcLen: number, dstLen: number, scale: number): Axis {
  const i0 = new Int32Array(dstLen);
  const i1 = new Int32Array(dstLen);
  const w = new Float32Array(dstLen);
  // The covered span is dstLen/scale source pixels, centred.
  const offset = (srcLen - dstLen / scale) / 2;
  for (let d = 0; d < dstLen; d++) {
    const s = Math.min(srcLen - 1, Math.max(0, offset + (d + 0.5) / scale - 0.5));
    const f = Math.floor(s);
    i0[d] = f;
    i1[d] = Math.min(srcLen - 1, f + 1);
    w[d] = s - f;
  }
  return { i0, i1, w };
}

export function makeFill(srcW: number, srcH: number, dstW: number, dstH: number): FitFn {
  const scale = Math.max(dstW / srcW, dstH / srcH);
  const xs = axis(srcW, dstW, scale);
  const ys = axis(srcH, dstH, scale);
  // 8-bit fixed-point weights: integer blends, one pass per output pixel with the four channels unrolled.
  const wx = Uint16Array.from(xs.w, (w) => Math.round(w * 256));
  const wy = Uint16Array.from(ys.w, (w) => Math.round(w * 256));
  const c0s = Int32Array.from(xs.i0, (i) => i * 4);
  const c1s = Int32Array.from(xs.i1, (i) => i * 4);
  return (src, dst) => {
    if (src.length < srcW * srcH * 4 || dst.length < dstW * dstH * 4) throw new RangeError(`fit: ${srcW}×${srcH} → ${dstW}×${dstH} needs larger buffers`);
    for (let y = 0; y < dstH; y++) {
      const r0 = ys.i0[y]! * srcW * 4;
      const r1 = ys.i1[y]! * srcW * 4;
      const b = wy[y]!;
      const a = 256 - b;
      let o = y * dstW * 4;
      for (let x = 0; x < dstW; x++) {
        const p00 = r0 + c0s[x]!;
        const p01 = r0 + c1s[x]!;
        const p10 = r1 + c0s[x]!;
        const p11 = r1 + c1s[x]!;
        const d = wx[x]!;
        const e = 256 - d;
        // (top·a + bottom·b) / 65536 with rounding; top and bottom are the row blends ×256.
        dst[o] = ((src[p00]! * e + src[p01]! * d) * a + (src[p10]! * e + src[p11]! * d) * b + 32768) >>> 16;
        dst[o + 1] = ((src[p00 + 1]! * e + src[p01 + 1]! * d) * a + (src[p10 + 1]! * e + src[p11 + 1]! * d) * b + 32768) >>> 16;
        dst[o + 2] = ((src[p00 + 2]! * e + src[p01 + 2]! * d) * a + (src[p10 + 2]! * e + src[p11 + 2]! * d) * b + 32768) >>> 16;
        dst[o + 3] = ((src[p00 + 3]! * e + src[p01 + 3]! * d) * a + (src[p10 + 3]! * e + src[p11 + 3]! * d) * b + 32768) >>> 16;
        o += 4;
      }
    }
  };
}
