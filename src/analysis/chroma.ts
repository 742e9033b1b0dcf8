/**
 * Pitch-class profiles from magnitude spectra. Frequencies map to fractional MIDI pitch
 * p = 69 + 12·log2(f / (440·2^(tuningCents/1200))); each bin's power is shared linearly between the two nearest
 * semitones, so a bin between two notes counts half to each and a retuned band (A = 432 Hz) still lands on its notes.
 */

export function hzToMidi(hz: number, tuningCents = 0): number {
  return 69 + 12 * Math.log2(hz / 440) - tuningCents / 100;
}

export function midiToHz(midi: number, tuningCents = 0): number {
  return 440 * Math.pow(2, (midi - 69 + tuningCents / 100) / 12);
}

/** Non-negative modulo. */
export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/**
 * Maps FFT bins [lo, hi) to semitones (MIDI numbers), two weights per bin. Rebuilt in place (no allocation) when
 * the tuning estimate moves.
 */
export class SemitoneMap {
  readonly lo: number;
  readonly hi: number;
  /** Lower semitone of each bin's pair, and the weight it gets; the upper one gets 1 − weight. */
  readonly lower: Int32Array;
  readonly weight: Float32Array;
  /** Pitch classes (0 = C) of the lower and upper semitone. */
  readonly pcLower: Int32Array;
  readonly pcUpper: Int32Array;
  tuningCents = 0;

  constructor(
    readonly binHz: number,
    loHz: number,
    hiHz: number,
  ) {
    this.lo = Math.max(1, Math.floor(loHz / binHz));
    this.hi = Math.max(this.lo + 1, Math.ceil(hiHz / binHz));
    this.lower = new Int32Array(this.hi);
    this.weight = new Float32Array(this.hi);
    this.pcLower = new Int32Array(this.hi);
    this.pcUpper = new Int32Array(this.hi);
    this.retune(0);
  }

  retune(tuningCents: number): void {
    this.tuningCents = tuningCents;
    for (let k = this.lo; k < this.hi; k++) {
      const p = hzToMidi(k * this.binHz, tuningCents);
      const f = Math.floor(p);
      this.lower[k] = f;
      this.weight[k] = 1 - (p - f);
      this.pcLower[k] = mod(f, 12);
      this.pcUpper[k] = mod(f + 1, 12);
    }
  }

  /**
   * Adds magnitudes of bins [lo, hi) into 12 pitch classes. Magnitude rather than power: a loud bass line's
   * partials would otherwise outweigh the chord's notes (power squares the level difference).
   */
  accumulateChroma(mag: Float32Array, chroma: Float64Array): void {
    chroma.fill(0);
    for (let k = this.lo; k < this.hi; k++) {
      const e = mag[k]!;
      if (e === 0) continue;
      const w = this.weight[k]!;
      chroma[this.pcLower[k]!]! += e * w;
      chroma[this.pcUpper[k]!]! += e * (1 - w);
    }
  }

  /**
   * Peak-based chroma (after Gómez's HPCP): only local maxima of the spectrum count, each at its frequency refined
   * by parabolic interpolation of the log magnitude, weighted by cos²(π·d) of its distance d (semitones) to the
   * nearest tuned semitone. A 4096-point frame's main lobe spans about ±1 semitone below 400 Hz, so summing bins
   * would leak each note into its neighbours; a peak lands on its own note.
   */
  accumulateChromaPeaks(mag: Float32Array, chroma: Float64Array, bassHz = 0): void {
    chroma.fill(0);
    const lo = Math.max(this.lo, 1);
    const hi = Math.min(this.hi, mag.length - 1);
    for (let k = lo; k < hi; k++) {
      const b = mag[k]!;
      if (b <= 0 || b <= mag[k - 1]! || b < mag[k + 1]!) continue;
      const delta = parabolicPeak(mag, k, peak);
      const hz = (k + delta) * this.binHz;
      const p = hzToMidi(hz, this.tuningCents);
      const n = Math.round(p);
      let w = Math.cos(Math.PI * (p - n));
      w *= w;
      if (bassHz > 0) w *= bassPartialWeight(hz / bassHz);
      chroma[mod(n, 12)]! += b * w;
    }
  }

  /**
   * Peak-based semitone energies: each local maximum's power goes to its nearest semitone at its interpolated
   * frequency (cos² weight), out[m − firstMidi] for MIDI m. Used for the bass, where 5 Hz bins are wider than a
   * semitone below C2 and summing bins would smear a note's partials into its neighbours.
   */
  accumulateSemitonePeaks(mag: Float32Array, out: Float64Array, firstMidi: number): void {
    out.fill(0);
    const n = out.length;
    const lo = Math.max(this.lo, 1);
    const hi = Math.min(this.hi, mag.length - 1);
    for (let k = lo; k < hi; k++) {
      const b = mag[k]!;
      if (b <= 0 || b <= mag[k - 1]! || b < mag[k + 1]!) continue;
      const delta = parabolicPeak(mag, k, peak);
      const height = Math.exp(peak[0]!);
      const p = hzToMidi((k + delta) * this.binHz, this.tuningCents);
      const m = Math.round(p);
      const i = m - firstMidi;
      if (i < 0 || i >= n) continue;
      const w = Math.cos(Math.PI * (p - m));
      out[i]! += height * height * w * w;
    }
  }

  /** Adds power of bins [lo, hi) into semitones: out[m − firstMidi] for MIDI m. */
  accumulateSemitones(mag: Float32Array, out: Float64Array, firstMidi: number): void {
    out.fill(0);
    const n = out.length;
    for (let k = this.lo; k < this.hi; k++) {
      const m = mag[k]!;
      const e = m * m;
      if (e === 0) continue;
      const i = this.lower[k]! - firstMidi;
      const w = this.weight[k]!;
      if (i >= 0 && i < n) out[i]! += e * w;
      if (i + 1 >= 0 && i + 1 < n) out[i + 1]! += e * (1 - w);
    }
  }
}

/**
 * Running tuning estimate (cents relative to A = 440 Hz, in −50…50) from the spectral peaks of the harmonic part:
 * each local maximum's frequency is refined by parabolic interpolation of the log magnitude, its deviation from the
 * nearest semitone becomes an angle on the circle (100 cents = 2π), and the power-weighted vectors are averaged with
 * a leaky integrator. The circular mean cannot be fooled by deviations wrapping around ±50 cents.
 */
export class TuningEstimator {
  private re = 0;
  private im = 0;

  constructor(
    readonly binHz: number,
    readonly lo: number,
    readonly hi: number,
    /** Leak per update (0..1): weight of the past. */
    readonly keep: number,
  ) {}

  update(mag: Float32Array): void {
    let re = 0;
    let im = 0;
    for (let k = Math.max(this.lo, 1); k < this.hi - 1; k++) {
      const b = mag[k]!;
      if (b <= mag[k - 1]! || b < mag[k + 1]! || b <= 0) continue;
      const delta = parabolicPeak(mag, k, peak);
      const hz = (k + delta) * this.binHz;
      const p = hzToMidi(hz);
      const dev = p - Math.round(p);
      const ang = 2 * Math.PI * dev;
      const e = b * b;
      re += e * Math.cos(ang);
      im += e * Math.sin(ang);
    }
    const k = this.keep;
    this.re = k * this.re + (1 - k) * re;
    this.im = k * this.im + (1 - k) * im;
  }

  /** Current estimate in cents; 0 until peaks have been seen. */
  cents(): number {
    if (this.re === 0 && this.im === 0) return 0;
    return (Math.atan2(this.im, this.re) / (2 * Math.PI)) * 100;
  }
}

/**
 * Partials of the bass note that are neither its root nor its fifth (5th = major third, 7th = minor seventh, 9th =
 * ninth, …) sound like chord tones that are not there; when a peak lies within 10 cents of one of them, it counts
 * a quarter. A real chord tone near such a partial is (in equal temperament) 11 cents or more away from it, e.g. the
 * major third 14 cents from the 5th partial, so it keeps its weight; the ninth, 4 cents from the 9th partial, does
 * not, and no chord the analysis names holds one.
 */
const FOREIGN_PARTIALS = new Uint8Array(17);
for (const k of [5, 7, 9, 10, 11, 13, 14, 15]) FOREIGN_PARTIALS[k] = 1;
export function bassPartialWeight(ratio: number): number {
  const k = Math.round(ratio);
  if (k < 5 || k > 16 || FOREIGN_PARTIALS[k] === 0) return 1;
  const cents = 1200 * Math.log2(ratio / k);
  return cents > -10 && cents < 10 ? 0.25 : 1;
}

/** Scales a 12-vector to max 1 (all zeros stay zeros) into a Float32 output. */
/** Index of the largest value (the first of equals). */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

export function normaliseMax(src: Float64Array, dst: Float32Array): void {
  let max = 0;
  for (let i = 0; i < src.length; i++) if (src[i]! > max) max = src[i]!;
  if (!(max > 1e-20)) {
    dst.fill(0);
    return;
  }
  for (let i = 0; i < src.length; i++) dst[i] = src[i]! / max;
}

/** Scratch for parabolicPeak's second result (the analysis runs on one thread; no allocation per peak). */
const peak = new Float64Array(1);

/**
 * Parabolic interpolation of a local maximum at bin k on the log magnitude: returns the offset δ (bins, −0.5..0.5)
 * of the true peak and writes its log height, lb − (a − c)·δ/4, to out[0].
 */
function parabolicPeak(mag: Float32Array, k: number, out: Float64Array): number {
  const a = Math.log(mag[k - 1]! + 1e-12);
  const lb = Math.log(mag[k]! + 1e-12);
  const c = Math.log(mag[k + 1]! + 1e-12);
  const den = a - 2 * lb + c;
  const delta = den < 0 ? (0.5 * (a - c)) / den : 0;
  out[0] = lb - 0.25 * (a - c) * delta;
  return delta;
}
