import type { ChordEstimate, ChordQuality } from './types.js';
import { CHORD_QUALITIES } from '../contracts/features.js';

/** Chord templates: intervals above the root. */
const TEMPLATES = CHORD_QUALITIES;
const INV_SQRT_LEN = TEMPLATES.map(([, iv]) => 1 / Math.sqrt(iv.length));
/** Weight of the bass chroma at the root: of two chords sharing three notes (Am7 / C6) the bass names the root. */
const BASS_AT_ROOT = 0.15;
/** Probabilities are kept within [PROB_FLOOR, 1 − PROB_FLOOR]: one overconfident output cannot veto a chord. */
const PROB_FLOOR = 0.02;
/** Log-odds added per unit of bass chroma at the root (of Am7 and C6, the bass names the root). */
const BASS_LOG_ODDS = 1;
/**
 * Log prior of a 7th chord against the triad it contains. The seventh of a triad's own partials (the 3rd partial
 * of its third is the major seventh: A under F major puts E there) reads as half-likely, which suggests favouring
 * triads; on the training songs' validation frames (tools/chordnet/train.ts 240 --priors, with the weights trained on
 * those 240 songs) no prior did best
 * (0.833; −0.5 gave 0.809, +0.5 0.829), so none is applied.
 */
const SEVENTH_LOG_ODDS = 0;
/**
 * A 7th's own evidence: the seventh's strongest note in the chord chroma's semitone levels (before partial
 * suppression) less what the notes below it explain there as their 3rd, 5th or 7th partial (the 3rd partial of a
 * triad's third is the seventh of the same kind: A under F major puts E a twelfth up, C under A minor puts G), as a
 * share of the loudest level. The expected partial levels are shares of the lower note's compressed level (power^0.3,
 * so a 3rd partial 10 dB down reads about half as loud). On the corpus a played seventh's evidence has a median of
 * 0.4–0.9 in most songs, a triad's phantom seventh about 0.05. A 7th chord whose seventh has less than
 * SEVENTH_EVIDENCE_AT loses SEVENTH_EVIDENCE_GAIN log-odds per unit short (at most 3): a seventh the net
 * half-believes is left when only the triad's partials put it there. Evidence above it adds nothing: the seventh of
 * one root is often a chord tone of another (C in F major is the seventh of D minor 7), and a bonus read F major as
 * Dm7 (corpus estimate 0.85 → 0.77 with one). Penalty only, on the corpus: ramp 0.78 → 0.86, pop+room 0.84 → 0.85,
 * mean unchanged (0.854); a positive 7th prior beside it raised the mean (0.862) but read more triads as 7ths
 * (ramp 0.78, backbeat-power 0.72).
 */
const PARTIAL_EXPECT: ReadonlyArray<readonly [number, number]> = [
  [19, 0.5],
  [28, 0.3],
  [34, 0.3],
];
const SEVENTH_EVIDENCE_AT = 0.15;
const SEVENTH_EVIDENCE_GAIN = 20;
/** Semitone levels are indexed from this MIDI note (the chord chroma's grid, E2). */
const LEVELS_FIRST_MIDI = 40;

/**
 * Per pitch class, the strongest level of its notes less the partials of lower notes that fall there, as a share of
 * the loudest level (see PARTIAL_EXPECT); zeros for silent levels. Writes `out` (12).
 */
export function ownEvidence(levels: ArrayLike<number>, out: Float64Array): void {
  out.fill(0);
  let max = 0;
  for (let i = 0; i < levels.length; i++) if (levels[i]! > max) max = levels[i]!;
  if (!(max > 0)) return;
  for (let m = 0; m < levels.length; m++) {
    let explained = 0;
    for (const [off, share] of PARTIAL_EXPECT) if (m >= off) explained = Math.max(explained, share * levels[m - off]!);
    const v = (levels[m]! - explained) / max;
    const pc = (LEVELS_FIRST_MIDI + m) % 12;
    if (v > out[pc]!) out[pc] = v;
  }
}

/** Below this probability for every pitch class, nothing chord-like is heard. */
const MIN_TONE_PROB = 0.3;
/** Below this cosine fit to the best template nothing chord-like is heard. */
const MIN_FIT = 0.5;

/**
 * Chord estimate by template matching (after Fujishima's PCP chord recognition): the cosine between the chroma,
 * smoothed over ≈ 0.2 s, and each binary template of 12 roots × 5 qualities, plus a bonus for the bass chroma at
 * the root. A 4-note template fits a triad at 3/√12 ≈ 0.87 and a 7th chord at 1, a triad template the reverse,
 * so 7ths are told from triads by whether the seventh is heard. Confidence: the fit, times the margin over the
 * runner-up with another root or quality.
 */
export class ChordEstimator {
  private readonly smooth = new Float64Array(12);
  private readonly logIn = new Float64Array(12);
  private readonly logOut = new Float64Array(12);
  private readonly scores = new Float64Array(12 * TEMPLATES.length);
  private readonly own = new Float64Array(12);
  private readonly ownSmooth = new Float64Array(12);
  private readonly keep: number;
  private last: ChordEstimate = { root: -1, quality: 'none', confidence: 0 };

  /**
   * @param everyHops the chroma changes every that many hops: the estimate is made then and repeated between.
   * @param seventhLogOdds log prior of a 7th chord against a triad in `stepProbabilities`.
   */
  constructor(hopRateHz: number, smoothS = 0.2, everyHops = 1, private readonly seventhLogOdds = SEVENTH_LOG_ODDS) {
    this.keep = Math.exp(-everyHops / (smoothS * hopRateHz));
  }

  /** The newest estimate again (a fresh object: records keep it), for hops without a new chroma. */
  repeat(): ChordEstimate {
    const l = this.last;
    return { root: l.root, quality: l.quality, confidence: l.confidence };
  }

  /**
   * A new frame of pitch-class probabilities (the chord net's sigmoid outputs, each the chance that the pitch class
   * is in the chord): the chord whose tones make the likeliest labelling, Σ log p over its tones + Σ log(1 − p)
   * over the rest, smoothed as above, plus BASS_LOG_ODDS × the bass chroma at the root. With calibrated outputs
   * this decides a 7th by whether its tone is more likely in than out, where a cosine to binary templates
   * weighs a half-likely seventh against the triad's three sure tones and reads triads as 7ths. Confidence: the
   * best chord's share of the posterior over all 60, times its tones' mean probability. With `levels` (the chord
   * chroma's semitone levels), a 7th chord also needs the seventh's own evidence (see SEVENTH_EVIDENCE_AT).
   */
  stepProbabilities(probs: Float32Array, bassChroma: Float32Array, silent: boolean, levels?: ArrayLike<number>): ChordEstimate {
    this.last = this.likeliest(probs, bassChroma, silent, levels);
    return this.repeat();
  }

  private likeliest(probs: Float32Array, bassChroma: Float32Array, silent: boolean, levels: ArrayLike<number> | undefined): ChordEstimate {
    const s = this.smooth;
    const k = this.keep;
    const own = this.own;
    const ownS = this.ownSmooth;
    if (levels && !silent) ownEvidence(levels, own);
    else own.fill(0);
    let max = 0;
    for (let i = 0; i < 12; i++) {
      s[i] = k * s[i]! + (1 - k) * (silent ? 0 : probs[i]!);
      ownS[i] = k * ownS[i]! + (1 - k) * own[i]!;
      if (s[i]! > max) max = s[i]!;
    }
    if (silent || !(max >= MIN_TONE_PROB)) return { root: -1, quality: 'none', confidence: 0 };
    const lin = this.logIn;
    const lout = this.logOut;
    let base = 0;
    for (let i = 0; i < 12; i++) {
      const p = Math.min(1 - PROB_FLOOR, Math.max(PROB_FLOOR, s[i]!));
      lin[i] = Math.log(p);
      lout[i] = Math.log(1 - p);
      base += lout[i]!;
    }
    let best = -Infinity;
    let total = 0;
    let bestRoot = 0;
    let bestT = 0;
    const scores = this.scores;
    for (let r = 0; r < 12; r++) {
      for (let t = 0; t < TEMPLATES.length; t++) {
        const iv = TEMPLATES[t]![1];
        let ll = base + BASS_LOG_ODDS * bassChroma[r]!;
        if (iv.length > 3) ll += this.seventhLogOdds + (levels ? SEVENTH_EVIDENCE_GAIN * Math.min(0, ownS[(r + iv[3]!) % 12]! - SEVENTH_EVIDENCE_AT) : 0);
        for (let j = 0; j < iv.length; j++) {
          const pc = (r + iv[j]!) % 12;
          ll += lin[pc]! - lout[pc]!;
        }
        scores[r * TEMPLATES.length + t] = ll;
        if (ll > best) {
          best = ll;
          bestRoot = r;
          bestT = t;
        }
      }
    }
    for (let i = 0; i < scores.length; i++) total += Math.exp(scores[i]! - best);
    const iv = TEMPLATES[bestT]![1];
    let mean = 0;
    for (let j = 0; j < iv.length; j++) mean += s[(bestRoot + iv[j]!) % 12]!;
    mean /= iv.length;
    return { root: bestRoot, quality: TEMPLATES[bestT]![0], confidence: Math.max(0, Math.min(1, mean / total)) };
  }

  /** A new chroma frame: returns a fresh estimate (records keep it). */
  step(chroma: Float32Array, bassChroma: Float32Array, silent: boolean): ChordEstimate {
    this.last = this.estimate(chroma, bassChroma, silent);
    return this.repeat();
  }

  private estimate(chroma: Float32Array, bassChroma: Float32Array, silent: boolean): ChordEstimate {
    const s = this.smooth;
    const k = this.keep;
    let norm = 0;
    for (let i = 0; i < 12; i++) {
      s[i] = k * s[i]! + (1 - k) * (silent ? 0 : chroma[i]!);
      norm += s[i]! * s[i]!;
    }
    if (silent || !(norm > 1e-6)) return { root: -1, quality: 'none', confidence: 0 };
    const inv = 1 / Math.sqrt(norm);
    let best = -Infinity;
    let second = -Infinity;
    let bestFit = 0;
    let bestRoot = 0;
    let bestQ: ChordQuality = 'maj';
    for (let r = 0; r < 12; r++) {
      for (let t = 0; t < TEMPLATES.length; t++) {
        const [q, iv] = TEMPLATES[t]!;
        let dot = 0;
        for (let j = 0; j < iv.length; j++) dot += s[(r + iv[j]!) % 12]!;
        const fit = dot * inv * INV_SQRT_LEN[t]!;
        const score = fit + BASS_AT_ROOT * bassChroma[r]!;
        if (score > best) {
          second = best;
          best = score;
          bestFit = fit;
          bestRoot = r;
          bestQ = q;
        } else if (score > second) second = score;
      }
    }
    if (bestFit < MIN_FIT) return { root: -1, quality: 'none', confidence: 0 };
    const margin = Math.min(1, (best - second) / 0.1);
    return { root: bestRoot, quality: bestQ, confidence: Math.max(0, Math.min(1, bestFit * (0.5 + 0.5 * margin))) };
  }
}
