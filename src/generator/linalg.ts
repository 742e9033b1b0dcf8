/**
 * The little dense linear algebra the latent directions need, in float64: covariance of samples, and the
 * leading eigenvectors of a symmetric matrix by subspace iteration with a final Rayleigh–Ritz step (Golub & Van
 * Loan §8.2). Hand-written: no maintained npm package does symmetric eigenproblems of 512² without pulling in a
 * large numeric stack, and the sizes here (wDim ≤ 1024, k ≤ 64) take well under a second.
 */
import { symmetricEigen } from '../math/eigen.js';

/** Mean [d] and covariance [d × d] (divided by n − 1) of n samples [n × d]. */
export function covariance(samples: Float32Array, n: number, d: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(d);
  for (let s = 0; s < n; s++) for (let i = 0; i < d; i++) mean[i]! += samples[s * d + i]!;
  for (let i = 0; i < d; i++) mean[i]! /= n;
  const cov = new Float64Array(d * d);
  const x = new Float64Array(d);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < d; i++) x[i] = samples[s * d + i]! - mean[i]!;
    // Upper triangle only; mirrored below.
    for (let i = 0; i < d; i++) {
      const xi = x[i]!;
      const row = i * d;
      for (let j = i; j < d; j++) cov[row + j]! += xi * x[j]!;
    }
  }
  const norm = 1 / Math.max(1, n - 1);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = cov[i * d + j]! * norm;
      cov[i * d + j] = v;
      cov[j * d + i] = v;
    }
  }
  return { mean, cov };
}

/** Orthonormalises the p columns of V [n × p] (column-major blocks of n) in place by modified Gram–Schmidt. */
function orthonormalise(V: Float64Array, n: number, p: number): void {
  let restarts = 0;
  for (let c = 0; c < p; c++) {
    const col = c * n;
    for (let pass = 0; pass < 2; pass++) {
      for (let b = 0; b < c; b++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += V[col + i]! * V[b * n + i]!;
        for (let i = 0; i < n; i++) V[col + i]! -= dot * V[b * n + i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += V[col + i]! ** 2;
    norm = Math.sqrt(norm);
    if (norm < 1e-300) {
      // A degenerate column: restart it from a unit vector (the space is rank-deficient there).
      if (++restarts > 4 * n) throw new Error('orthonormalise: more columns than the space has dimensions');
      V.fill(0, col, col + n);
      V[col + ((c + restarts) % n)] = 1;
      c--;
      continue;
    }
    for (let i = 0; i < n; i++) V[col + i]! /= norm;
  }
}

/** Y = A·V for symmetric A [n × n] and V [n × p] (column blocks). */
function multiply(A: Float64Array, V: Float64Array, n: number, p: number, Y: Float64Array): void {
  Y.fill(0);
  for (let c = 0; c < p; c++) {
    const col = c * n;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let s = 0;
      for (let j = 0; j < n; j++) s += A[row + j]! * V[col + j]!;
      Y[col + i] = s;
    }
  }
}

/**
 * The k leading eigenpairs of a symmetric positive semi-definite A [n × n], largest first: vectors [k][n]
 * orthonormal, values descending.
 */
export function topEigen(A: Float64Array, n: number, k: number, iterations = 150, seed = 1): { values: number[]; vectors: Float64Array[] } {
  const kk = Math.min(k, n);
  const p = Math.min(n, kk + 8);
  const V = new Float64Array(n * p);
  // A deterministic start (a simple LCG): results do not depend on the run.
  let state = seed >>> 0;
  for (let i = 0; i < V.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    V[i] = state / 4294967296 - 0.5;
  }
  orthonormalise(V, n, p);
  const Y = new Float64Array(n * p);
  for (let it = 0; it < iterations; it++) {
    multiply(A, V, n, p, Y);
    V.set(Y);
    orthonormalise(V, n, p);
  }
  // Rayleigh–Ritz: the small matrix Vᵀ A V, its eigenvectors rotate V into eigenvector estimates.
  multiply(A, V, n, p, Y);
  const S = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += V[a * n + i]! * Y[b * n + i]!;
      S[a * p + b] = s;
    }
  }
  for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) S[a * p + b] = S[b * p + a] = (S[a * p + b]! + S[b * p + a]!) / 2;
  const { values, vectors: Q } = symmetricEigen(S, p);
  const order = Array.from({ length: p }, (_, i) => i).sort((a, b) => values[b]! - values[a]!);
  const vectors: Float64Array[] = [];
  const vals: number[] = [];
  for (const o of order.slice(0, kk)) {
    const v = new Float64Array(n);
    for (let b = 0; b < p; b++) {
      const q = Q[b * p + o]!;
      for (let i = 0; i < n; i++) v[i]! += q * V[b * n + i]!;
    }
    // A sign convention, so the same model always gives the same direction: the largest entry positive.
    let big = 0;
    for (let i = 1; i < n; i++) if (Math.abs(v[i]!) > Math.abs(v[big]!)) big = i;
    if (v[big]! < 0) for (let i = 0; i < n; i++) v[i] = -v[i]!;
    vectors.push(v);
    vals.push(values[o]!);
  }
  return { values: vals, vectors };
}
