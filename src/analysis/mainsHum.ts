import { MagnitudeSpectrum, nearestPowerOfTwo } from './fft.js';

/**
 * Mains hum heard in the decimated low band: the power held in narrow lines at the harmonics of 50 or 60 Hz.
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
const DRIFT_MAX = 0.005;
const DRIFT_STEP = 0.0004;
/** Bins summed on each side of a line's centre: its Hann main lobe spans two. */
const LINE_HALF_BINS = 1;
/**
 * A sine's power (mean square) from the sum of its bins' squared magnitudes: the spectrum is scaled so that a sine
 * of amplitude A peaks at A, and Hann's noise bandwidth is 1.5 bins, so its bins sum to 1.5·A² and its power is A²/2.
 */
const POWER_OF_BINS = 1 / 3;

/** Bins each side of a line, from GUARD_FROM_BINS out to GUARD_TO_BINS (1–2.7 Hz), whose mean tells the floor under it. */
const GUARD_FROM_BINS = 3;
const GUARD_TO_BINS = 8;
/** A line's rise over its floor counts up to this (dB) in `standingHz`: one loud partial does not make a mains. */
const STAND_CAP_DB = 30;
/** Lines read at most (800 Hz at 50 Hz: the decimator's band). */
export const MAX_HUM_LINES = 16;

/** One reading of the likelier mains: its fundamental with drift, and per harmonic the line's power and the floor's. */
export interface HumReading {
  fundamentalHz: number;
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
  private readonly reading: HumReading = {
    fundamentalHz: 0,
    lines: 0,
    linePower: new Float64Array(MAX_HUM_LINES),
    floorPower: new Float64Array(MAX_HUM_LINES),
  };
  private bestHz = 0;

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

  /**
   * Power (mean square, as the hop RMS squared) held in the lines of the likelier mains over the newest window of
   * `ring` (a power-of-two circular buffer addressed by absolute index & mask, `written` samples so far); 0 before
   * a window has been heard.
   */
  measure(ring: Float32Array, mask: number, written: number): number {
    return this.transform(ring, mask, written) ? this.likeliest() : 0;
  }

  /** Transforms the newest window of `ring`; false (and nothing done) before a whole window has been heard. */
  transform(ring: Float32Array, mask: number, written: number): boolean {
    if (written < this.spec.size || ring.length < this.spec.size) return false;
    this.spec.computeFromRing(ring, mask, written);
    return true;
  }

  /** The last transform's likelier mains with drift (Hz; `likeliest` sets it). */
  get likeliestHz(): number {
    return this.bestHz;
  }

  /** The power in the lines of the likelier mains in the last transform; sets `likeliestHz`. */
  likeliest(): number {
    const mag = this.spec.mag;
    let best = 0;
    this.bestHz = 0;
    for (const mainsHz of MAINS_HZ) {
      for (let drift = -DRIFT_MAX; drift <= DRIFT_MAX + 1e-9; drift += DRIFT_STEP) {
        const lineHz = mainsHz * (1 + drift);
        let sum = 0;
        let last = -1;
        for (let k = 1; k <= MAX_HUM_LINES; k++) {
          const centre = Math.round((k * lineHz) / this.binHz);
          if (centre > this.topBin) break;
          // Lines a bin apart would count their shared bins twice.
          const from = Math.max(centre - LINE_HALF_BINS, last + 1);
          for (let b = from; b <= centre + LINE_HALF_BINS; b++) sum += mag[b]! * mag[b]!;
          last = centre + LINE_HALF_BINS;
        }
        if (sum > best) {
          best = sum;
          this.bestHz = lineHz;
        }
      }
    }
    return best * POWER_OF_BINS;
  }

  /**
   * The mains with drift whose lines stand out most over the floor beside them in the last transform (Hz; 0 where
   * none stands out at all): the sum over harmonics of each centre bin's rise over its guard bins, in dB from 0 to
   * STAND_CAP_DB. Under music the power in the lines is mostly the music's, so the likeliest by power wanders from
   * reading to reading; the hum's lines are the narrow ones, and a candidate a bin off reads them on a flank.
   */
  standingHz(): number {
    const mag = this.spec.mag;
    let best = 0;
    let bestHz = 0;
    for (const mainsHz of MAINS_HZ) {
      for (let drift = -DRIFT_MAX; drift <= DRIFT_MAX + 1e-9; drift += DRIFT_STEP) {
        const lineHz = mainsHz * (1 + drift);
        let score = 0;
        for (let k = 1; k <= MAX_HUM_LINES; k++) {
          const centre = Math.round((k * lineHz) / this.binHz);
          if (centre + GUARD_TO_BINS >= this.spec.bins || centre > this.topBin) break;
          let guard = 0;
          for (let d = GUARD_FROM_BINS; d <= GUARD_TO_BINS; d++) {
            guard += mag[centre - d]! * mag[centre - d]! + mag[centre + d]! * mag[centre + d]!;
          }
          const rise = (mag[centre]! * mag[centre]! * 2 * (GUARD_TO_BINS - GUARD_FROM_BINS + 1)) / (guard + 1e-30);
          const db = rise > 1 ? 10 * Math.log10(rise) : 0;
          score += db < STAND_CAP_DB ? db : STAND_CAP_DB;
        }
        if (score > best) {
          best = score;
          bestHz = lineHz;
        }
      }
    }
    return bestHz;
  }

  /**
   * The last transform read at the harmonics of `fundamentalHz`: each line's power, and the floor around each (the
   * mean of the guard bins, times the line's bins).
   */
  linesAt(fundamentalHz: number): HumReading {
    const mag = this.spec.mag;
    const r = this.reading;
    r.fundamentalHz = fundamentalHz;
    r.lines = 0;
    if (!(fundamentalHz > 0)) return r;
    for (let k = 1; k <= MAX_HUM_LINES; k++) {
      const centre = Math.round((k * fundamentalHz) / this.binHz);
      if (centre + GUARD_TO_BINS >= this.spec.bins || centre > this.topBin) break;
      let line = 0;
      for (let b = centre - LINE_HALF_BINS; b <= centre + LINE_HALF_BINS; b++) line += mag[b]! * mag[b]!;
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
      r.linePower[k - 1] = line * POWER_OF_BINS;
      r.floorPower[k - 1] = (guard / guards) * (2 * LINE_HALF_BINS + 1) * POWER_OF_BINS;
      r.lines = k;
    }
    return r;
  }
}
