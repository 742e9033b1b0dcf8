/**
 * Onset detection per drum band, SuperFlux style (Böck & Widmer, DAFx 2013), made causal:
 *   1. the percussive magnitude spectrum is summed into log-spaced bands (`bandsPerOctave`), divided by the running
 *      input level (so the log below does not depend on the line-in level) and log-compressed: L = log(1 + γ·v);
 *   2. flux = Σ max(0, L[n, b] − max(L[n − lag, b − w … b + w])): the reference frame is `lag` hops back and
 *      max-filtered across bands, which suppresses vibrato and slow swells;
 *   3. per drum band (kick, snare, hats, all) the flux is averaged over that band's filters.
 * Peak picking is the online variant of Böck et al. (ISMIR 2012): an onset fires on the first hop whose
 * normalised envelope is the maximum of the last `preMaxHops` hops and exceeds the mean of the last `preAvgHops`
 * hops by `threshold`, at least `minIoiHops` after the previous one. No look-ahead: events fire on the rising edge.
 */

export interface BandRange {
  lo: number;
  hi: number;
}

export class LogBandFilterbank {
  readonly count: number;
  /** Band index of each FFT bin in [binLo, binHi), −1 outside. */
  private readonly bandOf: Int32Array;
  private readonly binsPerBand: Float32Array;
  readonly centreHz: Float32Array;
  readonly binLo: number;
  readonly binHi: number;

  constructor(binHz: number, bins: number, loHz: number, hiHz: number, bandsPerOctave: number) {
    this.binLo = Math.max(1, Math.round(loHz / binHz));
    this.binHi = Math.min(bins, Math.round(hiHz / binHz) + 1);
    this.bandOf = new Int32Array(bins).fill(-1);
    // Band index from the bin's log-frequency, then renumbered so that empty bands disappear.
    let count = 0;
    let prevRaw = -1;
    const centre: number[] = [];
    const nBins: number[] = [];
    for (let k = this.binLo; k < this.binHi; k++) {
      const raw = Math.floor(Math.log2((k * binHz) / loHz) * bandsPerOctave + 1e-9);
      if (raw !== prevRaw) {
        count++;
        prevRaw = raw;
        centre.push(0);
        nBins.push(0);
      }
      this.bandOf[k] = count - 1;
      centre[count - 1]! += k * binHz;
      nBins[count - 1]! += 1;
    }
    this.count = count;
    this.binsPerBand = Float32Array.from(nBins);
    this.centreHz = Float32Array.from(centre.map((c, i) => c / nBins[i]!));
  }

  /** Bands whose centre lies in [loHz, hiHz). */
  range(loHz: number, hiHz: number): BandRange {
    let lo = 0;
    while (lo < this.count && this.centreHz[lo]! < loHz) lo++;
    let hi = lo;
    while (hi < this.count && this.centreHz[hi]! < hiHz) hi++;
    return { lo, hi };
  }

  /** Mean magnitude per band of two spectra at once (one pass over the bins). */
  apply2(a: Float32Array, outA: Float32Array, b: Float32Array, outB: Float32Array): void {
    outA.fill(0);
    outB.fill(0);
    const bandOf = this.bandOf;
    for (let k = this.binLo; k < this.binHi; k++) {
      const band = bandOf[k]!;
      outA[band]! += a[k]!;
      outB[band]! += b[k]!;
    }
    for (let i = 0; i < this.count; i++) {
      const inv = 1 / this.binsPerBand[i]!;
      outA[i]! *= inv;
      outB[i]! *= inv;
    }
  }

  /** Mean magnitude per band into `out`. */
  apply(mag: Float32Array, out: Float32Array): void {
    out.fill(0);
    const bandOf = this.bandOf;
    for (let k = this.binLo; k < this.binHi; k++) out[bandOf[k]!]! += mag[k]!;
    for (let b = 0; b < this.count; b++) out[b] = out[b]! / this.binsPerBand[b]!;
  }
}

/** out = log(1 + scale·x), element-wise. */
export function logCompress(x: Float32Array, scale: number, out: Float32Array): void {
  for (let b = 0; b < x.length; b++) out[b] = Math.log1p(x[b]! * scale);
}

/** SuperFlux over log bands with a ring of the last `lag` frames. */
export class SuperFlux {
  private readonly frames: Float32Array[];
  private readonly maxed: Float32Array;
  private n = 0;
  /** Positive flux per band of the last update. */
  readonly diff: Float32Array;

  constructor(
    readonly bands: number,
    readonly lagHops: number,
    readonly maxFilterBands: number,
  ) {
    this.frames = Array.from({ length: lagHops + 1 }, () => new Float32Array(bands));
    this.maxed = new Float32Array(bands);
    this.diff = new Float32Array(bands);
  }

  /** Pushes the log-band frame; returns nothing, fills `diff`. The first `lag` frames give zero flux. */
  update(logBands: Float32Array): void {
    const slot = this.n % (this.lagHops + 1);
    this.frames[slot]!.set(logBands);
    const refSlot = (this.n - this.lagHops + (this.lagHops + 1) * 4) % (this.lagHops + 1);
    const ref = this.frames[refSlot]!;
    const half = (this.maxFilterBands - 1) >> 1;
    const m = this.maxed;
    for (let b = 0; b < this.bands; b++) {
      let v = ref[b]!;
      for (let j = Math.max(0, b - half); j <= Math.min(this.bands - 1, b + half); j++) if (ref[j]! > v) v = ref[j]!;
      m[b] = v;
    }
    const d = this.diff;
    if (this.n < this.lagHops) d.fill(0);
    else
      for (let b = 0; b < this.bands; b++) {
        const v = logBands[b]! - m[b]!;
        d[b] = v > 0 ? v : 0;
      }
    this.n++;
  }

  /** Mean positive flux over bands [lo, hi). */
  sum(r: BandRange): number {
    if (r.hi <= r.lo) return 0;
    let s = 0;
    for (let b = r.lo; b < r.hi; b++) s += this.diff[b]!;
    return s / (r.hi - r.lo);
  }
}

/** Causal peak picker on a 0..1 envelope (see the module comment). */
export class OnsetPicker {
  private readonly hist: Float32Array;
  private n = 0;
  private lastOnset = -1e9;
  private longMean = 0;
  private readonly longAlpha: number;

  /**
   * @param longHops time constant (hops) of a slower running mean; an onset must also exceed `ratio` times it.
   *   Stationary noise has a flux that hovers near its own mean, drums rise many times above theirs.
   */
  constructor(
    readonly preMaxHops: number,
    readonly preAvgHops: number,
    readonly threshold: number,
    readonly minIoiHops: number,
    readonly ratio = 2.5,
    longHops = 50,
  ) {
    this.hist = new Float32Array(Math.max(preMaxHops, preAvgHops) + 1);
    this.longAlpha = 1 / longHops;
  }

  /** Feeds one envelope value; returns true when an onset fires at this hop. `allowed` false vetoes (silence). */
  push(env: number, allowed: boolean): boolean {
    const h = this.hist;
    const L = h.length;
    let max = 0;
    let sum = 0;
    const nPast = Math.min(this.n, L - 1);
    for (let i = 1; i <= nPast; i++) {
      const v = h[(this.n - i + L * 8) % L]!;
      if (i <= this.preMaxHops && v > max) max = v;
      if (i <= this.preAvgHops) sum += v;
    }
    const mean = nPast > 0 ? sum / Math.min(nPast, this.preAvgHops) : 0;
    h[this.n % L] = env;
    this.n++;
    const fire =
      allowed &&
      env >= max &&
      env >= mean + this.threshold &&
      env >= this.ratio * this.longMean &&
      this.n - 1 - this.lastOnset >= this.minIoiHops;
    this.longMean += this.longAlpha * (env - this.longMean);
    if (fire) this.lastOnset = this.n - 1;
    return fire;
  }

  /** An onset found otherwise at the newest hop: it holds off the next as one fired here would. */
  mark(): void {
    this.lastOnset = this.n - 1;
  }

  /** The last onset came to nothing (its confirmations failed): it does not hold off the next. */
  cancel(): void {
    this.lastOnset = -1e9;
  }
}

/**
 * Adaptive 0..1 scaling by a decaying peak: out = x / max(x, peak·decay, floor). A hit is measured against the
 * loudest recent ones, so line-in level and genre need no retuning; `floor` keeps noise near silence small.
 */
export class PeakNormaliser {
  private peak: number;
  constructor(
    readonly decayPerHop: number,
    public floor: number,
  ) {
    this.peak = floor;
  }
  next(x: number): number {
    const v = x > 0 && Number.isFinite(x) ? x : 0;
    const p = Math.max(v, this.peak * this.decayPerHop, this.floor);
    this.peak = p;
    return v / p;
  }
  get current(): number {
    return this.peak;
  }
}

/** Options of SectionLevel; the analysis config's `rmsSlow*` keys (config.ts) say what each one means. */
export interface SectionLevelOptions {
  hopRateHz: number;
  /** Time constant of the running mean of the power, s. */
  windowS: number;
  /** Initial reference, dBFS. */
  refDb: number;
  rangeDb: number;
  fallDbPerMin: number;
  catchUpDbPerMin: number;
}

/**
 * Section energy (the slow RMS), 0..1: the running mean of the RAW signal power over `windowS` seconds, in dB
 * against a level reference that adapts over minutes.
 *
 * Why not the adaptively normalised `rms`: dividing by a decaying peak (PeakNormaliser, seconds) measures the crest
 * factor, not the energy — a drum-heavy drop has high peaks and reads lower than the quiet pad before it. The
 * section question is "is this louder than the music usually is?", so the level must be compared with a memory of
 * the set, not of the last hit:
 *   - level L = 10·log10(mean power), a one-pole mean (a running 1/n mean until the window has filled, so the first
 *     second already reads the real level);
 *   - reference R starts at `refDb`, a typical programme level, so a quiet intro followed by a louder main reads
 *     low-then-high from the very start of a set;
 *   - R rises to L at once when L is louder (peak hold: the loudest section of the set reads 1);
 *   - R falls toward L at only `fallDbPerMin` (a few dB per minute) when L is quieter, so a breakdown keeps reading
 *     low while a quieter track or a lower line-in level is absorbed over minutes; while L is below the whole range
 *     (R far too high: a line-in 30 dB under the nominal level) it falls at `catchUpDbPerMin` until the quietest
 *     material reads 0, then slowly on;
 *   - out = clamp(1 + (L − R) / rangeDb, 0, 1).
 * R holds still during silence and until the first window has filled (a single kick must not set it). Silence
 * feeds zero power: the value falls by 4.3 dB per window, from 1 to 0 in ≈ rangeDb / 4.3 windows (8 s at the
 * defaults).
 * Adaptation to a line-in D dB under the reference: the catch-up brings R down to (quietest material + rangeDb)
 * in (D − rangeDb) / catchUpDbPerMin minutes, so louder parts read above quieter ones from then on; then R falls at
 * fallDbPerMin until the loudest part reads 1, at most rangeDb / fallDbPerMin minutes (6 min at the defaults).
 * Measured: the demo track at −30 dBFS peak reads intro 0 / main ≈ 0.43 in its second minute (played in a loop,
 * test/analysis/sectionLevel.test.ts) and intro ≈ 0.18 / main ≈ 0.6 in its third.
 * Hand-written: a one-pole mean, a clamp and a peak hold; no library has this reference logic.
 */
export class SectionLevel {
  /** The slow level L, dBFS (−200 before any sound). */
  levelDb = -200;
  /** The reference R, dBFS. */
  refDb: number;
  value = 0;
  private power = 0;
  private n = 0;
  private readonly alpha: number;
  private readonly warmHops: number;
  private readonly rangeDb: number;
  private readonly fallPerHop: number;
  private readonly catchUpPerHop: number;

  constructor(opts: SectionLevelOptions) {
    this.alpha = 1 - Math.exp(-1 / (opts.windowS * opts.hopRateHz));
    this.warmHops = Math.max(1, Math.round(opts.windowS * opts.hopRateHz));
    this.refDb = opts.refDb;
    this.rangeDb = opts.rangeDb;
    this.fallPerHop = opts.fallDbPerMin / 60 / opts.hopRateHz;
    this.catchUpPerHop = opts.catchUpDbPerMin / 60 / opts.hopRateHz;
  }

  /** One hop: its raw RMS (after the input gain) and whether it is silent. Returns the 0..1 value. */
  next(rms: number, silent: boolean): number {
    if (this.n === 0 && silent) return 0; // nothing heard yet: the running mean starts with the first sound
    const pow = silent || !(rms > 0 && rms < Infinity) ? 0 : rms * rms;
    this.n++;
    const a = this.n < this.warmHops ? 1 / this.n : this.alpha;
    this.power += a * (pow - this.power);
    const db = this.power > 1e-20 ? 10 * Math.log10(this.power) : -200;
    this.levelDb = db;
    if (!silent && this.n >= this.warmHops) {
      if (db > this.refDb) this.refDb = db;
      else this.refDb = Math.max(db, this.refDb - (db < this.refDb - this.rangeDb ? this.catchUpPerHop : this.fallPerHop));
    }
    const v = 1 + (db - this.refDb) / this.rangeDb;
    this.value = v > 0 ? (v < 1 ? v : 1) : 0;
    return this.value;
  }
}
