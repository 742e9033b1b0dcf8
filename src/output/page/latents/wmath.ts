/** W arithmetic of the /latents page: blends, direction steps, nudges, truncation, all on plain number arrays. */

export function lerp(a: readonly number[], b: readonly number[], t: number): number[] {
  return a.map((x, i) => x + t * (b[i]! - x));
}

/** w + Σ amount_k·σ_k·v_k over the given steps. */
export function stepAlong(w: readonly number[], steps: ReadonlyArray<{ amount: number; sigma: number; vector: readonly number[] }>): number[] {
  const out = w.slice();
  for (const s of steps) {
    if (s.amount === 0) continue;
    const k = s.amount * s.sigma;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + k * s.vector[i]!;
  }
  return out;
}

/** A normal draw (Box–Muller on Math.random: a nudge is meant to be a surprise, not reproducible). */
export function gaussian(): number {
  const u = 1 - Math.random();
  const v = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** NVIDIA's truncation: w_avg + ψ·(w − w_avg). */
export function truncate(w: readonly number[], wAvg: readonly number[], psi: number): number[] {
  return psi === 1 ? w.slice() : w.map((x, i) => wAvg[i]! + psi * (x - wAvg[i]!));
}
