import type { AnalysisConfig } from './config.js';
import { PeakNormaliser } from './onsets.js';

/**
 * Time constant (s) of the power mean whose peak the gate follows: long against a click (1 ms at full scale reads
 * −25 dBFS), short against a kick or a chord's attack (50 ms reads 8 dB under its own level).
 */
const MEAN_S = 0.3;
/**
 * A hop this far over the absolute floor (power, 3 dB) is heard whatever the mean: hiss whose hops waver by ±0.3 dB
 * (white noise over 441 samples) never reaches it from under the floor.
 */
const HOP_OVER = Math.pow(10, 3 / 10);
/**
 * The line-in's own noise is measured over HISS_BLOCKS blocks of HISS_BLOCK_S: the power's mean stays within
 * HISS_STEADY (2 dB) of itself over all of them, and in each the band above 4 kHz (or 0.45 of the sample rate, if
 * lower: hopInput.ts) holds at least HISS_HIGH_SHARE of the power: white noise 0.8, pink 0.25 (0.15 leaves pink 2 dB
 * to spare); music, pads and hum far less. Digital silence is no hiss: it lowers the floor through LOWER_UNDER.
 */
const HISS_BLOCK_S = 1;
const HISS_BLOCKS = 5;
const HISS_STEADY = Math.pow(10, 2 / 10);
const HISS_HIGH_SHARE = 0.15;
/**
 * And no hop's power above 4 kHz over this multiple of its block's mean there (1.5 dB). White and pink hiss peak
 * 0.37–0.45 dB over it; hats in sixteenths, which keep the mean as steady, 6.3, 4.4, 3.0 and 1.9 dB with decays of
 * 30, 60, 100 and 200 ms. The whole band would not do: pink hiss's energy under 100 Hz moves 3–4.4 dB hop to hop.
 */
const HIGH_PEAK_OVER_MEAN = Math.pow(10, 1.5 / 10);
/** Measured hiss louder than this (power, −66 dBFS) is not a line-in's: a noise texture of the music. */
const HISS_MAX = Math.pow(10, -66 / 10);
/**
 * Mains hum is line noise too where the hum canceller holds a family of lines on the mains' fundamental
 * (humCanceller.ts) with at least HUM_SHARE of a steady block's power, and at least HUM_LOW_SHARE of the block's
 * power lies under 200 Hz (a hum's fundamental does), up to HUM_MAX (power, −40 dBFS: a ground loop can be that
 * loud). A lone steady note on a harmonic of the mains (F4 is 7 × 49.89 Hz) is none: power in the lines alone took
 * F4 at −50 dBFS for hum and darkened everything under −44 dBFS after it. Its forgetting watches the band under
 * 200 Hz; a quieter line keeps at least HUM_LOW_KEPT of the hum's own share of power there.
 */
const HUM_SHARE = 0.5;
const HUM_LOW_SHARE = 0.05;
const HUM_MAX = Math.pow(10, -40 / 10);
const HUM_LOW_KEPT = 0.5;
/**
 * The floor over hum the canceller holds under the music (power, 3 dB): the lock-ins hold the lines themselves, so
 * hum alone reads no more than they hold, and music 3 dB over it is heard. 6 dB (HISS_MARGIN) darkened a modal
 * synth's quiet breakdown over hum at −60 dBFS (bass top-1 0.92 → 0.81).
 */
const HELD_MARGIN = Math.pow(10, 3 / 10);
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
/** What line noise a block held. */
const NOT_NOISE = 0;
const BRIGHT = 1;
const HUM = 2;

/** Mains hum as the silence gate hears it (humCanceller.ts). */
export interface LineHum {
  /**
   * Power (mean square) of the hum lines the canceller holds now: 0 unless it holds a family of lines on the mains'
   * fundamental. The floor sits HELD_MARGIN over it.
   */
  readonly heldPower: number;
}

/**
 * The silence decision. A hop is silent under `silenceUnderPeakDb` under the recent peak of the level's MEAN_S mean
 * (decaying over `silenceMemoryS`), or under the absolute floor: its RMS, and that mean too unless the hop is HOP_OVER
 * it. The absolute floor starts at `silenceDb` and, with `silenceFollowsNoise`, follows the line-in's own noise: to
 * HISS_MARGIN over steady, bright noise (or mains hum the canceller holds) heard for HISS_BLOCKS seconds alone
 * (before the music, in a gap) or HISS_UNDER_MUSIC under the music, for as long as that noise stays under
 * everything (GONE_UNDER); back there after
 * one steady second of the same noise once a pause has lowered it or it was forgotten (two to three seconds in all);
 * down to HISS_MARGIN over the mean once that has stayed LOWER_UNDER under it for LOWER_HOLD_S; never under
 * min(MEASURED_MIN, `silenceDb`); and HELD_MARGIN over the hum the canceller holds, while it holds it. A quiet
 * interface lets a line-in set low keep its quiet passages; a noisy one keeps its hiss and hum silent.
 */
export class SilenceGate {
  private floor: number;
  /** The line-in's noise as measured (power; 0 before any measurement or once it is forgotten, see GONE_UNDER). */
  private hiss = 0;
  /**
   * Its mean power above 4 kHz where it was bright noise (else 0), and under 200 Hz with that band's share of its
   * power where it was hum (else 0): the band its forgetting watches.
   */
  private hissHigh = 0;
  private hissLow = 0;
  private hissLowShare = 0;
  /** The last measurement forgotten (power, and above 4 kHz): the same noise back restores it. */
  private rememberedHiss = 0;
  private rememberedHigh = 0;
  private rememberedLow = 0;
  private rememberedLowShare = 0;
  /** Mains hum in the low band (humCanceller.ts), where the caller hears it. */
  private readonly hum: LineHum | undefined;
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
  /** The block in progress: hops, min and max of the mean power, sums of the high-band share and power, high max. */
  private hopsInBlock = 0;
  private blockMin = Infinity;
  private blockMax = 0;
  private blockShare = 0;
  private blockHigh = 0;
  private blockLow = 0;
  private blockAll = 0;
  private blockHighMax = 0;
  /**
   * Per block of the window: min and max of the mean power (the min 0 where the block was not steady hop by hop, so
   * no window holding it is steady), what line noise it held (NOT_NOISE, BRIGHT or HUM), the mean power above 4 kHz,
   * under 200 Hz, and in all three bands.
   */
  private readonly mins = new Float64Array(HISS_BLOCKS);
  private readonly maxes = new Float64Array(HISS_BLOCKS);
  private readonly kinds = new Uint8Array(HISS_BLOCKS);
  private readonly highs = new Float64Array(HISS_BLOCKS);
  private readonly lows = new Float64Array(HISS_BLOCKS);
  private readonly alls = new Float64Array(HISS_BLOCKS);
  private blocksDone = 0;

  /**
   * `p`: the rate and hop (hopInput.ts's ResolvedParams; importing its type would close an import cycle, which
   * test/imports.test.ts forbids). `hum`: mains hum in the low band; without it hum is neither measured nor held.
   */
  constructor(cfg: AnalysisConfig, p: { sampleRate: number; hopSamples: number; hopRateHz: number }, hum?: LineHum) {
    this.hum = hum;
    const amp = Math.pow(10, cfg.silenceDb / 20);
    this.startPower = amp * amp;
    this.floor = this.startPower;
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

  /** The absolute floor now, as power. */
  get floorPower(): number {
    return this.floor;
  }

  /** The line-in's noise as measured (power), 0 before any measurement or once it is forgotten. */
  get hissPower(): number {
    return this.hiss;
  }

  /** One hop: its RMS and its power below 200 Hz, 200 Hz–4 kHz and above 4 kHz. Returns whether it is silent. */
  step(rms: number, low: number, mid: number, high: number): boolean {
    const rawPower = rms * rms;
    const power = Number.isFinite(rawPower) ? rawPower : 0;
    const keep = this.meanKeep;
    this.meanPower = keep * this.meanPower + (1 - keep) * power;
    this.peak.next(this.meanPower);
    this.alonePeak.next(this.meanPower);
    if (this.follows) {
      const highPower = Number.isFinite(high) ? high : 0;
      const all = low + mid + highPower;
      const highShare = all > 0 && Number.isFinite(all) ? highPower / all : 0;
      const lowPower = Number.isFinite(low) ? low : 0;
      this.forgetIfGone(power, highPower, highShare, all > 0 && Number.isFinite(all) ? lowPower / all : 0, lowPower);
      this.lowerIfUnder();
      this.addToBlock(highPower, highShare, lowPower, Number.isFinite(all) ? all : 0);
    }
    // Hum the canceller holds under the music is the line's noise too, as long as it holds it.
    const held = this.follows && this.hum !== undefined ? this.hum.heldPower : 0;
    const heldFloor = held > 0 ? (held < HUM_MAX ? held : HUM_MAX) * HELD_MARGIN : 0;
    const floor = heldFloor > this.floor ? heldFloor : this.floor;
    const under = this.peak.current * this.underPeak;
    const gate = under > floor ? under : floor;
    const overFloor = rawPower >= floor * HOP_OVER || this.meanPower >= floor;
    return !(rawPower >= gate && overFloor);
  }

  /** Forgets the measured noise once its band (above 4 kHz; for hum under 200 Hz) has fallen under it (GONE_UNDER). */
  private forgetIfGone(power: number, high: number, highShare: number, lowShare: number, low: number): void {
    if (this.hiss === 0) return;
    const heard = power >= this.hiss * PAUSE_UNDER;
    const hum = this.hissLow > 0;
    // Noise quieter than the hiss and alike is the line's own, turned down (a source paused over the interface's
    // noise, a fader pulled down after the hiss came in): lowerIfUnder follows it down, and the restore brings the
    // floor back; only other sound under the hiss's own band shows the noise measured to be no line noise.
    const alike = hum ? lowShare >= this.hissLowShare * HUM_LOW_KEPT : highShare >= HISS_HIGH_SHARE;
    const quieterLine = power < this.hiss && alike;
    const under = hum ? low < this.hissLow * GONE_UNDER : high < this.hissHigh * GONE_UNDER;
    this.goneHops = heard && !quieterLine && under ? this.goneHops + 1 : 0;
    if (this.goneHops < GONE_HOPS) return;
    this.goneHops = 0;
    this.rememberedHiss = this.hiss;
    this.rememberedHigh = this.hissHigh;
    this.rememberedLow = this.hissLow;
    this.rememberedLowShare = this.hissLowShare;
    this.hiss = 0;
    if (this.floor > this.startPower) this.floor = this.startPower;
  }

  /** Lowers the floor to HISS_MARGIN over the mean once that has stayed LOWER_UNDER under it for LOWER_HOLD_S. */
  private lowerIfUnder(): void {
    const mean = this.meanPower;
    this.underHops = mean * LOWER_UNDER < this.floor && this.floor > this.minPower ? this.underHops + 1 : 0;
    if (this.underHops < this.lowerHoldHops) return;
    this.underHops = 0;
    this.setFloor(mean * HISS_MARGIN);
  }

  private addToBlock(high: number, highShare: number, low: number, all: number): void {
    const mean = this.meanPower;
    if (mean < this.blockMin) this.blockMin = mean;
    if (mean > this.blockMax) this.blockMax = mean;
    if (high > this.blockHighMax) this.blockHighMax = high;
    this.blockShare += highShare;
    this.blockHigh += high;
    this.blockLow += low;
    this.blockAll += all;
    if (++this.hopsInBlock === this.blockHops) this.closeBlock();
  }

  /** Files the finished block, restores the floor on the remembered noise, and measures the window. */
  private closeBlock(): void {
    const n = this.hopsInBlock;
    const at = this.blocksDone % HISS_BLOCKS;
    // Hiss is steady hop by hop too (HIGH_PEAK_OVER_MEAN).
    const hopsSteady = this.blockHighMax <= (HIGH_PEAK_OVER_MEAN * this.blockHigh) / n;
    const blockMax = this.blockMax;
    const steady = hopsSteady && blockMax <= this.blockMin * HISS_STEADY;
    const bright = this.blockShare / n >= HISS_HIGH_SHARE;
    // Hum is steady in the whole band, not only above 4 kHz (where it has nothing to be steady with).
    const steadyAll = blockMax > 0 && blockMax <= this.blockMin * HISS_STEADY;
    const lowShare = this.blockAll > 0 ? this.blockLow / this.blockAll : 0;
    const hum =
      !bright && steadyAll && blockMax <= HUM_MAX && lowShare >= HUM_LOW_SHARE && this.hum !== undefined
        ? this.hum.heldPower >= HUM_SHARE * blockMax
        : false;
    this.mins[at] = hopsSteady || hum ? this.blockMin : 0;
    this.maxes[at] = blockMax;
    this.kinds[at] = bright ? BRIGHT : hum ? HUM : NOT_NOISE;
    this.highs[at] = this.blockHigh / n;
    this.lows[at] = this.blockLow / n;
    this.alls[at] = this.blockAll / n;
    this.blocksDone++;
    this.hopsInBlock = 0;
    this.blockMin = Infinity;
    this.blockMax = 0;
    this.blockShare = 0;
    this.blockHigh = 0;
    this.blockLow = 0;
    this.blockAll = 0;
    this.blockHighMax = 0;
    if (steady && bright) this.restore(blockMax, false);
    else if (hum) this.restore(blockMax, true);
    if (this.blocksDone >= HISS_BLOCKS) this.measureWindow();
  }

  /**
   * The measured noise back after a pause lowered the floor, or after it was forgotten (a hi-cut swept over hiss
   * that comes in before the mixer's EQ): one steady block of it, bright or hum as it was, restores the floor and
   * the measurement.
   */
  private restore(blockMax: number, hum: boolean): void {
    const known = this.hiss > 0 ? this.hiss : this.rememberedHiss;
    // Of the same kind: hum does not bring back a hiss forgotten, nor hiss a hum.
    const knownHum = (this.hiss > 0 ? this.hissLow : this.rememberedLow) > 0;
    const same = known > 0 && knownHum === hum && blockMax <= known * HISS_STEADY && blockMax * HISS_STEADY >= known;
    if (!same || this.floor >= known * HISS_MARGIN) return;
    if (this.hiss === 0) {
      this.hiss = known;
      this.hissHigh = this.rememberedHigh;
      this.hissLow = this.rememberedLow;
      this.hissLowShare = this.rememberedLowShare;
      this.goneHops = 0;
    }
    this.setFloor(known * HISS_MARGIN);
  }

  /**
   * Takes steady, quiet line noise (bright noise, or hum) alone or far under the music over the whole window for the
   * line's own.
   */
  private measureWindow(): void {
    let minMean = Infinity;
    let maxMean = 0;
    let meanHigh = 0;
    let meanLow = 0;
    let meanAll = 0;
    let allNoise = true;
    let allHum = true;
    for (let b = 0; b < HISS_BLOCKS; b++) {
      if (this.mins[b]! < minMean) minMean = this.mins[b]!;
      if (this.maxes[b]! > maxMean) maxMean = this.maxes[b]!;
      allNoise &&= this.kinds[b] !== NOT_NOISE;
      allHum &&= this.kinds[b] === HUM;
      meanHigh += this.highs[b]! / HISS_BLOCKS;
      meanLow += this.lows[b]! / HISS_BLOCKS;
      meanAll += this.alls[b]! / HISS_BLOCKS;
    }
    const alone = this.alonePeak.current <= maxMean * HISS_STEADY;
    const underMusic = maxMean <= this.peak.current * HISS_UNDER_MUSIC;
    const steady = maxMean > 0 && maxMean <= minMean * HISS_STEADY;
    // A window of hiss and hum blocks is taken as hiss, with hiss's cap.
    const max = allHum ? HUM_MAX : HISS_MAX;
    if (!steady || !allNoise || maxMean > max || !(alone || underMusic)) return;
    this.hiss = maxMean;
    this.hissHigh = allHum ? 0 : meanHigh;
    this.hissLow = allHum ? meanLow : 0;
    this.hissLowShare = allHum && meanAll > 0 ? meanLow / meanAll : 0;
    this.goneHops = 0;
    this.setFloor(maxMean * HISS_MARGIN);
  }

  private setFloor(power: number): void {
    this.floor = power > this.minPower ? power : this.minPower;
  }
}
