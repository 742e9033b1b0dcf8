import { OnsetPicker, PeakNormaliser } from './onsets.js';

/**
 * What the snare envelope gets on a hop where the kick is sounding, and the snare normaliser's floor; both learnt
 * from this kit's snares.
 *
 * On such a hop only the snare's part of the snare band's flux counts (DrumTemplates.snareShare, fully from
 * SNARE_SHARE_FULL up): TimGM's beater click is two to three times louder in 1–8 kHz than its snare and comes a hop
 * or two before the thump, where the kick-over-snare share test of DrumDetector cannot see it yet; counted whole, it
 * fires snares and sets the snare normaliser's peak so high that the real snares fall under the threshold.
 * That holds where the kit's snares come apart from its kicks. A clap struck with a four-on-the-floor kick adds only
 * a fifth to the click's flux and its share is not told reliably from a click's, so the unmixing applies in
 * proportion to the share of snares heard apart from kicks — counted by a picker of its own that runs on the
 * unmixed flux (the detector's snare events would keep themselves: a kit whose clicks fire snares never shows
 * snares alone). That share rises fast and falls slowly: a drumless intro's false snares on chords must not open the
 * unmixing just before the claps on kicks come in.
 */
const SNARE_SHARE_FULL = 0.4;
/** Hops around a kick within which a snare counts as struck with it. */
const WITH_KICK_HOPS = 3;
const WITH_KICK_RISE = 0.5;
const ALONE_FALL = 0.15;
/**
 * The floor follows this kit's snares heard clear of kicks: FLOOR_SHARE of their running log-mean flux, between
 * FLOOR_MIN and the fixed drum floor. Some kits' snares bring a small fraction of the level that their kicks set
 * (TimGM's in a waltz: 0.004–0.006 of it, where the fixed floor 0.01 keeps them under the threshold), while a kit
 * with loud snares keeps the whole floor against chords and plucks in its drumless passages. The log-mean starts
 * where the floor is the fixed one, so the few false snares of an intro move it little.
 */
const FLOOR_SHARE = 0.8;
const FLOOR_MIN = 0.004;
const LEVEL_RATE = 0.1;
/**
 * Only snares whose flux above 6 kHz stays under this share of their 1–8 kHz flux teach the floor: an open hat or a
 * ride picked as a snare would lower it and let the next hats through (corpus: TimGM snares 0.6–0.7, hats picked in
 * the DnB intro 0.87–0.96).
 */
const LEVEL_MAX_HATS = 0.8;
/**
 * … but the probe's onsets (picked only while kicks play, clear of them) may bring up to PROBE_MAX_HATS: a kit's
 * snares struck with its ride read 0.85–1.1 (FluidR3's jazz kit in swing, whose snares sit under the fixed floor and
 * never fire to teach it), while hats that the probe picks as loudly as a snare come between kicks rarely.
 */
const PROBE_MAX_HATS = 1.2;
/**
 * Snares that sit under the floor never fire, so they could never teach it: a probe picker runs on the same flux
 * normalised over FLOOR_MIN, and its onsets teach the floor too where the detector fired none, clear of kicks and
 * only while a kit plays (a kick within PROBE_KIT_HOPS: chords of a drumless passage must not lower it). The jazz
 * kit's soft snares in 3/4 (a fifth of their kicks' level) read 0.55–0.62 of the fixed floor.
 */
const PROBE_KIT_HOPS = 200;

export class SnareUnmix {
  /** Running share of the unmixed picker's snares that come with a kick (1 until the kit shows snares alone). */
  withKick = 1;
  /** The floor for the snare normaliser. */
  floor: number;
  private readonly fixedFloor: number;
  private readonly norm: PeakNormaliser;
  private readonly pick: OnsetPicker;
  private pendingHop = -1;
  private levelLog: number;
  private prevFlux = 0;
  private readonly probeNorm: PeakNormaliser;
  private readonly probePick: OnsetPicker | null;

  /** `probe`: a picker like `picker` for the probe (none: the floor learns from the detector's snares only). */
  constructor(decayPerHop: number, fixedFloor: number, picker: OnsetPicker, probe: OnsetPicker | null = null) {
    this.probeNorm = new PeakNormaliser(decayPerHop, FLOOR_MIN);
    this.probePick = probe;
    this.fixedFloor = fixedFloor;
    this.floor = fixedFloor;
    this.norm = new PeakNormaliser(decayPerHop, fixedFloor);
    this.pick = picker;
    this.levelLog = Math.log(fixedFloor / FLOOR_SHARE);
  }

  /**
   * The snare flux to normalise this hop. `kickNear`: the kick's gated low flux is rising (this hop or the last);
   * `snareShare`: the templates' snare part of the hop's flux; `lastKickHop` after this hop's kick decision.
   */
  next(flux: number, snareShare: number, kickNear: boolean, hop: number, lastKickHop: number, ok: boolean): number {
    const m = kickNear ? Math.min(1, snareShare / SNARE_SHARE_FULL) : 1;
    if (this.pendingHop >= 0 && hop - this.pendingHop >= WITH_KICK_HOPS) {
      const withKick = lastKickHop >= this.pendingHop - WITH_KICK_HOPS ? 1 : 0;
      this.withKick += (withKick ? WITH_KICK_RISE : ALONE_FALL) * (withKick - this.withKick);
      this.pendingHop = -1;
    }
    // Its normaliser shares the learnt floor: a kit whose snares sit under the fixed floor shows them alone too.
    this.norm.floor = this.floor;
    if (this.pick.push(this.norm.next(flux * m), ok) && this.pendingHop < 0) this.pendingHop = hop;
    const out = flux * (1 - (1 - m) * (1 - this.withKick));
    const prev = this.prevFlux;
    this.prevFlux = out;
    this.lastPeak = Math.max(out, prev);
    return out;
  }

  /**
   * Once a hop after `next` (`fired`: the detector fired a snare this hop, which teaches through learnLevel): the
   * probe's onsets teach the floor.
   */
  probe(hatsFlux: number, hop: number, lastKickHop: number, fired: boolean, ok: boolean): void {
    if (!this.probePick) return;
    const picked = this.probePick.push(this.probeNorm.next(this.prevFlux), ok);
    const kitOn = hop - lastKickHop <= PROBE_KIT_HOPS && hop - lastKickHop > WITH_KICK_HOPS;
    if (picked && !fired && kitOn) this.learnLevel(this.lastPeak, hatsFlux, PROBE_MAX_HATS);
  }

  /** A snare event clear of kicks, with this hop's raw snare-band and hats-band flux: it may teach the floor. */
  learnLevel(snareFlux: number, hatsFlux: number, maxHats = LEVEL_MAX_HATS): void {
    const flux = this.lastPeak;
    if (!(flux > 0) || hatsFlux >= maxHats * snareFlux) return;
    this.levelLog += LEVEL_RATE * (Math.log(flux) - this.levelLog);
    this.floor = Math.min(this.fixedFloor, Math.max(FLOOR_MIN, FLOOR_SHARE * Math.exp(this.levelLog)));
  }

  /** The larger of this hop's and the last hop's flux given to the normaliser (a snare's flux spans two hops). */
  private lastPeak = 0;
}
