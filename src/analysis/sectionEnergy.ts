import type { HopInput } from './hopInput.js';
import type { SectionEnergy } from './types.js';

/**
 * Time constants of the "now" and of the recent past it is compared with, s. One second: half a bar at 120 BPM,
 * long enough that a chord pattern's swell within the bar is no breakdown (0.6 s read the level swings of a synth
 * intro as a breakdown and a drop), short enough that a 5–7 dB drop reads within a bar.
 */
const NOW_S = 1;
const PAST_S = 16;
/** Contrast (dB, mean of full band and below 200 Hz) at which a drop or a breakdown fires. */
const DROP_DB = 5;
const BREAKDOWN_DB = -5;
/**
 * A drop may also be a return: after a breakdown of a few bars the past has sunk toward the breakdown, so the music
 * coming back at its old level stands only a few dB above it (the pop song's drop after four drumless bars: +4.8 dB).
 * Then it fires when the now stands RETURN_DB above the past and RISE_DB above the quietest now of the last FLOOR_S.
 */
const RETURN_DB = 0;
const RISE_DB = 10;
const FLOOR_S = 10;
/** dB that map onto contrast ±1. */
const SCALE_DB = 12;
/** After an event the next one waits this long (s), so one transition is one event. */
const REFRACTORY_S = 4;

/**
 * Live drop/breakdown detector: the power now (≈ 1 s, NOW_S) against the recent past (≈ 16 s), in dB, for the whole
 * band and below 200 Hz (a drop brings the kick and the bass back), averaged. Only ratios of the signal to itself:
 * no absolute level gate, nothing that depends on the input level or the length of the song. The past follows the
 * present, so after a drop the contrast returns toward 0 within tens of seconds and a later drop can fire again.
 */
export class SectionEnergyDetector {
  readonly value: SectionEnergy = { contrast: 0, state: 'steady' };
  private readonly nowKeep: number;
  private readonly pastKeep: number;
  private readonly refractoryHops: number;
  private nowAll = 0;
  private nowLow = 0;
  private pastAll = 0;
  private pastLow = 0;
  private hops = 0;
  /** The quietest "now" (dB, the mean of full band and low band) of the last FLOOR_S or so: a leaky minimum. */
  private floorDb = Infinity;
  private readonly floorRise: number;
  /** Hops with sound (not silent) so far. */
  private heard = 0;
  private lastEventHop = -1e9;

  constructor(hopRateHz: number) {
    this.nowKeep = Math.exp(-1 / (NOW_S * hopRateHz));
    this.pastKeep = Math.exp(-1 / (PAST_S * hopRateHz));
    this.refractoryHops = Math.round(REFRACTORY_S * hopRateHz);
    this.floorRise = 1 - Math.exp(-1 / (FLOOR_S * hopRateHz));
  }

  /** One hop: returns 'drop', 'breakdown' or null. */
  step(inp: HopInput): 'drop' | 'breakdown' | null {
    const all = inp.lowPower + inp.midPower + inp.highPower;
    const low = inp.lowPower;
    const tiny = 1e-12;
    this.hops++;
    // The past is silence-proof: silence (a pause between tracks) does not pull it down to nothing. Until it has
    // PAST_S of sound it is the plain mean of all the sound so far (the one-pole's weight is at most 1/n), so the
    // music starting, or fading in, is its own past and not a drop.
    if (!inp.silent) {
      this.heard++;
      const w = Math.max(1 - this.pastKeep, 1 / this.heard);
      this.pastAll += w * (all - this.pastAll);
      this.pastLow += w * (low - this.pastLow);
    }
    const wNow = this.heard > 0 ? Math.max(1 - this.nowKeep, 1 / this.heard) : 1 - this.nowKeep;
    this.nowAll += wNow * (all - this.nowAll);
    this.nowLow += wNow * (low - this.nowLow);
    const dbAll = 10 * Math.log10((this.nowAll + tiny) / (this.pastAll + tiny));
    const dbLow = 10 * Math.log10((this.nowLow + tiny) / (this.pastLow + tiny));
    const db = 0.5 * (dbAll + dbLow);
    // Level of the now itself (dB, same mix) for the floor; silence does not set it.
    const nowDb = 5 * (Math.log10(this.nowAll + tiny) + Math.log10(this.nowLow + tiny));
    // It starts once the past has settled (the music fading in is not a floor to rise from).
    if (!inp.silent && this.heard >= this.refractoryHops) {
      this.floorDb = nowDb < this.floorDb ? nowDb : this.floorDb + this.floorRise * (nowDb - this.floorDb);
    }
    const v = this.value;
    v.contrast = Math.max(-1, Math.min(1, db / SCALE_DB));
    // Nothing is judged in the first seconds of sound (no past yet) or in silence.
    if (inp.silent || this.heard < this.refractoryHops || this.hops - this.lastEventHop < this.refractoryHops) return null;
    const returned = db >= RETURN_DB && nowDb - this.floorDb >= RISE_DB;
    if ((db >= DROP_DB || returned) && v.state !== 'drop') {
      v.state = 'drop';
      this.lastEventHop = this.hops;
      return 'drop';
    }
    if (db <= BREAKDOWN_DB && v.state !== 'breakdown') {
      v.state = 'breakdown';
      this.lastEventHop = this.hops;
      return 'breakdown';
    }
    return null;
  }
}
