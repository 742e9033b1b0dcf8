/** What the meter reads of each hop (the tempo tracker's cue carries it). */
export interface MeterCue {
  /** Kick and snare envelopes, 0..1. */
  kick: number;
  snare: number;
  chroma: Float32Array;
  bassChroma: Float32Array;
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
/**
 * Downbeat and meter for the tempo tracker: each beat's evidence — harmonic change (chord and bass chroma against
 * the previous beat, each summed over the beat shifted by the chroma's lag), kick minus snare — goes to its slot
 * modulo 3 and modulo 4, with leaky scores; the bar length whose best slot stands out more over its mean is the
 * meter (hysteresis), and its best slot is beat 1.
 */
export class MeterTracker {
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

  constructor(hopRateHz: number) {
    this.chromaLagHops = CHROMA_LAG_S * hopRateHz;
  }

  /** Bar length in beats of the current meter. */
  get beatsPerBar(): number {
    return METERS[this.meter]!;
  }

  /**
   * One hop of evidence over the current beat (`periodHops` long): the drums over its first quarter, the chroma over
   * the beat shifted by the chroma's lag (the previous beat is scored once its shifted window is full).
   */
  accumulate(cue: MeterCue, periodHops: number): void {
    const p = periodHops;
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
  }

  /** Beats since the downbeat in the current meter (0 = beat 1). */
  barBeat(beatCount: number): number {
    const n = METERS[this.meter]!;
    return modN(beatCount - this.downSlots[this.meter]!, n);
  }

  /**
   * Scores the beat that just ended for its slot in each candidate bar length, picks each one's downbeat slot, and
   * the meter: evidence that repeats every n beats piles up in one slot of the n-slot scores and spreads over all
   * slots of the others, so the bar length whose best slot stands out most over its mean is the meter.
   */
  closeBeat(beatCount: number): void {
    if (this.pending) this.scoreBeat();
    this.pendingKick = this.kickMax;
    this.pendingSnare = this.snareMax;
    this.pendingCount = beatCount;
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
