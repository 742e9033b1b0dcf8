/**
 * Scoring the analysis against ground truth the way the field does (MIREX conventions): onsets ±50 ms and beats
 * ±70 ms F-measure with one-to-one matching, chroma frame accuracy, tempo settling time. Used by the tests (which
 * assert) and by tools/eval-analysis.ts (which prints every figure).
 */
import type { AnalysisConfig } from './config.js';
import { analysisConfigSchema } from './config.js';
import { audioConfigSchema } from '../audio/config.js';
import { FeatureExtractor } from './extractor.js';
import { argmax } from './chroma.js';
import type { FeatureEvent, Features } from './types.js';

/** Runs the extractor over a whole mono or multichannel signal in blocks of `blockSize` (synchronously). */
export function analyseSignal(
  channels: Float32Array[],
  sampleRate: number,
  cfg: AnalysisConfig = analysisConfigSchema.parse({}),
  blockSize = audioConfigSchema.parse({}).blockSize,
): Features[] {
  const ex = new FeatureExtractor(cfg, sampleRate);
  const out: Features[] = [];
  const emit = (f: Features): void => {
    out.push(f);
  };
  const n = channels[0]?.length ?? 0;
  for (let i = 0; i < n; i += blockSize) {
    const end = Math.min(n, i + blockSize);
    ex.push(
      channels.map((c) => c.subarray(i, end)),
      emit,
    );
  }
  ex.flush(emit);
  return out;
}

export function eventTimes(features: Features[], event: FeatureEvent): number[] {
  const t: number[] = [];
  for (const f of features) if (f.events.includes(event)) t.push(f.t);
  return t;
}

export interface FScore {
  f: number;
  precision: number;
  recall: number;
  matched: number;
  detected: number;
  truth: number;
  /** detected − true time of each match, s. */
  deltas: number[];
}

/**
 * One-to-one matching within ±tol (greedy over time-sorted lists: with tolerances smaller than half the spacing
 * between true events, as here, it equals the optimal bipartite matching). `from`/`to` restrict both lists.
 */
export function fMeasure(detected: number[], truth: number[], tolS: number, from = -Infinity, to = Infinity): FScore {
  const d = detected.filter((t) => t >= from && t < to).sort((a, b) => a - b);
  const g = truth.filter((t) => t >= from && t < to).sort((a, b) => a - b);
  const used = new Uint8Array(d.length);
  const deltas: number[] = [];
  let j0 = 0;
  for (const t of g) {
    while (j0 < d.length && d[j0]! < t - tolS) j0++;
    let best = -1;
    for (let j = j0; j < d.length && d[j]! <= t + tolS; j++) {
      if (used[j]) continue;
      if (best < 0 || Math.abs(d[j]! - t) < Math.abs(d[best]! - t)) best = j;
    }
    if (best >= 0) {
      used[best] = 1;
      deltas.push(d[best]! - t);
    }
  }
  const matched = deltas.length;
  const precision = d.length ? matched / d.length : g.length ? 0 : 1;
  const recall = g.length ? matched / g.length : 1;
  const f = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { f, precision, recall, matched, detected: d.length, truth: g.length, deltas };
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

export function topK(v: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: v.length }, (_, i) => i)
    .sort((a, b) => v[b]! - v[a]! || a - b)
    .slice(0, k);
}

export { argmax };

export interface BarTruth {
  start: number;
  end: number;
  chordPcs: number[];
  bassPc: number;
}

/** Share of records inside bars (`excludeS` after each bar start left out, and before `from`) that `hit` accepts. */
function barAccuracy(
  features: Features[],
  bars: BarTruth[],
  excludeS: number,
  from: number,
  hit: (f: Features, bar: BarTruth) => boolean,
): number {
  let ok = 0;
  let n = 0;
  for (const f of features) {
    if (f.t < from) continue;
    const bar = bars.find((b) => f.t >= b.start + excludeS && f.t < b.end);
    if (!bar) continue;
    n++;
    if (hit(f, bar)) ok++;
  }
  return n ? ok / n : NaN;
}

/** Share of records (inside bars, `excludeS` after each bar start left out) whose top-3 chroma is the triad. */
export function chordAccuracy(features: Features[], bars: BarTruth[], excludeS: number, from = 0): number {
  return barAccuracy(features, bars, excludeS, from, (f, bar) => {
    const top = topK(f.chroma, 3).sort((a, b) => a - b);
    const want = [...bar.chordPcs].sort((a, b) => a - b);
    return top.every((pc, i) => pc === want[i]);
  });
}

/** Share of records (inside bars, `excludeS` after each bar start left out) whose bass chroma argmax is the bass. */
export function bassAccuracy(features: Features[], bars: BarTruth[], excludeS: number, from = 0): number {
  return barAccuracy(features, bars, excludeS, from, (f, bar) => argmax(f.bassChroma) === bar.bassPc);
}

/** First time from which the reported BPM stays within ±tol (relative) of `bpm` until the end; NaN if never. */
export function tempoSettleTime(features: Features[], bpm: number, tol = 0.02): number {
  let settled = NaN;
  for (const f of features) {
    // Before its first estimate the tracker shows a default tempo with zero confidence: that is not "settled".
    const ok = f.tempo.confidence > 0 && Math.abs(f.tempo.bpm / bpm - 1) <= tol;
    if (ok && Number.isNaN(settled)) settled = f.t;
    if (!ok) settled = NaN;
  }
  return settled;
}

/** True when any numeric field of any record is NaN or infinite. */
export function hasNonFinite(features: Features[]): boolean {
  for (const f of features) {
    const nums = [f.t, f.rms, f.rmsSlow, f.novelty, f.onset.all, f.onset.kick, f.onset.snare, f.onset.hats, f.bandRms.low, f.bandRms.mid, f.bandRms.high, f.tempo.bpm, f.tempo.beatPhase, f.tempo.barPhase, f.tempo.confidence];
    if (nums.some((x) => !Number.isFinite(x))) return true;
    for (let i = 0; i < 12; i++) if (!Number.isFinite(f.chroma[i]!) || !Number.isFinite(f.bassChroma[i]!)) return true;
  }
  return false;
}
