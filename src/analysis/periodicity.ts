/**
 * The beat period of a leaky autocorrelation of the onset envelope (acf[lag], lag in hops). Each candidate period p
 * (the search range in 0.1-hop steps) is scored with the multiples of p (Ellis 2007, "TPS2" extended to four
 * multiples):
 *   S(p) = prior(p) · Σₖ wₖ·acf(k·p),  w = 1, ½, ⅓, ¼,
 * with a log-normal tempo prior centred at `priorBpm` (one octave σ). Multiples settle half/double time: the true
 * beat period explains acf peaks at p, 2p, 3p, 4p, while double the period misses p and half the period has a weak
 * acf(p/2). Multiples past the end of the array are left out (a short autocorrelation keeps fewer lags).
 */

/** The range searched (periods in hops) and the prior, with the prior's weight per grid step computed once. */
export interface PeriodSearch {
  pMin: number;
  pMax: number;
  hopRateHz: number;
  priorBpm: number;
  /** prior(pMin + i·STEP): the search runs every ~100 ms, twice, and a log and an exp per candidate add up. */
  priorGrid: Float64Array;
}

/** Grid step of the search (hops). */
const STEP = 0.1;

export function periodSearch(pMin: number, pMax: number, hopRateHz: number, priorBpm: number): PeriodSearch {
  const priorGrid = new Float64Array(Math.floor((pMax - pMin) / STEP + 1e-9) + 1);
  const search = { pMin, pMax, hopRateHz, priorBpm, priorGrid };
  for (let i = 0; i < priorGrid.length; i++) priorGrid[i] = prior(pMin + i * STEP, search);
  return search;
}

function prior(p: number, search: Omit<PeriodSearch, 'priorGrid'>): number {
  const octaves = Math.log2((60 * search.hopRateHz) / p / search.priorBpm);
  return Math.exp(-0.5 * octaves * octaves);
}

/** acf(p/2)/acf(p) above which the faster pulse is the beat (0.5–0.8 all give the same results on our patterns). */
const HALF_RATIO = 0.65;

/** acf at a fractional lag (linear interpolation); 0 past its end. */
export function acfAt(acf: Float64Array, lag: number): number {
  const i = Math.floor(lag);
  if (i + 2 > acf.length) return 0;
  const f = lag - i;
  return acf[i]! * (1 - f) + acf[i + 1]! * f;
}

/** Σₖ acf(k·p)/k over the multiples in range, without the prior. */
function multiples(acf: Float64Array, p: number): number {
  let s = 0;
  for (let m = 1; m <= 4; m++) {
    const lag = m * p;
    if (lag + 2 > acf.length) break;
    s += acfAt(acf, lag) / m;
  }
  return s;
}

/**
 * The best beat period: the best score, refined parabolically, halved when half of it is itself strongly periodic,
 * and pinned to a quarter hop by the peak near its largest multiple in range. `fallback` when nothing scores.
 */
export function bestPeriod(acf: Float64Array, search: PeriodSearch, fallback: number): number {
  let best = -Infinity;
  let bestP = fallback;
  const grid = search.priorGrid;
  for (let i = 0; i < grid.length; i++) {
    const p = search.pMin + i * STEP;
    const s = multiples(acf, p) * grid[i]!;
    if (s > best) {
      best = s;
      bestP = p;
    }
  }
  const sl = multiples(acf, bestP - STEP) * prior(bestP - STEP, search);
  const sr = multiples(acf, bestP + STEP) * prior(bestP + STEP, search);
  const den = sl - 2 * best + sr;
  if (den < 0) bestP += (0.5 * STEP * (sl - sr)) / den;
  // Half/double: when half the period is itself strongly periodic (acf(p/2) close to acf(p)), the beat is the
  // faster pulse (drum & bass at 174 rather than 87): alternating kick and snare both land on beats. A weak
  // acf(p/2) (only hats between the beats, as at 90 BPM) keeps p.
  if (bestP / 2 >= search.pMin && acfAt(acf, bestP / 2) >= HALF_RATIO * acfAt(acf, bestP)) bestP /= 2;
  return refineWithMultiple(acf, bestP);
}

/**
 * How far the period's autocorrelation stands above the average over all candidate lags, against the zero-lag
 * energy, 0..1. Periodic drums → near 1; noise (whose best lag is only the luckiest) → near 0.
 */
export function periodConfidence(acf: Float64Array, p: number, search: PeriodSearch): number {
  let meanAcf = 0;
  let count = 0;
  for (let lag = Math.floor(search.pMin); lag <= Math.ceil(search.pMax); lag++) {
    meanAcf += acf[lag]!;
    count++;
  }
  meanAcf /= count;
  return Math.max(0, Math.min(1, (2 * (acfAt(acf, p) - meanAcf)) / acf[0]!));
}

/** Searches the acf around m·p for the largest multiple m ≤ 4 in range and returns peak/m. */
function refineWithMultiple(acf: Float64Array, p: number): number {
  const lags = acf.length - 1;
  let m = 4;
  while (m > 1 && m * p + 2 > lags) m--;
  const centre = m * p;
  const lo = Math.max(1, Math.floor(centre - 0.03 * centre));
  const hi = Math.min(lags - 1, Math.ceil(centre + 0.03 * centre));
  let best = lo;
  for (let lag = lo; lag <= hi; lag++) if (acf[lag]! > acf[best]!) best = lag;
  if (best <= lo || best >= hi) return p;
  const a = acf[best - 1]!;
  const b = acf[best]!;
  const c = acf[best + 1]!;
  const den = a - 2 * b + c;
  const delta = den < 0 ? (0.5 * (a - c)) / den : 0;
  return (best + delta) / m;
}

/**
 * The octave of `p` (p/2, p or 2p, within the search range) whose tempo lies nearest the prior's centre. Drumless
 * music's strongest pulse is its bass notes and chord changes (half notes, whole bars) or its arpeggios (eighths):
 * the tempo up to an octave, which only the prior can choose among.
 */
export function octaveNearPrior(p: number, search: PeriodSearch): number {
  let best = p;
  for (const q of [p / 2, 2 * p]) if (q >= search.pMin && q <= search.pMax && prior(q, search) > prior(best, search)) best = q;
  return best;
}

/**
 * A period `ratio` times another is another tempo: not the same one, nor another level of it, nor 3:2 of it (a dotted
 * figure a short memory flickers to, as a half-time groove's syncopated kick makes it: a DJ seldom mixes tracks a
 * fifth of an octave apart).
 */
export function isOtherTempo(ratio: number): boolean {
  return (
    Math.abs(ratio - 1) >= 0.04 &&
    Math.abs(ratio - 2) >= 0.1 &&
    Math.abs(ratio - 0.5) >= 0.03 &&
    Math.abs(ratio - 1.5) >= 0.05 &&
    Math.abs(ratio - 2 / 3) >= 0.03
  );
}
