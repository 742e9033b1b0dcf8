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

export class MainsHum {
  private readonly spec: MagnitudeSpectrum;
  private readonly binHz: number;
  /** Highest bin the decimator lets through (its low-pass sits at the cutoff). */
  private readonly topBin: number;

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
    if (written < this.spec.size || ring.length < this.spec.size) return 0;
    const mag = this.spec.computeFromRing(ring, mask, written);
    let best = 0;
    for (const mainsHz of MAINS_HZ) {
      for (let drift = -DRIFT_MAX; drift <= DRIFT_MAX + 1e-9; drift += DRIFT_STEP) {
        const lineHz = mainsHz * (1 + drift);
        let sum = 0;
        let last = -1;
        for (let k = 1; ; k++) {
          const centre = Math.round((k * lineHz) / this.binHz);
          if (centre > this.topBin) break;
          // Lines a bin apart would count their shared bins twice.
          const from = Math.max(centre - LINE_HALF_BINS, last + 1);
          for (let b = from; b <= centre + LINE_HALF_BINS; b++) sum += mag[b]! * mag[b]!;
          last = centre + LINE_HALF_BINS;
        }
        if (sum > best) best = sum;
      }
    }
    return best * POWER_OF_BINS;
  }
}
