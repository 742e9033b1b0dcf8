/** What the meter reads of each hop (the tempo tracker's cue carries it). */
export interface MeterCue {
  /** Kick and snare envelopes, 0..1. */
  kick: number;
  snare: number;
  /**
   * A kick or a snare event fired this hop (the drum detector's, after its kick-shape tests). The meter reads the drum
   * envelopes only while such events come (absent, both: every hop counts as one); the tempo tracker takes kicks
   * evenly on every beat for a groove before any cymbal is heard (a four-on-the-floor intro, see drumHits.ts; absent:
   * none).
   */
  kickEvent?: boolean;
  snareEvent?: boolean;
  chroma: Float32Array;
  bassChroma: Float32Array;
}

/**
 * Bar lengths the meter chooses between (beats). Simple meters (the beat divides in two) choose between 4 and 3;
 * compound ones (the beat divides in three: dotted-quarter beats of 6/8 and 9/8) between 2 and 3, because their
 * bar is two or three such beats (evidence that repeats every two beats also repeats every four, so the two
 * cannot be told apart by it alone).
 */
const METERS = [4, 3, 2] as const;
const SIMPLE = [0, 1];
const COMPOUND = [2, 1];
/** Sub-beat profile: bins per beat, and the per-visit weight of the newest beat in a bin's running mean. */
const SUB_BINS = 24;
const SUB_RATE = 0.05;
/**
 * The beat divides in three when the drums at both of its thirds are this many times stronger than at its half (and
 * stand out at all: this share of those on the beat, which a room kit's quiet hats in 6/8 barely pass at 0.075),
 * each above the profile's floor. Swing fills only the second third, straight eighths the half. The share test is
 * what keeps simple meters out: on the corpus their thirds reach at most 0.022 of the beat even where they stand
 * 1.5–10 times over the half (a swung ride, a waltz's reverb), while a 6/8 pad's reverb fills the half to 0.65–0.95
 * of its quiet eighths. Once the beat divides in three it stays so while the thirds are at least as strong as the
 * half (COMPOUND_KEEP_OVER_HALF), so the running profile's wobble does not flip the bar length back and forth.
 */
const COMPOUND_OVER_HALF = 1.25;
const COMPOUND_KEEP_OVER_HALF = 1;
const COMPOUND_MIN_SHARE = 0.05;
/**
 * Per-beat leak of the downbeat slot scores (≈ 20 beats of memory) and of the meter scores (≈ 30 beats). A chord
 * struck every two bars is often the one cue that tells beat 1 from beat 3 (kicks on both, the bass re-struck on the
 * same root): its evidence must last until the next one (corpus mach-pop-lofi downbeat F 0.76 at 0.9, 0.92 at 0.95;
 * no other corpus song moved).
 */
const SLOT_KEEP = 0.95;
const METER_KEEP = 0.97;
/** Another meter must lead the current one by this factor (and a margin) before the bar length changes. */
const METER_SWITCH = 1.25;
/**
 * Beats after the meter scores were dropped before the bar length may change: the first few beats make any one slot
 * stand out. Six (a bar and a half of 4, two bars of 3): twelve, letting both fill three or four bars, cost the
 * waltzes their first bars of 3 (downbeat F of eleven 3/4 songs on the corpus and the kept-apart sets 0.02–0.10
 * lower, ho-waltz-fluid+room 0.93 → 0.84) and gained nothing.
 */
const METER_SETTLE_BEATS = 6;
/**
 * The drum envelopes are read as drums only while the detector has heard a drum (a kick or a snare event) within
 * this many beats before the beat (or in its first quarter). Without drums (an intro's hats under noise) the kick
 * envelope, normalised to its own recent peaks, reads noise bursts at 0.1–0.7 on any beat, and those outweigh a chord
 * change struck every two bars (corpus groove-dnb-boom-fluid+noise: the bar read as 3 beats and beat 1 a beat late
 * for 6 s, downbeat F 0.84 → 0.89). The cost: a drumless intro whose bass notes on beat 1 rise in the kick envelope
 * loses them (mach-house-lofi 0.88 → 0.86). Not the beat's own event: the kick event can fire a hop before the beat
 * (pop-fast-timgm 0.98 → 0.83), the detector refuses a kick struck with a chord (a tonal onset), often beat 1's
 * (h3-club-mix-122-128 0.94 → 0.89 with an eighth of a beat allowed before it); and both envelopes or neither: a
 * struck chord raises both, and its snare event without a kick event then counts against the chord's beat
 * (h4-edm-drop-modal 0.97 → 0.78 with the kick alone gated). The stream's start counts as drums heard: the detector
 * fires nothing on its first hops, a drum there included (two club mixes open on a kick at 0.02 s: their downbeat F
 * fell 0.02–0.03 each without it). Two bars of 4.
 */
const DRUMS_HEARD_BEATS = 8;
/**
 * How late (s) a harmonic change shows in the chroma after the beat it happened on (the chord chroma's window and
 * median, the bass chroma's window and its hold after a kick): each beat's chroma is summed over the beat shifted by
 * this much (at most a third of a beat), so a chord struck on beat 1 counts for beat 1, not for beat 2.
 */
const CHROMA_LAG_S = 0.15;
/**
 * Beats of the recent past scored afresh on a new track's grid (see `rescore`): a bar and a half, most of a DJ
 * crossfade's second half, where the incoming track already plays at its own tempo; not two bars, which after a cut
 * (the short autocorrelation takes the new tempo five beats in) reach back into the last track, whose beat 1 the slot
 * scores, keeping about 20 beats (SLOT_KEEP), would then hold past two of the new bars. And the history (s) kept.
 */
const RESCORE_BEATS = 6;
const HISTORY_S = 8;
/**
 * Downbeat and meter for the tempo tracker: each beat's evidence — harmonic change (chord and bass chroma against
 * the previous beat, each summed over the beat shifted by the chroma's lag), kick minus snare — goes to its slot
 * modulo 2, 3 and 4, with leaky scores; of the bar lengths the beat's division allows (METERS), the one whose best
 * slot stands out more over its mean is the meter (hysteresis), and its best slot is beat 1. The division comes from
 * a running profile of the drums over the beat's phase (`profile`).
 */
export class MeterTracker {
  /** Per candidate bar length (METERS): leaky downbeat score per beat slot, and a slower copy for the meter choice. */
  private readonly slotScores = METERS.map((n) => new Float64Array(n));
  private readonly meterScores = METERS.map((n) => new Float64Array(n));
  private readonly downSlots = METERS.map(() => 0);
  private meter = 0;
  /** Beats scored since the meter scores were last dropped. */
  private meterBeats = METER_SETTLE_BEATS;
  /** Running mean of the drum envelope per sub-beat bin (envelope phase within the beat). */
  private readonly subBeat = new Float64Array(SUB_BINS);
  private compound = false;
  private readonly chromaSum = new Float64Array(12);
  private readonly bassSum = new Float64Array(12);
  private readonly chromaPrev = new Float64Array(12);
  private readonly bassPrev = new Float64Array(12);
  private kickMax = 0;
  private snareMax = 0;
  /** A drum event fell within DRUMS_HEARD_BEATS before the current beat or in its first quarter so far. */
  private drumHeard = false;
  /** Hops since the newest drum event (or since the stream's start, see DRUMS_HEARD_BEATS). */
  private drumEventAgo = 0;
  private hopsInBeat = 0;
  /** The beat that ended last waits for its lagged chroma: its drum maxima, its count, and whether one waits. */
  private pendingKick = 0;
  private pendingSnare = 0;
  private pendingCount = 0;
  private pending = false;
  private readonly chromaLagHops: number;
  /** The last HISTORY_S of evidence per hop (drum envelopes, chroma, bass chroma), a ring; `histN` hops pushed. */
  private readonly histKick: Float32Array;
  private readonly histDrumEvent: Uint8Array;
  private readonly histSnare: Float32Array;
  private readonly histChroma: Float32Array;
  private readonly histBass: Float32Array;
  private histN = 0;

  constructor(hopRateHz: number) {
    this.chromaLagHops = CHROMA_LAG_S * hopRateHz;
    const h = Math.ceil(HISTORY_S * hopRateHz);
    this.histKick = new Float32Array(h);
    this.histDrumEvent = new Uint8Array(h);
    this.histSnare = new Float32Array(h);
    this.histChroma = new Float32Array(h * 12);
    this.histBass = new Float32Array(h * 12);
  }

  /** Bar length in beats of the current meter. */
  get beatsPerBar(): number {
    return METERS[this.meter]!;
  }

  /** The beat divides in three (see COMPOUND_OVER_HALF). */
  get isCompound(): boolean {
    return this.compound;
  }

  /**
   * One hop of the drum envelope at `envPhase` (0..1: where in the beat the envelope's newest hop lies, which is
   * earlier than the shown beat phase by the onset latency).
   */
  profile(drums: number, envPhase: number): void {
    const bin = Math.min(SUB_BINS - 1, Math.floor(envPhase * SUB_BINS));
    this.subBeat[bin]! += SUB_RATE * (drums - this.subBeat[bin]!);
  }

  /** The strongest profile bin within ±1/24 beat of `at` (0..1, wrapping). */
  private subAt(at: number): number {
    const c = Math.round(at * SUB_BINS);
    let m = 0;
    for (let d = -1; d <= 1; d++) m = Math.max(m, this.subBeat[modN(c + d, SUB_BINS)]!);
    return m;
  }

  /**
   * One hop of evidence over the current beat (`periodHops` long): the drums over its first quarter, the chroma over
   * the beat shifted by the chroma's lag (the previous beat is scored once its shifted window is full); the drums
   * only while drums are heard (DRUMS_HEARD_BEATS).
   */
  accumulate(cue: MeterCue, periodHops: number): void {
    const p = periodHops;
    if (this.pending && this.hopsInBeat >= Math.min(this.chromaLagHops, p / 3)) this.scoreBeat();
    const at = this.histN % this.histKick.length;
    this.histKick[at] = cue.kick;
    const told = cue.kickEvent !== undefined || cue.snareEvent !== undefined;
    const drumEvent = !told || cue.kickEvent === true || cue.snareEvent === true;
    this.histDrumEvent[at] = drumEvent ? 1 : 0;
    this.drumEventAgo = drumEvent ? 0 : this.drumEventAgo + 1;
    this.histSnare[at] = cue.snare;
    this.histChroma.set(cue.chroma.subarray(0, 12), at * 12);
    this.histBass.set(cue.bassChroma.subarray(0, 12), at * 12);
    this.histN++;
    for (let i = 0; i < 12; i++) {
      this.chromaSum[i]! += cue.chroma[i]!;
      this.bassSum[i]! += cue.bassChroma[i]!;
    }
    if (this.hopsInBeat < p * 0.25) {
      if (cue.kick > this.kickMax) this.kickMax = cue.kick;
      if (cue.snare > this.snareMax) this.snareMax = cue.snare;
      if (this.drumEventAgo <= this.hopsInBeat + p * DRUMS_HEARD_BEATS) this.drumHeard = true;
    }
    this.hopsInBeat++;
  }

  /**
   * Drops the downbeat slot scores (the beat grid moved): the next beats' evidence places beat 1 afresh. `meterToo`:
   * the meter scores and the meter as well (the beats were of another length: their slots modulo 3 and 4 mean
   * nothing now).
   */
  forgetDownbeat(meterToo = false): void {
    for (const sc of this.slotScores) sc.fill(0);
    if (!meterToo) return;
    for (const ms of this.meterScores) ms.fill(0);
    this.meterBeats = 0;
    // The bar length read from those beats goes with them: the default of the beat's division until another shows.
    this.meter = (this.compound ? COMPOUND : SIMPLE)[0]!;
  }

  /**
   * Places beat 1 afresh from the recent past on a new grid (another track's tempo took over, `periodHops` long; the
   * current beat, index `beatCount`, began `beatPhase` beats ago): the last RESCORE_BEATS beats before the one that
   * waits for its chroma are scored again as if they had been played on this grid, so the new track's bars, heard
   * through the crossfade, place its beat 1 at once rather than two bars later.
   */
  rescore(periodHops: number, beatPhase: number, beatCount: number): void {
    this.forgetDownbeat();
    const p = periodHops;
    const lag = Math.min(this.chromaLagHops, p / 3);
    const held = Math.min(this.histN, this.histKick.length);
    const first = this.pending ? 2 : 1;
    // The oldest beat that lies within the history (its chroma sums only: the change of the next one is against it).
    const last = Math.min(first + RESCORE_BEATS, Math.floor((held - 1) / p - beatPhase));
    if (last <= first) return;
    const c = new Float64Array(12);
    const b = new Float64Array(12);
    for (let k = last; k >= first; k--) {
      const start = (beatPhase + k) * p; // hops ago
      let kick = 0;
      let snare = 0;
      for (let a = Math.round(start); a > start - p * 0.25; a--) {
        const i = this.histAt(a);
        kick = Math.max(kick, this.histKick[i]!);
        snare = Math.max(snare, this.histSnare[i]!);
      }
      // Drums heard within DRUMS_HEARD_BEATS before this beat, or the stream's start (its first hop, histN - 1 ago).
      const from = start + p * DRUMS_HEARD_BEATS;
      let drumHeard = from >= this.histN - 1;
      for (let a = Math.min(held - 1, Math.round(from)); a > start - p * 0.25 && !drumHeard; a--) {
        drumHeard = this.histDrumEvent[this.histAt(a)] === 1;
      }
      if (!drumHeard) kick = snare = 0;
      c.fill(0);
      b.fill(0);
      for (let a = Math.round(start - lag); a > Math.max(-1, start - lag - p); a--) {
        const i = this.histAt(a) * 12;
        for (let j = 0; j < 12; j++) {
          c[j]! += this.histChroma[i + j]!;
          b[j]! += this.histBass[i + j]!;
        }
      }
      if (k < last) this.addEvidence(beatCount - k, c, b, kick, snare);
      this.chromaPrev.set(c);
      this.bassPrev.set(b);
    }
    for (let m = 0; m < METERS.length; m++) {
      const sc = this.slotScores[m]!;
      let best = 0;
      for (let s = 1; s < sc.length; s++) if (sc[s]! > sc[best]!) best = s;
      if (sc[best]! > 0.02) this.downSlots[m] = best;
    }
  }

  /** Ring index of the hop `ago` hops before the newest. */
  private histAt(ago: number): number {
    const h = this.histKick.length;
    return modN(this.histN - 1 - ago, h);
  }

  /**
   * How much a beat looks like beat 1: a change of harmony against the beat before, a kick, no snare. The chord chroma
   * reaches down to E2 and so moves with every bass note: the bass chroma and the drums weigh more.
   */
  private evidenceOf(chroma: Float64Array, bass: Float64Array, kick: number, snare: number): number {
    const change = 0.5 * (1 - cosine(chroma, this.chromaPrev)) + 1 - cosine(bass, this.bassPrev);
    return change + 0.5 * kick - 0.5 * snare;
  }

  /** Adds one replayed beat's evidence (see `scoreBeat`) to its slot of each bar length's downbeat scores. */
  private addEvidence(beat: number, chroma: Float64Array, bass: Float64Array, kick: number, snare: number): void {
    const evidence = this.evidenceOf(chroma, bass, kick, snare);
    for (let m = 0; m < METERS.length; m++) {
      const sc = this.slotScores[m]!;
      for (let s = 0; s < sc.length; s++) sc[s]! *= SLOT_KEEP;
      sc[modN(beat, sc.length)]! += evidence;
    }
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
    this.pendingKick = this.drumHeard ? this.kickMax : 0;
    this.pendingSnare = this.drumHeard ? this.snareMax : 0;
    this.pendingCount = beatCount;
    this.pending = true;
    this.kickMax = 0;
    this.snareMax = 0;
    this.drumHeard = false;
    this.hopsInBeat = 0;
  }

  private scoreBeat(): void {
    this.pending = false;
    const evidence = this.evidenceOf(this.chromaSum, this.bassSum, this.pendingKick, this.pendingSnare);
    // Against the profile's floor (what arrives at every phase: noise, reverb, sustained sounds).
    let floor = Infinity;
    for (let b = 0; b < SUB_BINS; b++) floor = Math.min(floor, this.subBeat[b]!);
    const third = Math.min(this.subAt(1 / 3), this.subAt(2 / 3)) - floor;
    const overHalf = this.compound ? COMPOUND_KEEP_OVER_HALF : COMPOUND_OVER_HALF;
    this.compound = third > overHalf * (this.subAt(0.5) - floor) && third > COMPOUND_MIN_SHARE * (this.subAt(0) - floor);
    const allowed = this.compound ? COMPOUND : SIMPLE;
    // A bar of 4 simple beats is one of 2 compound ones when the division changes its reading (and back).
    if (!allowed.includes(this.meter)) this.meter = allowed[0]!;
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
      if (allowed.includes(m) && contrast[m]! > bestContrast) {
        bestContrast = contrast[m]!;
        bestMeter = m;
      }
      let best = 0;
      for (let s = 1; s < n; s++) if (sc[s]! > sc[best]!) best = s;
      // Hysteresis: the bar only shifts when another slot is clearly ahead.
      if (sc[best]! > 1.1 * sc[this.downSlots[m]!]! + 0.02) this.downSlots[m] = best;
    }
    this.meterBeats++;
    const settled = this.meterBeats >= METER_SETTLE_BEATS;
    if (settled && bestMeter !== this.meter && bestContrast > METER_SWITCH * contrast[this.meter]! + 0.05) this.meter = bestMeter;
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
