import { SampleRing } from './hopInput.js';
import { DRIFT_MAX, MainsHum, MAX_HUM_LINES, type HumReading } from './mainsHum.js';
import type { LineHum } from './silenceGate.js';

/**
 * Takes mains hum out of the decimated low band before the bass reads it.
 *
 * Under quiet music (a drumless intro, a breakdown's pad) hum at −60 dBFS is the loudest thing under 200 Hz, and its
 * 50, 100 and 150 Hz read as a G bass with its octave and twelfth: the bass chroma and the bass net name G, and the
 * downbeats that follow the bass go with them. A notch a few hertz wide on every harmonic, always on, cost more than
 * the hum (the bass net reads spectra it was not trained on), so each line is cancelled only once it is heard as
 * hum, and then by subtracting the line itself: a lock-in on its frequency (complex demodulation, a one-pole
 * low-pass of LOCK_S, 0.16 Hz wide) estimates its amplitude and phase, and that sine is subtracted sample by sample.
 * Music half a hertz from a line loses 0.4 dB, a hertz away 0.1 dB (the low-pass's 6 dB an octave).
 *
 * A line is heard as hum when, READINGS_TO_ENGAGE readings in a row (a reading a second, over MainsHum's 3 s), it
 * stands LINE_OVER_FLOOR over the spectrum's floor beside it at a steady power (STEADY), and lines are engaged only
 * as a family on the mains' fundamental (FAMILY_LINES). Under loud music they rarely stand out, but there the hum
 * matters little; they do where the music is quiet, which is where hum lights the bass. Once engaged, a line stays
 * while it is heard at all (the lock-in follows the hum down if it goes), until no engaged line has stood out for
 * LET_GO_READINGS. The lines' common frequency is followed between readings from the lock-ins' own phase drift (a
 * frequency-locked loop): the reading's grid (0.04 %) is 0.16 Hz coarse at 400 Hz, where the lock-in would pass only
 * part of the line. The silence gate is told what it holds (LineHum).
 */

/** The lock-in's time constant (s). */
const LOCK_S = 1;
/** Readings in a row that engage a line, and its power over the floor beside it (10 dB) in each. */
const READINGS_TO_ENGAGE = 3;
const LINE_OVER_FLOOR = 10;
/**
 * Hum holds most of its power under LOW_HZ (a ground loop's 50 or 60 Hz and their first harmonics): what the gate
 * is told is held is at most LOW_HELD_SHARE times what the lines under it hold.
 */
const LOW_HZ = 200;
const LOW_HELD_SHARE = 2;
/** Lines that must be ready together to engage any. */
const FAMILY_LINES = 2;
/** Readings in a row with no engaged line standing out that let every line go (30 s). */
const LET_GO_READINGS = 30;
/** A line's power between readings within this ratio (3 dB) is steady. */
const STEADY = Math.pow(10, 3 / 10);
/** An engaged line read this far under its lock-in's estimate (power, 10 dB) on two readings in a row is let go. */
const GONE_UNDER = 0.1;
/**
 * The frequency loop's step (s), the share of the error it takes, its largest step (Hz: 0.04 Hz/s, four times a
 * grid's fastest normal drift). Steps a second apart lagged a grid drifting ±0.02 Hz over a minute enough to leave
 * the hum only 13 dB down at 16 lines (19 dB now; 25 dB at 8 lines); a gain of 0.5 let the music jitter the
 * frequency ±0.02 Hz in a quiet intro (bass top-1 0.93 → 0.89 over hum at −60 dBFS).
 */
const FOLLOW_S = 0.25;
const LOOP_GAIN = 0.25;
const MAX_STEP_HZ = 0.01;
/** A reading whose fundamental lies this far (ratio, 0.1 %) from the lines' is another hum: start again. */
const SAME_HUM = 0.001;

/** Whether line `k` (0: the fundamental) of reading `r` stands LINE_OVER_FLOOR over its floor. */
function lineStands(r: HumReading, k: number): boolean {
  return k < r.lines && r.linePower[k]! > 0 && r.linePower[k]! >= LINE_OVER_FLOOR * r.floorPower[k]!;
}

export class HumCanceller implements LineHum {
  /** The band as it came in (the readings are taken from it, not from what the lines have been taken out of). */
  readonly raw: SampleRing;
  private readonly hum: MainsHum;
  private readonly rateHz: number;
  private readonly readEvery: number;
  private sinceRead = 0;
  private readonly lockKeep: number;
  /** The lines' fundamental (Hz; 0 before a reading). */
  private fundamentalHz = 0;
  /** Per harmonic: readings passed in a row, engaged, readings under its estimate in a row, last power read. */
  private readonly passes = new Int32Array(MAX_HUM_LINES);
  private readonly engaged = new Uint8Array(MAX_HUM_LINES);
  private readonly goneReadings = new Int32Array(MAX_HUM_LINES);
  private readonly lastPower = new Float64Array(MAX_HUM_LINES);
  /** Per harmonic: the lock-in's state (real, imaginary), its phase at the loop's last step, the oscillator. */
  private readonly zRe = new Float64Array(MAX_HUM_LINES);
  private readonly zIm = new Float64Array(MAX_HUM_LINES);
  private readonly lastPhase = new Float64Array(MAX_HUM_LINES);
  private readonly cos = new Float64Array(MAX_HUM_LINES);
  private readonly sin = new Float64Array(MAX_HUM_LINES);
  private readonly stepCos = new Float64Array(MAX_HUM_LINES);
  private readonly stepSin = new Float64Array(MAX_HUM_LINES);
  private anyEngaged = false;
  private readonly followEvery: number;
  private sinceFollow = 0;
  /** Scratch for the lines' frequency errors. */
  private readonly errors = new Float64Array(MAX_HUM_LINES);
  /** Readings in a row in which no engaged line stood out. */
  private unheardReadings = 0;
  /** Per harmonic: whether the line stood LINE_OVER_FLOOR over its floor in the last reading. */
  private readonly stands = new Uint8Array(MAX_HUM_LINES);

  /** `rateHz`: the decimated band's rate; `cutoffHz`: its low-pass. */
  constructor(rateHz: number, cutoffHz: number) {
    this.hum = new MainsHum(rateHz, cutoffHz);
    this.raw = new SampleRing(MainsHum.windowSamples(rateHz));
    this.rateHz = rateHz;
    this.readEvery = Math.max(1, Math.round(rateHz));
    this.followEvery = Math.max(1, Math.round(FOLLOW_S * rateHz));
    this.lockKeep = Math.exp(-1 / (LOCK_S * rateHz));
    this.cos.fill(1);
  }

  /** Power of the engaged lines as the lock-ins hold them (each half its line's amplitude), at the last reading. */
  heldPower = 0;

  /** Lines engaged now (for tests and diagnosis). */
  get engagedLines(): number {
    let n = 0;
    for (let k = 0; k < MAX_HUM_LINES; k++) n += this.engaged[k]!;
    return n;
  }

  /** Takes the engaged lines out of `n` samples of `x`, in place. */
  process(x: Float64Array, n: number): void {
    const raw = this.raw;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      raw.push(v);
      if (this.anyEngaged) {
        x[i] = v - this.track(v);
        if (++this.sinceFollow >= this.followEvery) {
          this.sinceFollow = 0;
          this.followFrequency();
        }
      }
      if (++this.sinceRead >= this.readEvery) {
        this.sinceRead = 0;
        this.judge();
      }
    }
  }

  /** One sample through every engaged line's lock-in; returns the hum they hold at this sample. */
  private track(v: number): number {
    const keep = this.lockKeep;
    const take = 1 - keep;
    let hum = 0;
    for (let k = 0; k < MAX_HUM_LINES; k++) {
      if (this.engaged[k] === 0) continue;
      const c = this.cos[k]!;
      const s = this.sin[k]!;
      // x·e^(−jθ), low-passed: half the line's amplitude at its phase against the oscillator.
      const re = keep * this.zRe[k]! + take * v * c;
      const im = keep * this.zIm[k]! - take * v * s;
      this.zRe[k] = re;
      this.zIm[k] = im;
      hum += 2 * (re * c - im * s);
      const sc = this.stepCos[k]!;
      const ss = this.stepSin[k]!;
      this.cos[k] = c * sc - s * ss;
      this.sin[k] = s * sc + c * ss;
    }
    return hum;
  }

  /** A reading: engages lines heard as hum, lets go of lines gone, and pulls the frequency to the lines' own. */
  private judge(): void {
    const hum = this.hum;
    if (!hum.transform(this.raw.data, this.raw.mask, this.raw.written)) return;
    if (!Number.isFinite(this.fundamentalHz)) this.restart(0);
    // A fundamental still standing where it was is kept: under music the candidate that stands out most moves from
    // reading to reading (49.92, 50.03, 49.95 Hz in an EDM intro over hum on 50.03), and each restart would begin the
    // count again. Engaged, the lines are read where the loop holds them, whatever stands out most in this window.
    let r = hum.linesAt(this.fundamentalHz);
    if (!this.anyEngaged && !lineStands(r, 0)) {
      const standing = hum.standingHz();
      const f = this.fundamentalHz;
      if (standing > 0 && (f === 0 || Math.abs(standing / f - 1) > SAME_HUM)) {
        this.restart(standing);
        r = hum.linesAt(this.fundamentalHz);
      }
    }
    const stands = this.stands;
    for (let k = 0; k < MAX_HUM_LINES; k++) {
      stands[k] = lineStands(r, k) ? 1 : 0;
      // A non-finite sample (the class used without the extractor's guard) would hold the lock-in at NaN for good.
      if (!Number.isFinite(this.zRe[k]!) || !Number.isFinite(this.zIm[k]!)) this.letGo(k);
    }
    for (let k = 0; k < MAX_HUM_LINES; k++) {
      const power = k < r.lines ? r.linePower[k]! : 0;
      const last = this.lastPower[k]!;
      const steady = last > 0 && power <= last * STEADY && power * STEADY >= last;
      this.lastPower[k] = power;
      if (this.engaged[k] === 1) {
        this.goneReadings[k] = power < GONE_UNDER * this.heldOf(k) ? this.goneReadings[k]! + 1 : 0;
        if (this.goneReadings[k]! >= 2 || k >= r.lines) this.letGo(k);
      } else {
        this.passes[k] = stands[k] === 1 && steady ? this.passes[k]! + 1 : 0;
      }
    }
    // A hum is a family of lines on its fundamental: partials standing without it are music's (a pad's 150.2 Hz in an
    // ambient piece; a detuned pad layer's 100, 150, 300, 350 and 400 Hz, 37 cents over G and D; a synth's partials
    // over 500 Hz that fall on the harmonics of 60.28 Hz). An instrument tuned to A440 plays no note on the mains.
    const fundamentalReady = this.engaged[0] === 1 || this.passes[0]! >= READINGS_TO_ENGAGE;
    let ready = 0;
    let standing = 0;
    for (let k = 0; k < MAX_HUM_LINES; k++) {
      if (this.engaged[k] === 1 || this.passes[k]! >= READINGS_TO_ENGAGE) ready++;
      if (this.engaged[k] === 1 && stands[k] === 1) standing++;
    }
    for (let k = 0; k < MAX_HUM_LINES; k++) {
      const due = this.engaged[k] === 0 && this.passes[k]! >= READINGS_TO_ENGAGE;
      if (fundamentalReady && ready >= FAMILY_LINES && due) this.engage(k);
    }
    // Engaged lines none of which has stood out for LET_GO_READINGS: the hum has gone under the music for good, or
    // was music; a quiet passage brings it back in READINGS_TO_ENGAGE.
    this.unheardReadings = !this.anyEngaged || standing > 0 ? 0 : this.unheardReadings + 1;
    if (this.unheardReadings >= LET_GO_READINGS) for (let k = 0; k < MAX_HUM_LINES; k++) this.letGo(k);
    let held = 0;
    let heldLow = 0;
    let lines = 0;
    for (let k = 0; k < MAX_HUM_LINES; k++) {
      if (this.engaged[k] === 0) continue;
      lines++;
      const power = this.heldOf(k);
      held += power;
      if ((k + 1) * this.fundamentalHz < LOW_HZ) heldLow += power;
    }
    this.anyEngaged = lines > 0;
    // Hum to the silence gate only while the family holds its fundamental, and no more than LOW_HELD_SHARE over what
    // it holds under LOW_HZ: a steady note that joins the family on an upper line (F4 on the 7th harmonic of hum on
    // 49.89 Hz, 10 dB over it) is taken out of the band but is no line noise; counted, it raised the floor to −44 dBFS
    // and darkened the chords after it.
    const family = this.engaged[0] === 1 && lines >= FAMILY_LINES;
    this.heldPower = family ? Math.min(held, LOW_HELD_SHARE * heldLow) : 0;
    this.renormalise();
  }

  /** Line `k`'s power as its lock-in holds it: the state is half the line's amplitude. */
  private heldOf(k: number): number {
    return 2 * (this.zRe[k]! * this.zRe[k]! + this.zIm[k]! * this.zIm[k]!);
  }

  /** Another hum (or the first): every line starts again on `fundamentalHz`. */
  private restart(fundamentalHz: number): void {
    for (let k = 0; k < MAX_HUM_LINES; k++) this.letGo(k);
    this.passes.fill(0);
    this.lastPower.fill(0);
    this.setFrequency(fundamentalHz);
  }

  private engage(k: number): void {
    this.engaged[k] = 1;
    this.goneReadings[k] = 0;
    this.zRe[k] = 0;
    this.zIm[k] = 0;
    this.lastPhase[k] = NaN;
  }

  private letGo(k: number): void {
    this.engaged[k] = 0;
    this.passes[k] = 0;
    this.zRe[k] = 0;
    this.zIm[k] = 0;
  }

  private setFrequency(fundamentalHz: number): void {
    this.fundamentalHz = fundamentalHz;
    for (let k = 0; k < MAX_HUM_LINES; k++) {
      const w = (2 * Math.PI * (k + 1) * fundamentalHz) / this.rateHz;
      this.stepCos[k] = Math.cos(w);
      this.stepSin[k] = Math.sin(w);
    }
  }

  /**
   * The frequency-locked loop, FOLLOW_S apart: a lock-in off its line by Δf sees the line's phase turn at Δf, so each
   * engaged line's turn since the last step, over its harmonic number, tells the fundamental's error. Only lines
   * standing out in the last reading tell it (under loud music a lock-in's phase is the music's); of three or more the
   * median, so that a note inside one line's band cannot steer the rest off theirs (a tone 0.25 Hz over the second
   * line, 7 dB over it, pulled a power-weighted mean 0.11 Hz off). The fundamental moves by LOOP_GAIN of the error,
   * at most MAX_STEP_HZ a step, and stays within DRIFT_MAX of its mains (as MainsHum searches).
   */
  private followFrequency(): void {
    const seconds = this.followEvery / this.rateHz;
    const errors = this.errors;
    let count = 0;
    for (let k = 0; k < MAX_HUM_LINES; k++) {
      if (this.engaged[k] === 0) continue;
      const phase = Math.atan2(this.zIm[k]!, this.zRe[k]!);
      const lastPhase = this.lastPhase[k]!;
      this.lastPhase[k] = phase;
      // Engaged since the last step: no turn to read yet.
      if (Number.isNaN(lastPhase) || this.stands[k] === 0) continue;
      let turn = phase - lastPhase;
      turn -= 2 * Math.PI * Math.round(turn / (2 * Math.PI));
      errors[count++] = turn / (2 * Math.PI * seconds * (k + 1));
    }
    if (count === 0) return;
    let error: number;
    if (count >= 3) {
      const sorted = errors.subarray(0, count).sort();
      error = count % 2 ? sorted[count >> 1]! : 0.5 * (sorted[count / 2 - 1]! + sorted[count / 2]!);
    } else {
      error = count === 1 ? errors[0]! : 0.5 * (errors[0]! + errors[1]!);
    }
    // A non-finite sample (the class used without the extractor's guard) turns the lock-ins' phases to NaN.
    if (!Number.isFinite(error)) return;
    const step = Math.max(-MAX_STEP_HZ, Math.min(MAX_STEP_HZ, LOOP_GAIN * error));
    const mainsHz = this.fundamentalHz < 55 ? 50 : 60;
    const f = Math.max(mainsHz * (1 - DRIFT_MAX), Math.min(mainsHz * (1 + DRIFT_MAX), this.fundamentalHz + step));
    this.setFrequency(f);
  }

  /** Keeps the oscillators on the unit circle (the recurrence drifts by rounding). */
  private renormalise(): void {
    for (let k = 0; k < MAX_HUM_LINES; k++) {
      const g = 1 / Math.hypot(this.cos[k]!, this.sin[k]!);
      this.cos[k]! *= g;
      this.sin[k]! *= g;
    }
  }
}
