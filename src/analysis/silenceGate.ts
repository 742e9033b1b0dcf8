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
/** And no hop of a block over this multiple of the block's mean hop power (power, 6 dB; white noise: about 1 dB). */
const HOP_PEAK_OVER_MEAN = 4;
/** Measured hiss louder than this (power, −66 dBFS) is not a line-in's: a noise texture of the music. */
const HISS_MAX = Math.pow(10, -66 / 10);
/** Hiss under music lies this far under its recent peak (power, 40 dB); louder steady noise is part of the music. */
const HISS_UNDER_MUSIC = Math.pow(10, -40 / 10);
/** The floor sits this far over the measured hiss (power, 6 dB). */
const HISS_MARGIN = Math.pow(10, 6 / 10);
/** The floor never goes under this (power, −90 dBFS: a 16-bit interface's own noise), nor under `silenceDb`. */
const MEASURED_MIN = Math.pow(10, -90 / 10);
/**
 * A mean this far under the floor (power, 8 dB: the margin and 2 dB) for LOWER_HOLD_S shows the line-in's noise to be
 * lower than the floor assumes: the floor comes down to HISS_MARGIN over it (digital silence, a quiet interface, the
 * end of a steady passage taken for hiss). A line-in's noise lies under everything it carries, so real hiss never
 * brings the floor under itself; the hold keeps a buffer of zeros at the stream's start or a dropout from doing it
 * (0.41 s of zeros lowered a floor measured over hiss at −72 dBFS, which was then heard for 40 s of a gap).
 */
const LOWER_UNDER = HISS_MARGIN * Math.pow(10, 2 / 10);
const LOWER_HOLD_S = 2;
/** The recent peak's floor (power, −140 dBFS): hiss heard alone from the start is the loudest thing heard. */
const PEAK_MIN = 1e-14;
/**
 * Noise is alone when nothing 2 dB louder was heard within about this memory (s): in a gap, hiss at −72 dBFS after
 * music at −40 took 104 s to be alone in the 30 s memory of the relative gate, 17 s in this one.
 */
const ALONE_MEMORY_S = 5;
/**
 * Noise heard alone raises the floor only for good once music MUSIC_OVER_HISS over it (power, 20 dB; a line-in's
 * music lies further over its hiss) has been heard, before or after; until then the raise is provisional, and
 * PROVISIONAL_MUSIC_S of sound 3 dB or more over that noise that never reaches it undo it. A quiet noise texture
 * opening a line-in set low (rain at −68 dBFS before chords at −56 and −66) is no hiss: taken for one it kept the
 * chords at −66 dark for the whole minute they played.
 */
const MUSIC_OVER_HISS = 100;
const MUSIC_OVER_NOISE = Math.pow(10, 3 / 10);
const PROVISIONAL_MUSIC_S = 10;

/**
 * The silence decision. A hop is silent under `silenceUnderPeakDb` under the recent peak of the level's MEAN_S mean
 * (decaying over `silenceMemoryS`), or under the absolute floor: its RMS, and that mean too unless the hop is HOP_OVER
 * it. The absolute floor starts at `silenceDb` and, with `silenceFollowsNoise`, follows the line-in's own noise: up to
 * HISS_MARGIN over it once it has been heard alone for HISS_BLOCKS seconds (before the music, in a gap) or 40 dB
 * under the music (HISS_UNDER_MUSIC), back there after one second of the same noise once it has been lowered, and
 * down to HISS_MARGIN over the mean once that has stayed LOWER_UNDER under it for LOWER_HOLD_S; never under
 * MEASURED_MIN. A quiet interface lets a line-in set low keep its quiet passages; a noisy one keeps its hiss silent.
 */
export class SilenceGate {
  /** The absolute floor now, as power. */
  floorPower: number;
  /** The line-in's noise as last measured (power; −1 before any measurement or after a provisional one is undone). */
  hissPower = -1;
  private readonly follows: boolean;
  private readonly minPower: number;
  /** The relative gate's peak, and the short one that tells whether noise is alone. */
  private readonly peak: PeakNormaliser;
  private readonly alonePeak: PeakNormaliser;
  private readonly meanKeep: number;
  private readonly underPeak: number;
  private meanPower = 0;
  /** Hops the mean has stayed LOWER_UNDER under the floor. */
  private underHops = 0;
  private readonly lowerHoldHops: number;
  /** A raise by noise heard alone, not yet borne out by music (see MUSIC_OVER_HISS): the floor before it. */
  private provisional = false;
  private floorBefore = 0;
  private provisionalHops = 0;
  private readonly provisionalMaxHops: number;
  private readonly blockHops: number;
  private hopsInBlock = 0;
  private blockMin = Infinity;
  private blockMax = 0;
  private blockShare = 0;
  private blockHopMax = 0;
  private blockHopSum = 0;
  /** Per block of the window: min and max of the mean power, and the mean high-band share. */
  private readonly mins = new Float64Array(HISS_BLOCKS);
  private readonly maxes = new Float64Array(HISS_BLOCKS);
  private readonly shares = new Float64Array(HISS_BLOCKS);
  private blocksDone = 0;

  /** `p`: the rate and hop (hopInput.ts's ResolvedParams, which imports this module). */
  constructor(cfg: AnalysisConfig, p: { sampleRate: number; hopSamples: number; hopRateHz: number }) {
    const amp = Math.pow(10, cfg.silenceDb / 20);
    this.floorPower = amp * amp;
    this.follows = cfg.silenceFollowsNoise;
    this.minPower = Math.min(MEASURED_MIN, amp * amp);
    this.underPeak = Math.pow(10, -cfg.silenceUnderPeakDb / 10);
    // Held as power: its decay a hop is the square of the amplitude's, for the same time constant.
    const decay = (memoryS: number): number => Math.exp((-2 * p.hopSamples) / (memoryS * p.sampleRate));
    this.peak = new PeakNormaliser(decay(cfg.silenceMemoryS), PEAK_MIN);
    this.alonePeak = new PeakNormaliser(decay(ALONE_MEMORY_S), PEAK_MIN);
    this.meanKeep = Math.exp(-p.hopSamples / (MEAN_S * p.sampleRate));
    this.blockHops = Math.max(1, Math.round(HISS_BLOCK_S * p.hopRateHz));
    this.lowerHoldHops = Math.round(LOWER_HOLD_S * p.hopRateHz);
    this.provisionalMaxHops = Math.round(PROVISIONAL_MUSIC_S * p.hopRateHz);
  }

  /** One hop: its RMS and its power below 200 Hz, 200 Hz–4 kHz and above 4 kHz. Returns whether it is silent. */
  step(rms: number, low: number, mid: number, high: number): boolean {
    const power = rms * rms;
    const keep = this.meanKeep;
    this.meanPower = keep * this.meanPower + (1 - keep) * (Number.isFinite(power) ? power : 0);
    // The peaks are kept in power; PeakNormaliser drops non-finite input.
    this.peak.next(this.meanPower);
    this.alonePeak.next(this.meanPower);
    if (this.follows) this.follow(Number.isFinite(power) ? power : 0, low, mid, high);
    const floor = this.floorPower;
    const under = this.peak.current * this.underPeak;
    const gate = under > floor ? under : floor;
    const overFloor = power >= floor * HOP_OVER * HOP_OVER || this.meanPower >= floor;
    return !(power >= gate && overFloor);
  }

  private follow(power: number, low: number, mid: number, high: number): void {
    const m = this.meanPower;
    if (this.provisional) {
      if (m >= this.hissPower * MUSIC_OVER_HISS) this.provisional = false;
      else if (m >= this.hissPower * MUSIC_OVER_NOISE && ++this.provisionalHops >= this.provisionalMaxHops) {
        this.provisional = false;
        this.hissPower = -1;
        this.floorPower = this.floorBefore;
      }
    }
    this.underHops = m * LOWER_UNDER < this.floorPower && this.floorPower > this.minPower ? this.underHops + 1 : 0;
    if (this.underHops >= this.lowerHoldHops) {
      this.underHops = 0;
      this.setFloor(m * HISS_MARGIN);
      if (this.provisional && this.floorPower <= this.floorBefore) this.provisional = false;
    }
    if (m < this.blockMin) this.blockMin = m;
    if (m > this.blockMax) this.blockMax = m;
    if (power > this.blockHopMax) this.blockHopMax = power;
    this.blockHopSum += power;
    const all = low + mid + high;
    this.blockShare += all > 0 && Number.isFinite(all) ? high / all : 0;
    if (++this.hopsInBlock < this.blockHops) return;
    const at = this.blocksDone % HISS_BLOCKS;
    // Hiss is steady hop by hop too; hats in sixteenths hold the mean as steady but peak 10 dB over it.
    const hopsSteady = this.blockHopMax <= (HOP_PEAK_OVER_MEAN * this.blockHopSum) / this.hopsInBlock;
    const blockSteady = this.blockMax <= this.blockMin * HISS_STEADY && hopsSteady;
    const blockBright = this.blockShare / this.hopsInBlock >= HISS_HIGH_SHARE;
    this.mins[at] = hopsSteady ? this.blockMin : 0;
    this.maxes[at] = this.blockMax;
    this.shares[at] = this.blockShare / this.hopsInBlock;
    this.blocksDone++;
    this.hopsInBlock = 0;
    this.blockMin = Infinity;
    this.blockMax = 0;
    this.blockShare = 0;
    this.blockHopMax = 0;
    this.blockHopSum = 0;
    // The measured noise back after a dropout or a digital pause lowered the floor: one second of it restores it.
    const h = this.hissPower;
    const mx = this.maxes[at]!;
    if (h > 0 && blockSteady && blockBright && mx <= h * HISS_STEADY && mx * HISS_STEADY >= h && this.floorPower < h * HISS_MARGIN) {
      this.setFloor(h * HISS_MARGIN);
    }
    if (this.blocksDone < HISS_BLOCKS) return;
    let min = Infinity;
    let max = 0;
    let share = 0;
    for (let b = 0; b < HISS_BLOCKS; b++) {
      if (this.mins[b]! < min) min = this.mins[b]!;
      if (this.maxes[b]! > max) max = this.maxes[b]!;
      share += this.shares[b]! / HISS_BLOCKS;
    }
    const alone = this.alonePeak.current <= max * HISS_STEADY;
    const underMusic = max <= this.peak.current * HISS_UNDER_MUSIC;
    const hiss = max > 0 && max <= min * HISS_STEADY && share >= HISS_HIGH_SHARE && max <= HISS_MAX && (alone || underMusic);
    if (!hiss) return;
    const before = this.floorPower;
    this.hissPower = max;
    this.setFloor(max * HISS_MARGIN);
    const borneOut = this.peak.current >= max * MUSIC_OVER_HISS;
    if (borneOut) this.provisional = false;
    else if (this.floorPower > before && !this.provisional) {
      this.provisional = true;
      this.floorBefore = before;
      this.provisionalHops = 0;
    }
  }

  private setFloor(power: number): void {
    this.floorPower = power > this.minPower ? power : this.minPower;
  }
}
