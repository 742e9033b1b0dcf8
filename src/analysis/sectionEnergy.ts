import type { HopInput } from './hopInput.js';
import type { SectionEnergy } from './types.js';

/** Time constants of the "now" (about a bar) and of the recent past it is compared with, s. */
const NOW_S = 0.6;
const PAST_S = 16;
/** Contrast (dB, mean of full band and below 200 Hz) at which a drop or a breakdown fires. */
const DROP_DB = 5;
const BREAKDOWN_DB = -5;
/** dB that map onto contrast ±1. */
const SCALE_DB = 12;
/** After an event the next one waits this long (s), so one transition is one event. */
const REFRACTORY_S = 4;

/**
 * Live drop/breakdown detector: the power now (≈ a bar) against the recent past (≈ 16 s), in dB, for the whole
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
  private lastEventHop = -1e9;

  constructor(hopRateHz: number) {
    this.nowKeep = Math.exp(-1 / (NOW_S * hopRateHz));
    this.pastKeep = Math.exp(-1 / (PAST_S * hopRateHz));
    this.refractoryHops = Math.round(REFRACTORY_S * hopRateHz);
  }

  /** One hop: returns 'drop', 'breakdown' or null. */
  step(inp: HopInput): 'drop' | 'breakdown' | null {
    const all = inp.lowPower + inp.midPower + inp.highPower;
    const low = inp.lowPower;
    const tiny = 1e-12;
    if (this.hops === 0) {
      this.nowAll = this.pastAll = all;
      this.nowLow = this.pastLow = low;
    }
    this.hops++;
    this.nowAll = this.nowKeep * this.nowAll + (1 - this.nowKeep) * all;
    this.nowLow = this.nowKeep * this.nowLow + (1 - this.nowKeep) * low;
    // The past is silent-proof: silence (a pause between tracks) does not pull it down to nothing.
    if (!inp.silent) {
      this.pastAll = this.pastKeep * this.pastAll + (1 - this.pastKeep) * all;
      this.pastLow = this.pastKeep * this.pastLow + (1 - this.pastKeep) * low;
    }
    const dbAll = 10 * Math.log10((this.nowAll + tiny) / (this.pastAll + tiny));
    const dbLow = 10 * Math.log10((this.nowLow + tiny) / (this.pastLow + tiny));
    const db = 0.5 * (dbAll + dbLow);
    const v = this.value;
    v.contrast = Math.max(-1, Math.min(1, db / SCALE_DB));
    // Nothing is judged in the first seconds (no past yet) or in silence.
    if (inp.silent || this.hops < this.refractoryHops || this.hops - this.lastEventHop < this.refractoryHops) return null;
    if (db >= DROP_DB && v.state !== 'drop') {
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
