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
 * HISS_STEADY (2 dB) of itself over all of them, and in each the band above 4 kHz holds at least HISS_HIGH_SHARE of the
 * power (white noise 0.8, pink 0.25; music, pads and hum far less). Digital silence is no hiss: it lowers the floor
 * through LOWER_UNDER.
 */
const HISS_BLOCK_S = 1;
const HISS_BLOCKS = 5;
const HISS_STEADY = Math.pow(10, 2 / 10);
const HISS_HIGH_SHARE = 0.15;
/**
 * And no hop's power above 4 kHz over this multiple of its block's mean there (1.5 dB). White and pink hiss peak
 * 0.37–0.45 dB over it; hats in sixteenths, which keep the mean as steady, 6.3, 4.4, 3.0 and 1.9 dB with decays of 30,
 * 60, 100 and 200 ms. The whole band would not do: pink hiss's energy under 100 Hz moves 3–4.4 dB hop to hop.
 */
const HIGH_PEAK_OVER_MEAN = Math.pow(10, 1.5 / 10);
/** Measured hiss louder than this (power, −66 dBFS) is not a line-in's: a noise texture of the music. */
const HISS_MAX = Math.pow(10, -66 / 10);
/** Hiss under music lies this far under its recent peak (power, 40 dB); louder steady noise is part of the music. */
const HISS_UNDER_MUSIC = Math.pow(10, -40 / 10);
/** The floor sits this far over the measured hiss (power, 6 dB). */
const HISS_MARGIN = Math.pow(10, 6 / 10);
/** The floor never goes under this (power, −90 dBFS: a 16-bit interface's own noise) unless `silenceDb` is lower. */
const MEASURED_MIN = Math.pow(10, -90 / 10);
/**
 * A mean this far under the floor (power, 8 dB: the margin and 2 dB) for LOWER_HOLD_S shows the line-in's noise to be
 * lower than the floor assumes: the floor comes down to HISS_MARGIN over it (digital silence, a quiet interface). The
 * hold keeps a buffer of zeros at the stream's start or a dropout from doing it (0.41 s of zeros lowered a floor
 * measured over hiss at −72 dBFS, which was then heard for 40 s of a gap).
 */
const LOWER_UNDER = HISS_MARGIN * Math.pow(10, 2 / 10);
const LOWER_HOLD_S = 2;
/** The recent peak's floor (power, −140 dBFS): hiss heard alone from the start is the loudest thing heard. */
const PEAK_MIN = 1e-14;
/**
 * Noise is alone when nothing 2 dB louder was heard within about this memory (s): in a gap, hiss at −72 dBFS after
 * music at −40 took 104 s to be alone in the 30 s memory of the relative gate, 18 s in this one.
 */
const ALONE_MEMORY_S = 5;
/**
 * A line-in's hiss lies under everything it carries: the band above 4 kHz never falls under the hiss's own. Once it
 * has, GONE_UNDER (3 dB) under it on GONE_HOPS hops in a row (not hops PAUSE_UNDER under the hiss, 30 dB: a dropout
 * or a paused source, zeros that the DC blocker leaves a little over zero, says nothing of the line's noise), the noise
 * measured was no hiss (a rain or noise intro that stopped, a noise bed of the music) or the line has changed: the
 * measurement is forgotten (kept for the restore) and the floor goes back to `silenceDb` if it was over it. Music
 * over the hiss only adds to that band, however quiet it is (a line-in set 35 dB low, its music 12–20 dB over its
 * hiss, keeps its measurement; so do its MP3, AAC and Opus encodings from 32 to 128 kbps); a window of the onset
 * spectrum half over the edge of a dropout reads up to 4 hops low, hence 8.
 */
const GONE_UNDER = 0.5;
const GONE_HOPS = 8;
const PAUSE_UNDER = 1e-3;

/**
 * The silence decision. A hop is silent under `silenceUnderPeakDb` under the recent peak of the level's MEAN_S mean
 * (decaying over `silenceMemoryS`), or under the absolute floor: its RMS, and that mean too unless the hop is HOP_OVER
 * it. The absolute floor starts at `silenceDb` and, with `silenceFollowsNoise`, follows the line-in's own noise: to
 * HISS_MARGIN over steady, bright noise heard for HISS_BLOCKS seconds alone (before the music, in a gap) or
 * HISS_UNDER_MUSIC under the music, for as long as that noise stays under everything (GONE_UNDER); back there after a
 * second of the same noise once a pause has lowered it; down to HISS_MARGIN over the mean once that has stayed
 * LOWER_UNDER under it for LOWER_HOLD_S; never under min(MEASURED_MIN, `silenceDb`). A quiet interface lets a line-in
 * set low keep its quiet passages; a noisy one keeps its hiss silent.
 */
export class SilenceGate {
  /** The absolute floor now, as power. */
  floorPower: number;
  /** The line-in's noise as measured (power; −1 before any measurement or once it is forgotten, see GONE_UNDER). */
  hissPower = -1;
  /** Its mean power above 4 kHz. */
  private hissHigh = 0;
  /** The last measurement forgotten (power, and above 4 kHz): the same noise back restores it. */
  private rememberedHiss = -1;
  private rememberedHigh = 0;
  private readonly follows: boolean;
  private readonly startPower: number;
  private readonly minPower: number;
  /** The relative gate's peak, and the short one that tells whether noise is alone. */
  private readonly peak: PeakNormaliser;
  private readonly alonePeak: PeakNormaliser;
  private readonly meanKeep: number;
  private readonly underPeak: number;
  private meanPower = 0;
  /** Hops the mean has stayed LOWER_UNDER under the floor, and the band above 4 kHz GONE_UNDER under the hiss's. */
  private underHops = 0;
  private goneHops = 0;
  private readonly lowerHoldHops: number;
  private readonly blockHops: number;
  private hopsInBlock = 0;
  private blockMin = Infinity;
  private blockMax = 0;
  private blockShare = 0;
  private blockHigh = 0;
  private blockHighMax = 0;
  /** Per block of the window: min and max of the mean power, the mean high-band share and high-band power. */
  private readonly mins = new Float64Array(HISS_BLOCKS);
  private readonly maxes = new Float64Array(HISS_BLOCKS);
  private readonly shares = new Float64Array(HISS_BLOCKS);
  private readonly highs = new Float64Array(HISS_BLOCKS);
  private blocksDone = 0;

  /** `p`: the rate and hop (hopInput.ts's ResolvedParams, which imports this module). */
  constructor(cfg: AnalysisConfig, p: { sampleRate: number; hopSamples: number; hopRateHz: number }) {
    const amp = Math.pow(10, cfg.silenceDb / 20);
    this.startPower = amp * amp;
    this.floorPower = this.startPower;
    this.follows = cfg.silenceFollowsNoise;
    this.minPower = Math.min(MEASURED_MIN, this.startPower);
    this.underPeak = Math.pow(10, -cfg.silenceUnderPeakDb / 10);
    // Held as power: its decay a hop is the square of the amplitude's, for the same time constant.
    const decay = (memoryS: number): number => Math.exp((-2 * p.hopSamples) / (memoryS * p.sampleRate));
    this.peak = new PeakNormaliser(decay(cfg.silenceMemoryS), PEAK_MIN);
    this.alonePeak = new PeakNormaliser(decay(ALONE_MEMORY_S), PEAK_MIN);
    this.meanKeep = Math.exp(-p.hopSamples / (MEAN_S * p.sampleRate));
    this.blockHops = Math.max(1, Math.round(HISS_BLOCK_S * p.hopRateHz));
    this.lowerHoldHops = Math.round(LOWER_HOLD_S * p.hopRateHz);
  }

  /** One hop: its RMS and its power below 200 Hz, 200 Hz–4 kHz and above 4 kHz. Returns whether it is silent. */
  step(rms: number, low: number, mid: number, high: number): boolean {
    const power = rms * rms;
    const keep = this.meanKeep;
    const finite = Number.isFinite(power) ? power : 0;
    this.meanPower = keep * this.meanPower + (1 - keep) * finite;
    // The peaks are kept in power; PeakNormaliser drops non-finite input.
    this.peak.next(this.meanPower);
    this.alonePeak.next(this.meanPower);
    if (this.follows) this.follow(finite, low, mid, Number.isFinite(high) ? high : 0);
    const floor = this.floorPower;
    const under = this.peak.current * this.underPeak;
    const gate = under > floor ? under : floor;
    const overFloor = power >= floor * HOP_OVER * HOP_OVER || this.meanPower >= floor;
    return !(power >= gate && overFloor);
  }

  private follow(power: number, low: number, mid: number, high: number): void {
    const m = this.meanPower;
    if (this.hissPower > 0) {
      const heard = power >= this.hissPower * PAUSE_UNDER;
      // Bright noise quieter than the hiss is the line's own, turned down (a source paused over the interface's noise,
      // a fader pulled down after the hiss came in): the floor follows it down by LOWER_UNDER, and the restore brings
      // it back; only other sound under the hiss's high band shows the noise measured to be no hiss.
      const all = low + mid + high;
      const quieterLine = power < this.hissPower && all > 0 && high >= HISS_HIGH_SHARE * all;
      this.goneHops = heard && !quieterLine && high < this.hissHigh * GONE_UNDER ? this.goneHops + 1 : 0;
      if (this.goneHops >= GONE_HOPS) {
        this.goneHops = 0;
        this.rememberedHiss = this.hissPower;
        this.rememberedHigh = this.hissHigh;
        this.hissPower = -1;
        // The window holds that noise: a measurement starts afresh.
        this.blocksDone = 0;
        if (this.floorPower > this.startPower) this.floorPower = this.startPower;
      }
    }
    this.underHops = m * LOWER_UNDER < this.floorPower && this.floorPower > this.minPower ? this.underHops + 1 : 0;
    if (this.underHops >= this.lowerHoldHops) {
      this.underHops = 0;
      this.setFloor(m * HISS_MARGIN);
    }
    if (m < this.blockMin) this.blockMin = m;
    if (m > this.blockMax) this.blockMax = m;
    if (high > this.blockHighMax) this.blockHighMax = high;
    const all = low + mid + high;
    this.blockShare += all > 0 && Number.isFinite(all) ? high / all : 0;
    this.blockHigh += high;
    if (++this.hopsInBlock < this.blockHops) return;
    const at = this.blocksDone % HISS_BLOCKS;
    const n = this.hopsInBlock;
    // Hiss is steady hop by hop too (HIGH_PEAK_OVER_MEAN).
    const hopsSteady = this.blockHighMax <= (HIGH_PEAK_OVER_MEAN * this.blockHigh) / n;
    const blockSteady = this.blockMax <= this.blockMin * HISS_STEADY && hopsSteady;
    const blockBright = this.blockShare / n >= HISS_HIGH_SHARE;
    this.mins[at] = hopsSteady ? this.blockMin : 0;
    this.maxes[at] = this.blockMax;
    this.shares[at] = this.blockShare / n;
    this.highs[at] = this.blockHigh / n;
    this.blocksDone++;
    this.hopsInBlock = 0;
    this.blockMin = Infinity;
    this.blockMax = 0;
    this.blockShare = 0;
    this.blockHigh = 0;
    this.blockHighMax = 0;
    // The measured noise back after a pause lowered the floor, or after it was forgotten (a hi-cut swept over hiss
    // that comes in before the mixer's EQ): one steady second of it restores the floor and the measurement.
    const h = this.hissPower > 0 ? this.hissPower : this.rememberedHiss;
    const mx = this.maxes[at]!;
    const same = mx <= h * HISS_STEADY && mx * HISS_STEADY >= h;
    if (h > 0 && blockSteady && blockBright && same && this.floorPower < h * HISS_MARGIN) {
      if (this.hissPower <= 0) {
        this.hissPower = h;
        this.hissHigh = this.rememberedHigh;
        this.goneHops = 0;
      }
      this.setFloor(h * HISS_MARGIN);
    }
    if (this.blocksDone < HISS_BLOCKS) return;
    let min = Infinity;
    let max = 0;
    let share = Infinity;
    let hi = 0;
    for (let b = 0; b < HISS_BLOCKS; b++) {
      if (this.mins[b]! < min) min = this.mins[b]!;
      if (this.maxes[b]! > max) max = this.maxes[b]!;
      if (this.shares[b]! < share) share = this.shares[b]!;
      hi += this.highs[b]! / HISS_BLOCKS;
    }
    const alone = this.alonePeak.current <= max * HISS_STEADY;
    const underMusic = max <= this.peak.current * HISS_UNDER_MUSIC;
    const steady = max > 0 && max <= min * HISS_STEADY;
    const hiss = steady && share >= HISS_HIGH_SHARE && max <= HISS_MAX && (alone || underMusic);
    if (!hiss) return;
    this.hissPower = max;
    this.hissHigh = hi;
    this.goneHops = 0;
    this.setFloor(max * HISS_MARGIN);
  }

  private setFloor(power: number): void {
    this.floorPower = power > this.minPower ? power : this.minPower;
  }
}
