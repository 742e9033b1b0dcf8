import type { AnalysisConfig } from './config.js';
import { PeakNormaliser } from './onsets.js';

/**
 * Time constant (s) of the power mean whose peak the gate follows: long against a click (1 ms at full scale reads
 * −25 dBFS), short against a kick or a chord's attack (50 ms reads 8 dB under its own level).
 */
const MEAN_S = 0.3;
/**
 * A hop this far over the absolute floor (3 dB, as amplitude) is heard whatever the mean: hiss whose hops waver by
 * ±0.3 dB (white noise over 441 samples) never reaches it from under the floor.
 */
const HOP_OVER = Math.pow(10, 3 / 20);
/**
 * The line-in's own noise is measured over HISS_BLOCKS blocks of HISS_BLOCK_S: the power's mean stays within
 * HISS_STEADY (2 dB) of itself over all of them, and the band above 4 kHz holds at least HISS_HIGH_SHARE of the
 * power (white noise 0.8, pink 0.25; music, pads and hum far less). Digital silence is no hiss: it lowers the floor
 * through LOWER_UNDER.
 */
const HISS_BLOCK_S = 1;
const HISS_BLOCKS = 5;
const HISS_STEADY = Math.pow(10, 2 / 10);
const HISS_HIGH_SHARE = 0.15;
/** Measured hiss louder than this (power, −66 dBFS) is not a line-in's: a noise texture of the music. */
const HISS_MAX = Math.pow(10, -66 / 10);
/** Hiss under music lies this far under its recent peak (power, 40 dB); louder steady noise is part of the music. */
const HISS_UNDER_MUSIC = Math.pow(10, -40 / 10);
/** The floor sits this far over the measured hiss (power, 6 dB), and no lower than MEASURED_MIN (−90 dBFS). */
const HISS_MARGIN = Math.pow(10, 6 / 10);
const MEASURED_MIN = Math.pow(10, -90 / 10);
/**
 * A mean this far under the floor (power, 8 dB: the margin and 2 dB) shows the line-in's noise to be lower than the
 * floor assumes: the floor comes down to HISS_MARGIN over it at once (digital silence, a quiet interface, or the end of
 * a steady passage that was measured as hiss). A line-in's noise lies under everything it carries, so real hiss never
 * brings the floor under itself.
 */
const LOWER_UNDER = HISS_MARGIN * Math.pow(10, 2 / 10);
/** The recent peak's floor (power, −140 dBFS): hiss heard alone from the start is the loudest thing heard. */
const PEAK_MIN = 1e-14;

/**
 * The silence decision. A hop is silent under `silenceUnderPeakDb` under the recent peak of the level's MEAN_S mean
 * (decaying over `silenceMemoryS`), or under the absolute floor: its RMS, and that mean too unless the hop is HOP_OVER
 * it. The absolute floor starts at `silenceDb` and follows the line-in's own noise: up to HISS_MARGIN over it once it
 * has been heard alone for HISS_BLOCKS seconds (before the music, in a gap), down to HISS_MARGIN over the mean as
 * soon as the mean falls LOWER_UNDER under the floor, and no lower than −90 dBFS, so a quiet interface lets a line-in
 * set low keep its quiet passages and a noisy one keeps its hiss silent.
 */
export class SilenceGate {
  /** The absolute floor now, as power. */
  floorPower: number;
  /** The measured noise (power; −1 before any measurement). */
  hissPower = -1;
  private readonly peak: PeakNormaliser;
  private readonly meanKeep: number;
  private readonly underPeak: number;
  private meanPower = 0;
  private started = false;
  private readonly blockHops: number;
  private hopsInBlock = 0;
  private blockMin = Infinity;
  private blockMax = 0;
  private blockShare = 0;
  /** Per block of the window: min and max of the mean power, and the mean high-band share. */
  private readonly mins = new Float64Array(HISS_BLOCKS);
  private readonly maxes = new Float64Array(HISS_BLOCKS);
  private readonly shares = new Float64Array(HISS_BLOCKS);
  private blocksDone = 0;

  /** `p`: the rate and hop (hopInput.ts's ResolvedParams, which imports this module). */
  constructor(cfg: AnalysisConfig, p: { sampleRate: number; hopSamples: number; hopRateHz: number }) {
    const amp = Math.pow(10, cfg.silenceDb / 20);
    this.floorPower = amp * amp;
    this.underPeak = Math.pow(10, -cfg.silenceUnderPeakDb / 10);
    // Held as power: its decay a hop is the square of the amplitude's, for the same time constant.
    this.peak = new PeakNormaliser(Math.exp((-2 * p.hopSamples) / (cfg.silenceMemoryS * p.sampleRate)), PEAK_MIN);
    this.meanKeep = Math.exp(-p.hopSamples / (MEAN_S * p.sampleRate));
    this.blockHops = Math.max(1, Math.round(HISS_BLOCK_S * p.hopRateHz));
  }

  /** One hop: its RMS and its power below 200 Hz, 200 Hz–4 kHz and above 4 kHz. Returns whether it is silent. */
  step(rms: number, low: number, mid: number, high: number): boolean {
    const power = rms * rms;
    const keep = this.meanKeep;
    const finite = Number.isFinite(power) ? power : 0;
    // The mean starts at the first hop's power: its rise from zero is no quiet interface.
    this.meanPower = this.started ? keep * this.meanPower + (1 - keep) * finite : finite;
    this.started = true;
    // The peak is kept in power; PeakNormaliser drops non-finite input.
    this.peak.next(this.meanPower);
    this.measure(low, mid, high);
    const floor = this.floorPower;
    const under = this.peak.current * this.underPeak;
    const gate = under > floor ? under : floor;
    const overFloor = power >= floor * HOP_OVER * HOP_OVER || this.meanPower >= floor;
    return !(power >= gate && overFloor);
  }

  private measure(low: number, mid: number, high: number): void {
    const m = this.meanPower;
    if (m * LOWER_UNDER < this.floorPower && this.floorPower > MEASURED_MIN) {
      this.hissPower = m;
      const floor = m * HISS_MARGIN;
      this.floorPower = floor > MEASURED_MIN ? floor : MEASURED_MIN;
    }
    if (m < this.blockMin) this.blockMin = m;
    if (m > this.blockMax) this.blockMax = m;
    const all = low + mid + high;
    this.blockShare += all > 0 && Number.isFinite(all) ? high / all : 0;
    if (++this.hopsInBlock < this.blockHops) return;
    const at = this.blocksDone % HISS_BLOCKS;
    this.mins[at] = this.blockMin;
    this.maxes[at] = this.blockMax;
    this.shares[at] = this.blockShare / this.hopsInBlock;
    this.blocksDone++;
    this.hopsInBlock = 0;
    this.blockMin = Infinity;
    this.blockMax = 0;
    this.blockShare = 0;
    if (this.blocksDone < HISS_BLOCKS) return;
    let min = Infinity;
    let max = 0;
    let share = 0;
    for (let b = 0; b < HISS_BLOCKS; b++) {
      if (this.mins[b]! < min) min = this.mins[b]!;
      if (this.maxes[b]! > max) max = this.maxes[b]!;
      share += this.shares[b]! / HISS_BLOCKS;
    }
    const peak = this.peak.current;
    const alone = peak <= max * HISS_STEADY;
    const hiss = max <= min * HISS_STEADY && share >= HISS_HIGH_SHARE && max <= HISS_MAX && (alone || max <= peak * HISS_UNDER_MUSIC);
    if (!hiss) return;
    this.hissPower = max;
    const floor = max * HISS_MARGIN;
    this.floorPower = floor > MEASURED_MIN ? floor : MEASURED_MIN;
  }
}
