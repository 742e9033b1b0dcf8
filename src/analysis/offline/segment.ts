/**
 * Structural segmentation of a whole track, offline: laplacian segmentation after McFee & Ellis, "Analyzing song
 * structure with spectral clustering" (ISMIR 2014).
 *
 *  1. Beat-synchronous features: the per-hop Features averaged over each beat of a global beat grid. Two views:
 *     `rep` (harmony and texture: chord and bass chroma, plus standardised band energies) for repetition, and
 *     `local` (timbre/energy: log band energies, RMS, onset envelopes) for local continuity — the paper uses CQT
 *     and MFCC; these are their counterparts in our analysis.
 *  2. Recurrence R: mutual k-nearest neighbours in `rep` (k = 1 + ⌈2·log2 n⌉), no links within `width` beats,
 *     enhanced by a windowed majority vote along the diagonals (median filter in time-lag), and weighted by a
 *     Gaussian of the feature distance (bandwidth: the median linked distance).
 *  3. Path graph Δ: each beat linked to its neighbours with weight exp(−‖local_i − local_{i+1}‖²/σ²).
 *  4. A = μ·R + (1 − μ)·Δ, with μ = ⟨d_Δ, d_Δ + d_R⟩ / ‖d_Δ + d_R‖² so that both contribute equally to the degrees.
 *  5. Normalised Laplacian L = I − D^{-1/2} A D^{-1/2}; its first k eigenvectors, each row normalised, are
 *     clustered by k-means; labels per beat; a section boundary where the label changes.
 * k is picked by the largest eigengap among the first `maxSections` eigenvalues (at least 2); segments shorter
 * than `minSectionBeats` join the neighbour they are most like.
 */
import type { Features } from '../types.js';
import { symmetricEigen } from '../../math/eigen.js';

export interface SegmentOptions {
  /** Most sections labels (k). Default 6. */
  maxSections?: number;
  /** Fewest sections labels; default 2. */
  minSections?: number;
  /** Shortest section, beats. Default 8 (two bars of 4/4). */
  minSectionBeats?: number;
  /** Recurrence links closer than this many beats are ignored (they are the path's job). Default 3. */
  width?: number;
  /** Majority-vote window along the diagonals, beats (odd). Default 7. */
  voteBeats?: number;
  /** Beats per bar of the grid (for the boundary snap). Default 4. */
  beatsPerBar?: number;
}

export interface Section {
  startS: number;
  endS: number;
  /** Cluster label: equal labels are repetitions of the same material (A B A …). */
  label: number;
}

export interface Segmentation {
  /** The beat grid used (s). */
  beatsS: number[];
  bpm: number;
  /** Label per beat. */
  labels: number[];
  /** Section starts after the first (s). */
  boundariesS: number[];
  sections: Section[];
  k: number;
}

const DEFAULTS: Required<SegmentOptions> = { maxSections: 6, minSections: 2, minSectionBeats: 8, width: 3, voteBeats: 7, beatsPerBar: 4 };

const median = (xs: number[]): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * A global beat grid: the median tempo of the confident hops, phased by the circular mean of the beat events'
 * times (the whole file is known, so the grid ignores the tracker's start-up); a 120 BPM grid without tempo.
 */
export function beatGrid(features: readonly Features[], durationS: number): { beatsS: number[]; bpm: number } {
  const confident = features.filter((f) => f.tempo.confidence >= 0.3 && f.tempo.bpm > 0).map((f) => f.tempo.bpm);
  const bpm = confident.length > 0 ? median(confident) : 120;
  const beatS = 60 / bpm;
  let sx = 0;
  let sy = 0;
  for (const f of features) {
    if (!f.events.includes('beat')) continue;
    const a = (2 * Math.PI * f.t) / beatS;
    sx += Math.cos(a);
    sy += Math.sin(a);
  }
  const phaseS = sx === 0 && sy === 0 ? 0 : ((Math.atan2(sy, sx) / (2 * Math.PI)) * beatS + beatS) % beatS;
  const beatsS: number[] = [];
  for (let t = phaseS; t < durationS; t += beatS) beatsS.push(t);
  if (beatsS.length === 0 || beatsS[0]! > 1e-9) beatsS.unshift(0);
  return { beatsS, bpm };
}

const REP_DIM = 12 + 12 + 4;
const LOCAL_DIM = 8;

/** Beat-synchronous views of the hop features: the mean of each beat interval [b_i, b_{i+1}). */
export function beatSync(features: readonly Features[], beatsS: readonly number[], durationS: number): { rep: Float64Array[]; local: Float64Array[] } {
  const n = beatsS.length;
  const rep = Array.from({ length: n }, () => new Float64Array(REP_DIM));
  const local = Array.from({ length: n }, () => new Float64Array(LOCAL_DIM));
  const count = new Float64Array(n);
  let b = 0;
  const db = (x: number): number => 10 * Math.log10(x * x + 1e-6);
  for (const f of features) {
    while (b + 1 < n && f.t >= beatsS[b + 1]!) b++;
    if (f.t > durationS) break;
    const r = rep[b]!;
    for (let i = 0; i < 12; i++) {
      r[i]! += f.chroma[i] ?? 0;
      r[12 + i]! += f.bassChroma[i] ?? 0;
    }
    const lo = db(f.bandRms.low);
    const mid = db(f.bandRms.mid);
    const hi = db(f.bandRms.high);
    const rms = db(f.rms);
    r[24]! += lo;
    r[25]! += mid;
    r[26]! += hi;
    r[27]! += rms;
    const l = local[b]!;
    l[0]! += lo;
    l[1]! += mid;
    l[2]! += hi;
    l[3]! += rms;
    l[4]! += f.onset.all;
    l[5]! += f.onset.kick;
    l[6]! += f.onset.snare;
    l[7]! += f.onset.hats;
    count[b]! += 1;
  }
  for (let i = 0; i < n; i++) {
    const c = count[i]! || 1;
    for (let d = 0; d < REP_DIM; d++) rep[i]![d]! /= c;
    for (let d = 0; d < LOCAL_DIM; d++) local[i]![d]! /= c;
  }
  // Every dimension on one scale (z-scores over the track), so dB and 0..1 envelopes weigh alike.
  standardise(rep, 24, REP_DIM);
  standardise(local, 0, LOCAL_DIM);
  return { rep, local };
}

function standardise(rows: Float64Array[], from: number, to: number): void {
  const n = rows.length;
  if (n === 0) return;
  for (let d = from; d < to; d++) {
    let m = 0;
    for (const r of rows) m += r[d]!;
    m /= n;
    let v = 0;
    for (const r of rows) v += (r[d]! - m) ** 2;
    const sd = Math.sqrt(v / n) || 1;
    for (const r of rows) r[d] = (r[d]! - m) / sd;
  }
}

const sqDist = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s;
};

/** The combined affinity A (n×n, row-major) of steps 2–4. */
export function affinity(rep: readonly Float64Array[], local: readonly Float64Array[], o: Required<SegmentOptions>): Float64Array {
  const n = rep.length;
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) dist[i * n + j] = dist[j * n + i] = sqDist(rep[i]!, rep[j]!);
  // Mutual k-nearest neighbours outside the width band.
  const knn = Math.min(n - 1, 1 + Math.ceil(2 * Math.log2(Math.max(2, n))));
  const near = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) {
    const cand: number[] = [];
    for (let j = 0; j < n; j++) if (Math.abs(i - j) >= o.width) cand.push(j);
    cand.sort((a, b) => dist[i * n + a]! - dist[i * n + b]! || a - b);
    for (const j of cand.slice(0, knn)) near[i * n + j] = 1;
  }
  const rec = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) rec[i * n + j] = near[i * n + j]! & near[j * n + i]!;
  // Majority vote along each diagonal (repetitions are diagonal stripes; isolated links are noise).
  const half = o.voteBeats >> 1;
  const voted = new Float64Array(n * n);
  const linked: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (Math.abs(i - j) < o.width) continue;
      let on = 0;
      let all = 0;
      for (let d = -half; d <= half; d++) {
        const a = i + d;
        const b = j + d;
        if (a < 0 || b < 0 || a >= n || b >= n) continue;
        all++;
        on += rec[a * n + b]!;
      }
      if (2 * on > all) {
        voted[i * n + j] = 1;
        linked.push(dist[i * n + j]!);
      }
    }
  }
  const sigmaRep = median(linked) || 1;
  for (let i = 0; i < n * n; i++) if (voted[i]) voted[i] = Math.exp(-dist[i]! / sigmaRep);
  // Path graph from the local (timbre/energy) view.
  const steps: number[] = [];
  for (let i = 0; i + 1 < n; i++) steps.push(sqDist(local[i]!, local[i + 1]!));
  const sigmaPath = median(steps) || 1;
  const path = new Float64Array(n * n);
  for (let i = 0; i + 1 < n; i++) path[i * n + i + 1] = path[(i + 1) * n + i] = Math.exp(-steps[i]! / sigmaPath);
  // Balance: μ so that the recurrence and the path contribute equally to the degrees.
  const dRec = new Float64Array(n);
  const dPath = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      dRec[i]! += voted[i * n + j]!;
      dPath[i]! += path[i * n + j]!;
    }
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += dPath[i]! * (dPath[i]! + dRec[i]!);
    den += (dPath[i]! + dRec[i]!) ** 2;
  }
  const mu = den > 0 ? num / den : 0.5;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) A[i] = mu * voted[i]! + (1 - mu) * path[i]!;
  return A;
}

/** Seeded k-means (k-means++ starts, several restarts, the lowest inertia wins): deterministic. */
export function kMeans(rows: readonly Float64Array[], k: number, restarts = 8, seed = 1): number[] {
  let s = seed >>> 0 || 1;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const n = rows.length;
  let best: number[] = new Array<number>(n).fill(0);
  let bestInertia = Infinity;
  for (let r = 0; r < restarts; r++) {
    const centres: Float64Array[] = [Float64Array.from(rows[Math.floor(rnd() * n)]!)];
    while (centres.length < k) {
      const d = rows.map((x) => Math.min(...centres.map((c) => sqDist(x, c))));
      const total = d.reduce((a, b) => a + b, 0);
      let pick = rnd() * total;
      let idx = 0;
      while (idx < n - 1 && pick > d[idx]!) pick -= d[idx++]!;
      centres.push(Float64Array.from(rows[idx]!));
    }
    const labels = new Array<number>(n).fill(0);
    for (let it = 0; it < 100; it++) {
      let moved = false;
      for (let i = 0; i < n; i++) {
        let bi = 0;
        let bd = Infinity;
        centres.forEach((c, ci) => {
          const dd = sqDist(rows[i]!, c);
          if (dd < bd) {
            bd = dd;
            bi = ci;
          }
        });
        if (labels[i] !== bi) {
          labels[i] = bi;
          moved = true;
        }
      }
      for (let ci = 0; ci < k; ci++) {
        const members = rows.filter((_, i) => labels[i] === ci);
        if (members.length === 0) continue;
        const c = new Float64Array(rows[0]!.length);
        for (const m of members) for (let d = 0; d < c.length; d++) c[d]! += m[d]!;
        for (let d = 0; d < c.length; d++) c[d]! /= members.length;
        centres[ci] = c;
      }
      if (!moved && it > 0) break;
    }
    let inertia = 0;
    for (let i = 0; i < n; i++) inertia += sqDist(rows[i]!, centres[labels[i]!]!);
    if (inertia < bestInertia - 1e-12) {
      bestInertia = inertia;
      best = labels;
    }
  }
  // Labels in order of first appearance (A = 0, B = 1, …).
  const rename = new Map<number, number>();
  return best.map((l) => {
    if (!rename.has(l)) rename.set(l, rename.size);
    return rename.get(l)!;
  });
}

/** Laplacian segmentation of a whole track's hop features. */
export function segmentTrack(features: readonly Features[], durationS: number, options: SegmentOptions = {}): Segmentation {
  const o = { ...DEFAULTS, ...options };
  const { beatsS, bpm } = beatGrid(features, durationS);
  const n = beatsS.length;
  if (n < 2 * o.minSectionBeats) return { beatsS, bpm, labels: new Array<number>(n).fill(0), boundariesS: [], sections: [{ startS: 0, endS: durationS, label: 0 }], k: 1 };
  const { rep, local } = beatSync(features, beatsS, durationS);
  const A = affinity(rep, local, o);
  // Normalised Laplacian.
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) deg[i]! += A[i * n + j]!;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const w = deg[i]! > 0 && deg[j]! > 0 ? A[i * n + j]! / Math.sqrt(deg[i]! * deg[j]!) : 0;
      L[i * n + j] = (i === j ? 1 : 0) - w;
    }
  }
  const { values, vectors } = symmetricEigen(L, n);
  // k by the largest eigengap λ_{k+1} − λ_k.
  let k = o.minSections;
  let gap = -Infinity;
  for (let c = o.minSections; c <= Math.min(o.maxSections, n - 1); c++) {
    const g = values[c]! - values[c - 1]!;
    if (g > gap + 1e-12) {
      gap = g;
      k = c;
    }
  }
  const rows = Array.from({ length: n }, (_, i) => {
    const r = new Float64Array(k);
    let norm = 0;
    for (let c = 0; c < k; c++) {
      r[c] = vectors[i * n + c]!;
      norm += r[c]! * r[c]!;
    }
    norm = Math.sqrt(norm) || 1;
    for (let c = 0; c < k; c++) r[c]! /= norm;
    return r;
  });
  const labels = mergeShort(kMeans(rows, k), rep, o.minSectionBeats);
  const boundaryBeats: number[] = [];
  for (let i = 1; i < n; i++) if (labels[i] !== labels[i - 1]) boundaryBeats.push(i);
  const boundariesS = boundaryBeats.map((i) => beatsS[i]!);
  const starts = [0, ...boundaryBeats];
  const sections = starts.map((b, i) => ({ startS: i === 0 ? 0 : beatsS[b]!, endS: i + 1 < starts.length ? beatsS[starts[i + 1]!]! : durationS, label: labels[b]! }));
  return { beatsS, bpm, labels, boundariesS, sections, k };
}

/** Runs shorter than `minBeats` take the label of the neighbouring run whose mean features are closest. */
function mergeShort(labels: number[], rep: readonly Float64Array[], minBeats: number): number[] {
  const out = [...labels];
  for (let pass = 0; pass < labels.length; pass++) {
    const runs: Array<{ start: number; end: number }> = [];
    for (let i = 0; i < out.length; i++) {
      if (i === 0 || out[i] !== out[i - 1]) runs.push({ start: i, end: i + 1 });
      else runs[runs.length - 1]!.end = i + 1;
    }
    const short = runs.findIndex((r) => r.end - r.start < minBeats);
    if (short < 0 || runs.length === 1) break;
    // Shortest first, so a one-beat blip goes before a real short section.
    let si = short;
    for (let i = 0; i < runs.length; i++) if (runs[i]!.end - runs[i]!.start < runs[si]!.end - runs[si]!.start) si = i;
    const r = runs[si]!;
    const mean = (a: number, b: number): Float64Array => {
      const m = new Float64Array(rep[0]!.length);
      for (let i = a; i < b; i++) for (let d = 0; d < m.length; d++) m[d]! += rep[i]![d]! / (b - a);
      return m;
    };
    const self = mean(r.start, r.end);
    const prev = si > 0 ? runs[si - 1]! : null;
    const next = si + 1 < runs.length ? runs[si + 1]! : null;
    const dPrev = prev ? sqDist(self, mean(prev.start, prev.end)) : Infinity;
    const dNext = next ? sqDist(self, mean(next.start, next.end)) : Infinity;
    const to = dPrev <= dNext ? out[prev!.start]! : out[next!.start]!;
    for (let i = r.start; i < r.end; i++) out[i] = to;
  }
  return out;
}
