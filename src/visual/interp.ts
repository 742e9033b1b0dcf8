/**
 * Interpolation through latents as coefficients: every technique here (slerp, spline, weighted means, pulls,
 * crossfades) is a linear combination of bank vectors, so the mapper composes coefficients per frame and touches
 * the wDim-long vectors only once, in the final sum (latentMix.ts).
 */

/** Angle between a − c and b − c (slerp is taken around the truncation centre c = w_avg). */
export function angleAround(a: Float32Array, b: Float32Array, c: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const u = a[i]! - c[i]!;
    const v = b[i]! - c[i]!;
    dot += u * v;
    na += u * u;
    nb += v * v;
  }
  const den = Math.sqrt(na * nb);
  if (den === 0) return 0;
  return Math.acos(Math.max(-1, Math.min(1, dot / den)));
}

/** Slerp coefficients (ca for a, cb for b; the centre gets 1 − ca − cb). Falls back to lerp for tiny angles. */
export function slerpCoefs(omega: number, t: number, out: Float64Array): void {
  const s = Math.sin(omega);
  if (s < 1e-6) {
    out[0] = 1 - t;
    out[1] = t;
    return;
  }
  out[0] = Math.sin((1 - t) * omega) / s;
  out[1] = Math.sin(t * omega) / s;
}

/** Uniform Catmull-Rom weights of P0..P3 for the segment P1 → P2 at t (they sum to 1). */
export function catmullRomCoefs(t: number, out: Float64Array): void {
  const t2 = t * t;
  const t3 = t2 * t;
  out[0] = 0.5 * (-t3 + 2 * t2 - t);
  out[1] = 0.5 * (3 * t3 - 5 * t2 + 2);
  out[2] = 0.5 * (-3 * t3 + 4 * t2 + t);
  out[3] = 0.5 * (t3 - t2);
}

export function smoothstep01(x: number): number {
  const v = x < 0 ? 0 : x > 1 ? 1 : x;
  return v * v * (3 - 2 * v);
}
