/**
 * Tempo, beat phase and bar phase (3/4 or 4/4) from the onset envelope, causally (no look-ahead).
 *
 * Tempo: a leaky autocorrelation of the mean-removed onset envelope, updated every hop for lags up to four beats
 * at the slowest tempo (memory `tempoMemoryS`). Every ~100 ms each candidate period p (60–200 BPM, 0.1-hop steps)
 * is scored with the multiples of p (Ellis 2007, "TPS2" extended to four multiples):
 *   S(p) = prior(p) · Σₖ wₖ·acf(k·p),  w = 1, ½, ⅓, ¼,
 * times a log-normal tempo prior centred at `tempoPriorBpm` (one octave σ). Multiples settle half/double time: the
 * true beat period explains acf peaks at p, 2p, 3p, 4p, while double the period misses p and half the period has a
 * weak acf(p/2). A new tempo must win for ~1 s before it replaces a different one (hysteresis), so the output is stable.
 *
 * Phase: a pulse-train correlation (the recent envelope against beats p apart, recent beats weighted more) gives
 * where the last beat was; a phase-locked oscillator follows it with a small gain, so single missing or extra
 * onsets do not move the beat. The envelope arrives `latencyS` after the sound (the detection latency of the onset
 * stage); the oscillator is advanced by that much so that beat events fire at the true beat times.
 *
 * Downbeat and meter: each beat's evidence — harmonic change (chord and bass chroma against the previous beat, each
 * summed over the beat shifted by the chroma's lag), kick minus snare — goes to its slot modulo 3 and modulo 4, with
 * leaky scores; the bar length whose best slot stands out
 * more over its mean is the meter (3/4 or 4/4, with hysteresis), and its best slot is beat 1.
 */

export interface TempoTrackerOptions {
  hopRateHz: number;
  minBpm: number;
  maxBpm: number;
  priorBpm: number;
  memoryS: number;
  /** Detection latency of the onset envelope (s): how late the envelope is against the sound. */
  latencyS: number;
}

/** One hop of input to the tempo tracker. */
export interface TempoCue {
  /** Onset strength for tempo, 0..1. */
  onset: number;
  kick: number;
  snare: number;
  chroma: Float32Array;
  bassChroma: Float32Array;
  silent: boolean;
  /**
   * Strongest drum envelope of the hop (kick after its click gate, snare, hats), 0..1: rhythmic evidence. Without
   * it for RHYTHM_MEMORY_S the tempo is "not known" and no beat events fire. Absent: every hop counts as evidence.
   */
  drums?: number;
}

/** The tracker's state after a hop (one object, reused: copy what you keep). */
export interface TempoState {
  bpm: number;
  beatPhase: number;
  barPhase: number;
  confidence: number;
  beat: boolean;
  downbeat: boolean;
  /** A tempo is estimated, confident, and drums were heard within RHYTHM_MEMORY_S: beat events fire. */
  known: boolean;
  /** Bar length in beats (3 or 4), from which period the downbeat evidence repeats with; 4 until it shows. */
  beatsPerBar: number;
}

/** Bar lengths the meter chooses between (beats). */
const METERS = [4, 3] as const;
/** Per-beat leak of the downbeat slot scores (≈ 10 beats of memory) and of the meter scores (≈ 30 beats). */
const SLOT_KEEP = 0.9;
const METER_KEEP = 0.97;
/** Another meter must lead the current one by this factor (and a margin) before the bar length changes. */
const METER_SWITCH = 1.25;
/**
 * How late (s) a harmonic change shows in the chroma after the beat it happened on (the chord chroma's window and
 * median, the bass chroma's window and its hold after a kick): each beat's chroma is summed over the beat shifted by
 * this much (at most a third of a beat), so a chord struck on beat 1 counts for beat 1, not for beat 2.
 */
const CHROMA_LAG_S = 0.15;
/** An octave change of a period heard with drums must win this long (s) and by this factor of its score. */
const OCTAVE_HOLD_S = 10;
const OCTAVE_MARGIN = 1.5;
/** A drum envelope above this is rhythmic evidence. */
const DRUM_EVIDENCE = 0.5;
/** How long (s) rhythmic evidence keeps the tempo known (two bars at 60 BPM would be 8 s; two at 120, 4 s). */
const RHYTHM_MEMORY_S = 3;
/** acf(p/2)/acf(p) above which the faster pulse is the beat (0.5–0.8 all give the same results on our patterns). */
const HALF_RATIO = 0.65;

export class TempoTracker {
  readonly state: TempoState = { bpm: 120, beatPhase: 0, barPhase: 0, confidence: 0, beat: false, downbeat: false, known: false, beatsPerBar: 4 };
  private lastDrumN = -1e9;
  private readonly fr: number;
  private readonly pMin: number;
  private readonly pMax: number;
  private readonly lags: number;
  private readonly env: Float32Array;
  private readonly acf: Float64Array;
  private readonly keep: number;
  private mean = 0;
  private n = 0;
  private period: number;
  private candidate = 0;
  private candidateSince = 0;
  private tempoKnown = false;
  /** The current period was followed while the tempo was known (drums heard): octave changes are held back. */
  private periodKnown = false;
  private readonly estimateEvery: number;
  private phase = 0;
  private readonly leadBeats: () => number;
  private lastBeatN = -1e9;
  private beatCount = 0;
  // Downbeat evidence, per beat slot, and running sums over the current beat.
  /** Per candidate bar length (METERS): leaky downbeat score per beat slot, and a slower copy for the meter choice. */
  private readonly slotScores = METERS.map((n) => new Float64Array(n));
  private readonly meterScores = METERS.map((n) => new Float64Array(n));
  private readonly downSlots = METERS.map(() => 0);
  private meter = 0;
  private readonly chromaSum = new Float64Array(12);
  private readonly bassSum = new Float64Array(12);
  private readonly chromaPrev = new Float64Array(12);
  private readonly bassPrev = new Float64Array(12);
  private kickMax = 0;
  private snareMax = 0;
  private hopsInBeat = 0;
  /** The beat that ended last waits for its lagged chroma: its drum maxima, its count, and whether one waits. */
  private pendingKick = 0;
  private pendingSnare = 0;
  private pendingCount = 0;
  private pending = false;
  private readonly chromaLagHops: number;
  private confidence = 0;

  constructor(readonly opts: TempoTrackerOptions) {
    this.fr = opts.hopRateHz;
    this.pMin = (60 / opts.maxBpm) * this.fr;
    this.pMax = (60 / opts.minBpm) * this.fr;
    this.lags = Math.ceil(this.pMax * 4) + 2;
    this.env = new Float32Array(this.lags + 1);
    this.acf = new Float64Array(this.lags + 1);
    this.keep = Math.exp(-1 / (opts.memoryS * this.fr));
    this.period = (60 / 120) * this.fr;
    this.estimateEvery = Math.max(1, Math.round(this.fr / 10));
    this.leadBeats = () => (opts.latencyS * this.fr) / this.period;
    this.chromaLagHops = CHROMA_LAG_S * this.fr;
  }

  /** Current beat period in hops. */
  get periodHops(): number {
    return this.period;
  }

  step(cue: TempoCue): TempoState {
    const st = this.state;
    st.beat = false;
    st.downbeat = false;
    const o = Number.isFinite(cue.onset) ? cue.onset : 0;
    // Envelope history and leaky, mean-removed autocorrelation.
    const L = this.env.length;
    this.mean = this.keep * this.mean + (1 - this.keep) * o;
    const x = o - this.mean;
    this.env[this.n % L] = x;
    const k = this.keep;
    const acf = this.acf;
    const env = this.env;
    const maxLag = Math.min(this.lags, this.n);
    // The ring index walks down and wraps (no modulo per lag: this loop runs over ~400 lags every hop).
    const kx = (1 - k) * x;
    for (let lag = 0, j = this.n % L; lag <= maxLag; lag++, j--) {
      if (j < 0) j += L;
      acf[lag] = k * acf[lag]! + kx * env[j]!;
    }
    this.n++;

    if (this.n % this.estimateEvery === 0 && this.n > this.fr * 1.5) this.estimateTempo();
    this.trackPhase(cue);
    st.bpm = (60 * this.fr) / this.period;
    st.confidence = this.confidence;
    return st;
  }

  /** acf at a fractional lag (linear interpolation). */
  private acfAt(lag: number): number {
    const i = Math.floor(lag);
    if (i + 1 > this.lags) return 0;
    const f = lag - i;
    return this.acf[i]! * (1 - f) + this.acf[i + 1]! * f;
  }

  private score(p: number): number {
    let s = 0;
    for (let m = 1; m <= 4; m++) {
      const lag = m * p;
      if (lag + 1 > this.lags) break;
      s += this.acfAt(lag) / m;
    }
    const octaves = Math.log2((60 * this.fr) / p / this.opts.priorBpm);
    return s * Math.exp(-0.5 * octaves * octaves);
  }

  private estimateTempo(): void {
    const a0 = this.acf[0]!;
    if (!(a0 > 1e-9)) {
      this.confidence *= 0.9;
      return;
    }
    let best = -Infinity;
    let bestP = this.period;
    const step = 0.1;
    for (let p = this.pMin; p <= this.pMax; p += step) {
      const s = this.score(p);
      if (s > best) {
        best = s;
        bestP = p;
      }
    }
    // Parabolic refinement around the best candidate.
    const sl = this.score(bestP - step);
    const sr = this.score(bestP + step);
    const den = sl - 2 * best + sr;
    if (den < 0) bestP += (0.5 * step * (sl - sr)) / den;
    // Half/double: when half the period is itself strongly periodic (acf(p/2) close to acf(p)), the beat is the
    // faster pulse (drum & bass at 174 rather than 87): alternating kick and snare both land on beats. A weak
    // acf(p/2) (only hats between the beats, as at 90 BPM) keeps p.
    if (bestP / 2 >= this.pMin && this.acfAt(bestP / 2) >= HALF_RATIO * this.acfAt(bestP)) bestP /= 2;
    // Finer still: the acf peak near 4·p (or the largest multiple in range) pins the period to a quarter hop.
    bestP = this.refineWithMultiple(bestP);
    // Confidence: how far the chosen period's autocorrelation stands above the average over all candidate lags,
    // against the zero-lag energy. Periodic drums → near 1; noise (whose best lag is only the luckiest) → near 0.
    let meanAcf = 0;
    let count = 0;
    for (let lag = Math.floor(this.pMin); lag <= Math.ceil(this.pMax); lag++) {
      meanAcf += this.acf[lag]!;
      count++;
    }
    meanAcf /= count;
    const conf = Math.max(0, Math.min(1, (2 * (this.acfAt(bestP) - meanAcf)) / a0));
    this.confidence = 0.8 * this.confidence + 0.2 * conf;

    if (!this.tempoKnown) {
      this.periodKnown = false;
      this.period = bestP;
      this.tempoKnown = true;
      this.candidate = bestP;
      return;
    }
    const rel = Math.abs(bestP / this.period - 1);
    if (rel < 0.04) {
      // Same tempo: follow smoothly.
      this.period += 0.25 * (bestP - this.period);
      if (this.state.known) this.periodKnown = true;
      this.candidate = bestP;
      this.candidateSince = this.n;
    } else if (Math.abs(bestP / this.candidate - 1) < 0.04) {
      // A different tempo that keeps winning for a second takes over. The same tempo at double or half speed must win
      // for OCTAVE_HOLD_S and by OCTAVE_MARGIN over the current period's score, when that period was heard with drums
      // (tempo known): songs seldom change tempo by an octave, while half-time drums under a steady pulse make the half
      // tempo win for a while. A period found without drums (a breakdown's chord pulse) gives way as fast as any.
      const ratio = bestP / this.period;
      const octave = this.periodKnown && (Math.abs(ratio - 2) < 0.1 || Math.abs(ratio - 0.5) < 0.03);
      if (octave && !(best > OCTAVE_MARGIN * this.score(this.period))) this.candidateSince = this.n;
      else if (this.n - this.candidateSince > (octave ? OCTAVE_HOLD_S * this.fr : this.fr)) {
        this.period = bestP;
        this.periodKnown = this.state.known;
        this.candidateSince = this.n;
      }
      this.candidate = bestP;
    } else {
      this.candidate = bestP;
      this.candidateSince = this.n;
    }
  }

  /** Searches the acf around m·p for the largest multiple m ≤ 4 in range and returns peak/m. */
  private refineWithMultiple(p: number): number {
    let m = 4;
    while (m > 1 && m * p + 2 > this.lags) m--;
    const centre = m * p;
    const lo = Math.max(1, Math.floor(centre - 0.03 * centre));
    const hi = Math.min(this.lags - 1, Math.ceil(centre + 0.03 * centre));
    let best = lo;
    for (let lag = lo; lag <= hi; lag++) if (this.acf[lag]! > this.acf[best]!) best = lag;
    if (best <= lo || best >= hi) return p;
    const a = this.acf[best - 1]!;
    const b = this.acf[best]!;
    const c = this.acf[best + 1]!;
    const den = a - 2 * b + c;
    const delta = den < 0 ? (0.5 * (a - c)) / den : 0;
    return (best + delta) / m;
  }

  /** Envelope value `back` hops before the newest (fractional, linear interpolation). */
  private envAgo(back: number): number {
    const L = this.env.length;
    const i = Math.floor(back);
    const f = back - i;
    const newest = this.n - 1;
    if (i + 1 >= Math.min(L, this.n)) return 0;
    const a = this.env[(newest - i) % L]!;
    const b = this.env[(newest - i - 1) % L]!;
    return a * (1 - f) + b * f;
  }

  private trackPhase(cue: TempoCue): void {
    const st = this.state;
    const p = this.period;
    this.phase += 1 / p;
    // Pulse-train correlation, every second hop: where, within the last period, does a beat grid best fit the
    // recent envelope? The oscillator is nudged towards it (gain 0.2 per measurement).
    if ((this.n & 1) === 0) {
      const beats = Math.max(2, Math.min(8, Math.floor(this.env.length / p) - 1));
      let best = -Infinity;
      let bestPhi = 0;
      const span = Math.floor(p);
      for (let phi = 0; phi <= span; phi++) {
        let s = 0;
        let w = 1;
        for (let b = 0; b < beats; b++) {
          s += w * this.envAgo(phi + b * p);
          w *= 0.8;
        }
        if (s > best) {
          best = s;
          bestPhi = phi;
        }
      }
      const measured = bestPhi / p; // beats since the last beat, as the envelope sees it
      if (this.tempoKnown && best > 0) {
        let e = measured - this.phase;
        e -= Math.round(e);
        this.phase += 0.2 * e;
      }
    }
    // Accumulate downbeat evidence over the current beat: the drums over its first quarter, the chroma over the beat
    // shifted by the chroma's lag (the previous beat is scored once its shifted window is full).
    if (this.pending && this.hopsInBeat >= Math.min(this.chromaLagHops, p / 3)) this.scoreBeat();
    for (let i = 0; i < 12; i++) {
      this.chromaSum[i]! += cue.chroma[i]!;
      this.bassSum[i]! += cue.bassChroma[i]!;
    }
    if (this.hopsInBeat < p * 0.25) {
      if (cue.kick > this.kickMax) this.kickMax = cue.kick;
      if (cue.snare > this.snareMax) this.snareMax = cue.snare;
    }
    this.hopsInBeat++;

    const lead = this.leadBeats();
    const shown = this.phase + lead;
    if (cue.drums === undefined || cue.drums >= DRUM_EVIDENCE) this.lastDrumN = this.n;
    const evidence = this.n - this.lastDrumN < RHYTHM_MEMORY_S * this.fr;
    const active = this.tempoKnown && this.confidence > 0.15 && !cue.silent && evidence;
    st.known = active;
    if (shown >= 1 && this.n - this.lastBeatN > 0.5 * p) {
      this.phase -= 1;
      this.closeBeat();
      this.beatCount++;
      this.lastBeatN = this.n;
      if (active) {
        st.beat = true;
        st.downbeat = this.barBeat() === 0;
      }
    } else if (shown >= 1) {
      this.phase -= 1; // a correction pushed us over again right after a beat: wrap without a second event
    }
    if (this.phase < -lead) this.phase += 1;
    const bp = this.phase + lead;
    st.beatPhase = bp - Math.floor(bp);
    st.barPhase = (this.barBeat() + st.beatPhase) / METERS[this.meter]!;
    st.beatsPerBar = METERS[this.meter]!;
  }

  /** Beats since the downbeat in the current meter (0 = beat 1). */
  private barBeat(): number {
    const n = METERS[this.meter]!;
    return modN(this.beatCount - this.downSlots[this.meter]!, n);
  }

  /**
   * Scores the beat that just ended for its slot in each candidate bar length, picks each one's downbeat slot, and
   * the meter: evidence that repeats every n beats piles up in one slot of the n-slot scores and spreads over all
   * slots of the others, so the bar length whose best slot stands out most over its mean is the meter.
   */
  private closeBeat(): void {
    if (this.pending) this.scoreBeat();
    this.pendingKick = this.kickMax;
    this.pendingSnare = this.snareMax;
    this.pendingCount = this.beatCount;
    this.pending = true;
    this.kickMax = 0;
    this.snareMax = 0;
    this.hopsInBeat = 0;
  }

  private scoreBeat(): void {
    this.pending = false;
    // The chord chroma reaches down to E2 and so moves with every bass note: the bass chroma and the drums weigh more.
    const change = 0.5 * (1 - cosine(this.chromaSum, this.chromaPrev)) + 1 - cosine(this.bassSum, this.bassPrev);
    const evidence = change + 0.5 * this.pendingKick - 0.5 * this.pendingSnare;
    let bestContrast = -Infinity;
    let bestMeter = this.meter;
    const contrast: number[] = [];
    for (let m = 0; m < METERS.length; m++) {
      const n = METERS[m]!;
      const slot = modN(this.pendingCount, n);
      const sc = this.slotScores[m]!;
      const ms = this.meterScores[m]!;
      let sum = 0;
      let top = -Infinity;
      for (let s = 0; s < n; s++) {
        sc[s]! *= SLOT_KEEP;
        ms[s]! *= METER_KEEP;
      }
      sc[slot]! += evidence;
      ms[slot]! += evidence;
      for (let s = 0; s < n; s++) {
        sum += ms[s]!;
        if (ms[s]! > top) top = ms[s]!;
      }
      contrast[m] = top - sum / n;
      if (contrast[m]! > bestContrast) {
        bestContrast = contrast[m]!;
        bestMeter = m;
      }
      let best = 0;
      for (let s = 1; s < n; s++) if (sc[s]! > sc[best]!) best = s;
      // Hysteresis: the bar only shifts when another slot is clearly ahead.
      if (sc[best]! > 1.1 * sc[this.downSlots[m]!]! + 0.02) this.downSlots[m] = best;
    }
    if (bestMeter !== this.meter && bestContrast > METER_SWITCH * contrast[this.meter]! + 0.05) this.meter = bestMeter;
    this.chromaPrev.set(this.chromaSum);
    this.bassPrev.set(this.bassSum);
    this.chromaSum.fill(0);
    this.bassSum.fill(0);
  }
}

function modN(x: number, n: number): number {
  return ((x % n) + n) % n;
}

function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  if (aa < 1e-12 || bb < 1e-12) return 1;
  return ab / Math.sqrt(aa * bb);
}
