/**
 * Causal section novelty, first step: a short-memory and a long-memory average of the music's state are compared,
 * and a large difference means the music has just changed (intro → drop). The state is
 *   - the log energy of the three bands (low, mid, high), in dB — log so that the comparison does not depend on
 *     the input level;
 *   - the chord chroma (its averaged profile, compared by cosine distance, scaled to dB-like units).
 * novelty (raw) = mean |short − long| over bands in dB + `chromaWeightDb`·(1 − cos(chromaShort, chromaLong));
 * novelty (0..1) = 1 − exp(−raw / `scaleDb`). A section event fires on the rising edge above the threshold, no
 * sooner than `minSectionS` after the previous one (and after the start); it re-arms below 60 % of the threshold. Look-ahead: none; the short average
 * reacts in about `shortS`, so a section event is about a second late by design.
 */
export interface SectionOptions {
  hopRateHz: number;
  minSectionS: number;
  threshold: number;
  shortS?: number;
  longS?: number;
  scaleDb?: number;
  chromaWeightDb?: number;
}

export class SectionTracker {
  novelty = 0;
  section = 0;
  private readonly aShort: number;
  private readonly aLong: number;
  private readonly scaleDb: number;
  private readonly chromaWeightDb: number;
  private readonly minHops: number;
  private readonly shortDb = new Float64Array(3);
  private readonly longDb = new Float64Array(3);
  private readonly chromaShort = new Float64Array(12);
  private readonly chromaLong = new Float64Array(12);
  private started = false;
  private n = 0;
  private lastSection = 0;
  private above = false;
  private frames = 0;

  constructor(readonly opts: SectionOptions) {
    const fr = opts.hopRateHz;
    this.aShort = 1 - Math.exp(-1 / ((opts.shortS ?? 1) * fr));
    this.aLong = 1 - Math.exp(-1 / ((opts.longS ?? 6) * fr));
    this.scaleDb = opts.scaleDb ?? 6;
    this.chromaWeightDb = opts.chromaWeightDb ?? 6;
    this.minHops = Math.round(opts.minSectionS * fr);
  }

  /** One hop: band energies (linear power, any scale), the chord chroma, and whether the hop is silent. */
  step(lowPow: number, midPow: number, highPow: number, chroma: Float32Array, silent: boolean): boolean {
    this.n++;
    if (silent && !this.started) return false;
    const db0 = 10 * Math.log10(lowPow + 1e-12);
    const db1 = 10 * Math.log10(midPow + 1e-12);
    const db2 = 10 * Math.log10(highPow + 1e-12);
    if (!this.started) {
      this.started = true;
      this.lastSection = this.n;
      this.shortDb[0] = this.longDb[0] = db0;
      this.shortDb[1] = this.longDb[1] = db1;
      this.shortDb[2] = this.longDb[2] = db2;
      for (let i = 0; i < 12; i++) this.chromaShort[i] = this.chromaLong[i] = chroma[i]!;
    }
    // Until the memories have filled, both averages are plain running means (1/n), so the start of a track is
    // not a long transient of fake novelty.
    this.frames++;
    const as = Math.max(this.aShort, 1 / this.frames);
    const al = Math.max(this.aLong, 1 / this.frames);
    const s = this.shortDb;
    const l = this.longDb;
    s[0]! += as * (db0 - s[0]!);
    s[1]! += as * (db1 - s[1]!);
    s[2]! += as * (db2 - s[2]!);
    l[0]! += al * (db0 - l[0]!);
    l[1]! += al * (db1 - l[1]!);
    l[2]! += al * (db2 - l[2]!);
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < 12; i++) {
      const c = chroma[i]!;
      this.chromaShort[i]! += as * (c - this.chromaShort[i]!);
      this.chromaLong[i]! += al * (c - this.chromaLong[i]!);
      ab += this.chromaShort[i]! * this.chromaLong[i]!;
      aa += this.chromaShort[i]! * this.chromaShort[i]!;
      bb += this.chromaLong[i]! * this.chromaLong[i]!;
    }
    const chromaDist = aa > 1e-12 && bb > 1e-12 ? 1 - ab / Math.sqrt(aa * bb) : 0;
    const raw = (Math.abs(s[0]! - l[0]!) + Math.abs(s[1]! - l[1]!) + Math.abs(s[2]! - l[2]!)) / 3 + this.chromaWeightDb * chromaDist;
    this.novelty = 1 - Math.exp(-raw / this.scaleDb);
    // Hysteresis: after an excursion above the threshold, novelty must fall below 60 % of it to re-arm.
    let fire = false;
    if (this.novelty > this.opts.threshold) {
      if (!this.above && this.n - this.lastSection >= this.minHops) {
        fire = true;
        this.section++;
        this.lastSection = this.n;
      }
      this.above = true;
    } else if (this.novelty < 0.6 * this.opts.threshold) {
      this.above = false;
    }
    return fire;
  }
}
