import { MagnitudeSpectrum, nearestPowerOfTwo } from './fft.js';

/**
 * Mains hum heard in the decimated low band: narrow lines at the harmonics of 50 or 60 Hz, read over WINDOW_S.
 *
 * A ground loop's hum is as steady as hiss and lies under the music whatever its level, but it is dark, so the
 * silence gate's hiss measurement (bright noise) never takes it, and in a gap it keeps the chroma, the bass and the
 * beat lit. What tells it from music is its frequency: mains run within ±0.4 % of 50 or 60 Hz, while an instrument
 * tuned to A440 plays G1 at 49.0 Hz, B♭1 at 58.3 Hz and B1 at 61.7 Hz, 33 to 45 cents away. A window of WINDOW_S
 * (Hann main lobe ±0.67 Hz) keeps a drone on those notes out of the lines; a shorter one would not.
 */

/** The window (s): about 3 s, a power of two of samples at the decimated rate. */
const WINDOW_S = 3;
/** The mains' nominal frequencies (Hz). */
const MAINS_HZ = [50, 60] as const;
/** Drift searched around them: ±0.5 % (grids run ±0.2 Hz in Europe, ±0.036 Hz in North America), in 0.04 % steps. */
export const DRIFT_MAX = 0.005;
const DRIFT_STEP = 0.0004;
const DRIFT_STEPS = Math.round(DRIFT_MAX / DRIFT_STEP);
/** Bins summed on each side of a line's centre: its Hann main lobe spans two. */
const LINE_HALF_BINS = 1;
/**
 * A sine's power (mean square) from the sum of its bins' squared magnitudes: the spectrum is scaled so that a sine
 * of amplitude A peaks at A, and Hann's noise bandwidth is 1.5 bins, so its bins sum to 1.5·A²; its power is A²/2.
 */
const POWER_OF_BINS = 1 / 3;

/** Bins each side of a line, from GUARD_FROM_BINS to GUARD_TO_BINS (1–2.7 Hz), whose mean tells the floor under it. */
const GUARD_FROM_BINS = 3;
const GUARD_TO_BINS = 8;
/** A line's rise over its floor counts up to this (dB) in `standingHz`: one loud partial does not make a mains. */
const STAND_CAP_DB = 30;
/** Scores within this (dB, summed over the lines) are a tie, told by power. */
const SCORE_TIE_DB = 1;
/** How far (a ratio, 0.25 %) the refinement may move the candidate chosen. */
const REFINE_MAX = 0.0025;
/** Lines read at most (800 Hz at 50 Hz: the decimator's band). */
export const MAX_HUM_LINES = 16;

/** One reading at a fundamental: per harmonic the line's power and the floor's. */
export interface HumReading {
  /** Lines read (harmonics 1…lines). */
  lines: number;
  /** Power (mean square) of each line, and of the floor around it over as many bins (MAX_HUM_LINES long). */
  linePower: Float64Array;
  floorPower: Float64Array;
}

export class MainsHum {
  private readonly spec: MagnitudeSpectrum;
  private readonly binHz: number;
  /** Highest bin the decimator lets through (its low-pass sits at the cutoff). */
  private readonly topBin: number;
  /** Per candidate of `standingHz`: its score, its centres' power, its fundamental. */
  private readonly scores = new Float64Array(MAINS_HZ.length * (2 * DRIFT_STEPS + 1));
  private readonly powers = new Float64Array(MAINS_HZ.length * (2 * DRIFT_STEPS + 1));
  private readonly candidatesHz = new Float64Array(MAINS_HZ.length * (2 * DRIFT_STEPS + 1));
  private readonly reading: HumReading = {
    lines: 0,
    linePower: new Float64Array(MAX_HUM_LINES),
    floorPower: new Float64Array(MAX_HUM_LINES),
  };

  /** `rateHz`: the decimated band's sample rate; `cutoffHz`: its low-pass. */
  constructor(rateHz: number, cutoffHz: number) {
    this.spec = new MagnitudeSpectrum(MainsHum.windowSamples(rateHz));
    this.binHz = rateHz / this.spec.size;
    this.topBin = Math.min(this.spec.bins - 1 - LINE_HALF_BINS, Math.floor(cutoffHz / this.binHz));
  }

  /** Samples the ring must hold for one measurement at `rateHz`. */
  static windowSamples(rateHz: number): number {
    return nearestPowerOfTwo(WINDOW_S * rateHz);
  }

  /** Transforms the newest window of `ring`; false (and nothing done) before a whole window has been heard. */
  transform(ring: Float32Array, mask: number, written: number): boolean {
    if (written < this.spec.size || ring.length < this.spec.size) return false;
    this.spec.computeFromRing(ring, mask, written);
    return true;
  }

  /**
   * The mains with drift whose lines stand out most over the floor beside them in the last transform (Hz; 0 where
   * none stands out at all): the sum over harmonics of each centre bin's rise over its guard bins, in dB from 0 to
   * STAND_CAP_DB. Under music the power in the lines is mostly the music's, so the likeliest by power wanders from
   * reading to reading; the hum's lines are the narrow ones, and a candidate a bin off reads them on a flank.
   */
  standingHz(): number {
    const mag = this.spec.mag;
    const { scores, powers, candidatesHz } = this;
    let n = 0;
    let best = 0;
    for (const mainsHz of MAINS_HZ) {
      for (let step = -DRIFT_STEPS; step <= DRIFT_STEPS; step++) {
        const lineHz = mainsHz * (1 + step * DRIFT_STEP);
        let score = 0;
        let power = 0;
        for (let k = 1; k <= MAX_HUM_LINES; k++) {
          const centre = Math.round((k * lineHz) / this.binHz);
          if (centre + GUARD_TO_BINS >= this.spec.bins || centre > this.topBin) break;
          const centrePower = mag[centre]! * mag[centre]!;
          const rise = centrePower / (this.guardMean(centre) + 1e-30);
          const db = rise > 1 ? 10 * Math.log10(rise) : 0;
          score += db < STAND_CAP_DB ? db : STAND_CAP_DB;
          power += centrePower;
        }
        scores[n] = score;
        powers[n] = power;
        candidatesHz[n++] = lineHz;
        if (score > best) best = score;
      }
    }
    if (best === 0) return 0;
    // Hum far over its floor caps every line of the candidates around it alike: of those within SCORE_TIE_DB of the
    // best, the one whose centres hold the most power lies nearest.
    let bestHz = 0;
    let bestPower = -1;
    for (let i = 0; i < n; i++) {
      if (scores[i]! >= best - SCORE_TIE_DB && powers[i]! > bestPower) {
        bestPower = powers[i]!;
        bestHz = candidatesHz[i]!;
      }
    }
    return this.refined(bestHz);
  }

  /**
   * `hz` refined on the strongest of its lines: the peak bin within two of the line's centre, placed between its
   * neighbours by a parabola through their log magnitudes (a twentieth of a bin for a Hann window), over the
   * harmonic number. The grid of candidates is a bin coarse at the eighth harmonic.
   */
  private refined(hz: number): number {
    const mag = this.spec.mag;
    let bestK = 0;
    let bestBin = 0;
    let bestMag = 0;
    for (let k = 1; k <= MAX_HUM_LINES; k++) {
      const centre = Math.round((k * hz) / this.binHz);
      if (centre + 3 >= this.spec.bins || centre > this.topBin) break;
      for (let b = centre - 2; b <= centre + 2; b++) {
        if (mag[b]! > bestMag) {
          bestMag = mag[b]!;
          bestBin = b;
          bestK = k;
        }
      }
    }
    if (bestK === 0 || bestBin < 1) return hz;
    const a = Math.log(mag[bestBin - 1]! + 1e-30);
    const b = Math.log(bestMag + 1e-30);
    const c = Math.log(mag[bestBin + 1]! + 1e-30);
    const curve = a - 2 * b + c;
    const offset = curve < 0 ? (0.5 * (a - c)) / curve : 0;
    const refinedHz = ((bestBin + offset) * this.binHz) / bestK;
    // Saturated scores tie over a few steps of the grid; a peak further off is not the hum's own. And never outside
    // the band searched, where the canceller's loop may not follow.
    const mainsHz = hz < 55 ? 50 : 60;
    const kept = Math.abs(refinedHz / hz - 1) <= REFINE_MAX ? refinedHz : hz;
    return Math.max(mainsHz * (1 - DRIFT_MAX), Math.min(mainsHz * (1 + DRIFT_MAX), kept));
  }

  /**
   * The last transform read at the harmonics of `fundamentalHz`: each line's power, and the floor around each (the
   * mean of the guard bins, times the line's bins).
   */
  linesAt(fundamentalHz: number): HumReading {
    const mag = this.spec.mag;
    const r = this.reading;
    r.lines = 0;
    if (!(fundamentalHz > 0)) return r;
    for (let k = 1; k <= MAX_HUM_LINES; k++) {
      const centre = Math.round((k * fundamentalHz) / this.binHz);
      if (centre + GUARD_TO_BINS >= this.spec.bins || centre > this.topBin) break;
      let line = 0;
      for (let b = centre - LINE_HALF_BINS; b <= centre + LINE_HALF_BINS; b++) line += mag[b]! * mag[b]!;
      r.linePower[k - 1] = line * POWER_OF_BINS;
      r.floorPower[k - 1] = this.guardMean(centre) * (2 * LINE_HALF_BINS + 1) * POWER_OF_BINS;
      r.lines = k;
    }
    return r;
  }

  /** Mean squared magnitude of the guard bins each side of `centre` (those above DC) in the last transform. */
  private guardMean(centre: number): number {
    const mag = this.spec.mag;
    let guard = 0;
    let guards = 0;
    for (let d = GUARD_FROM_BINS; d <= GUARD_TO_BINS; d++) {
      if (centre - d > 0) {
        guard += mag[centre - d]! * mag[centre - d]!;
        guards++;
      }
      guard += mag[centre + d]! * mag[centre + d]!;
      guards++;
    }
    return guard / guards;
  }
}
