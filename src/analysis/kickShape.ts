/**
 * The shape of a kick candidate's low-band rise: how the onset spectrum's power at 30–500 Hz rose over the last
 * hops, which tells a kick's thump from a bass note (it rises at its partials too) and from a snare whose body sits
 * low (it rises above 120 Hz). Hand-written: a few sums over a ring of per-bin powers, run every hop.
 */

/**
 * Bass-note test of a kick. A kick's thump is one low lump (30–150 Hz) that rises alone; a new bass note (or a chord
 * struck with it at the bar) rises at its fundamental and at its partials up to a few hundred Hz. So the rise of the
 * power at 200–500 Hz, summed over the arm window (each hop against KICK_RISE_LAG_HOPS hops before), must stay below
 * KICK_BASS_RISE_RATIO times the thump's rise (on the corpus, per hop: true kicks median 0.19, 95th percentile 0.83;
 * kicks fired on bass notes in drumless passages median 1.75). 150–200 Hz counts for neither: a kick's pitch glide
 * starts there, and counting it above delayed kicks by a hop (counting it below let more bass notes through).
 */
const KICK_BASS_RISE_RATIO = 1;
const KICK_RISE_LAG_HOPS = 3;
const KICK_THUMP_TOP_HZ = 150;
const KICK_UPPER_FROM_HZ = 200;
/** Hops summed: the arm window. */
const RISE_HOPS = 3;

/**
 * Snare-body test of a kick. Some kits' snares (TimGM6mb's) carry their body at 100–200 Hz, inside the kick band,
 * with a low jump and a click like a kick's. The power rise at 120–225 Hz over that at 30–120 Hz is the body share;
 * what it reads for kicks depends on the kit and on the bass under them (corpus medians 0.3–1.3, up to 4.6 on house
 * kicks), so it is compared with this kit's kicks: a candidate whose body share exceeds KICK_BODY_OVER_TYPICAL times
 * the typical kick's (a log-mean over fired kicks) and whose thump rise (30–120 Hz, relative to the level²; the
 * smallest since it was armed, as a snare's body leaks down into the thump band over the next hops) stays under
 * KICK_BODY_THUMP_SHARE of the typical kick's is a snare (corpus: TimGM snares read 4–25 times the kicks' body share
 * with a tenth to a third of their thump; waltz kick F 0.72 → 0.94, no other song's kick F moved).
 */
const KICK_BODY_SPLIT_HZ = 120;
const KICK_BODY_TOP_HZ = 225;
const KICK_BODY_OVER_TYPICAL = 4;
const KICK_BODY_THUMP_SHARE = 0.5;
/**
 * A candidate whose flux above 6 kHz is at least KICK_NOISY_HATS of its 1–6 kHz click's is a snare's wires (kicks:
 * median 0.2; snares of the jazz kit and the TR-808 0.45–0.85), and then a body share KICK_NOISY_BODY times the
 * typical kick's with a thump under KICK_NOISY_THUMP of it is enough: the jazz kit's snares (TimGM) read 3.4–13
 * times its kicks' body share with a third to two thirds of their thump (waltz kick F 0.81 → 0.96). Without the
 * wires test the lower bounds also block kicks of other kits (an 808's, a room kit's).
 */
const KICK_NOISY_HATS = 0.4;
const KICK_NOISY_BODY = 3;
const KICK_NOISY_THUMP = 0.7;
/**
 * Pure-thump test (a click-less sub kick, see DrumDetector): the rise above 200 Hz stays under PURE_RISE of the
 * thump's (808 kicks 0.03–0.35 once the thump has built; bass notes median 1.75), the rise at 120–225 Hz under
 * PURE_BODY of that at 30–120 Hz (808 kicks 0.15–0.4; a snare whose body booms at 150 Hz rises above 120 Hz), and
 * the low energy jumps at least PURE_JUMP times (3 lets off-beat bass stabs through).
 */
const PURE_RISE = 0.4;
const PURE_BODY = 0.7;
const PURE_JUMP = 4;
/**
 * Booming-snare test. Some kits' snares (TimGM's room and power kits) carry a low boom as deep and as loud as their
 * kick's thump (a low jump of 12–70 times, a thump rise up to eight times the kick's), so the body and thump tests
 * above cannot see them; what is left of a snare is its wires and its shell: flux above 6 kHz as a share of the 1–6
 * kHz click's flux, and the body share. A candidate with a full click whose hats-over-click share exceeds BOOM_WIRES
 * times this kit's kicks' (a log-mean over fired kicks, each floored at BOOM_WIRES_FLOOR: a click-less kick's share
 * is noise) and BOOM_WIRES_MIN outright, and whose body share exceeds BOOM_BODY times the typical kick's, is a snare.
 * Corpus, against the kit's true kicks: those snares read 1.4–4 times the wires share and 1.3–17 times the body share,
 * kicks of the same kits at most 1.55 and 2.2, no kick of a kit whose kicks bring a click passes both.
 * Kits whose kicks bring little click of their own (the TR-808's, or kicks struck with a loud hat or ride: their
 * share is over BOOM_KIT_MAX) are left out: their kicks' wires share is the hats' and spreads 0–2.5.
 */
const BOOM_WIRES = 1.3;
const BOOM_WIRES_ALONE = 2;
const BOOM_WIRES_MIN = 0.3;
const BOOM_WIRES_FLOOR = 0.1;
const BOOM_BODY = 2;
const BOOM_KIT_MAX = 0.45;
const BOOM_KIT_SPREAD = 0.4;
/**
 * A snare picked on a kick's hop whose wires share is under CLICK_WIRES times the kit's kicks' is the kick's click
 * (TimGM's power kit: its kicks bring 0.1–0.17 of their low flux into the snare band, over SNARE_OVER_KICK of
 * DrumDetector, with a wires share of 0.24–0.37 where the kit's kicks read 0.33 and its snares 0.51–0.53; FluidR3's
 * kick clicks under a mic EQ likewise). 1.2 against 1: corpus snare F power kit 0.94 → 0.96, EQ'd half-time DnB
 * 0.77 → 0.84, no snare lost.
 */
const CLICK_WIRES = 1.2;
/** Rate of the running log-means (a plain mean over the first 1/rate kicks; the test applies from the first). */
const KICK_BODY_RATE = 0.1;

export class KickShape {
  /** Rise above 200 Hz over the thump's (bass-note test), body share and thump rise, over the last RISE_HOPS hops. */
  bassRise = 0;
  bodyShare = 0;
  thumpRise = 0;
  private readonly riseLo: number;
  private readonly riseSplit: number;
  private readonly riseUpper: number;
  private readonly riseHi: number;
  private readonly bodyLo: number;
  private readonly bodyHi: number;
  /** Power of bins [riseLo, riseHi) for the last 8 hops (row = hop & 7), and the band rises of the last 8. */
  private readonly powHist: Float64Array;
  private readonly thumpHist = new Float64Array(8);
  private readonly upperHist = new Float64Array(8);
  private readonly lowHist = new Float64Array(8);
  private readonly bodyHist = new Float64Array(8);
  /** Log-means of the body share and of the thump rise of this kit's kicks, and how many taught them. */
  private kickBodyLog = 0;
  private kickThumpLog = 0;
  private wiresAfresh = false;
  /** Log-mean of this kit's kicks' hats-over-click share (BOOM_WIRES_FLOOR at the least). */
  private kickWiresLog = 0;
  /** Running mean absolute deviation of the kicks' log wires share from kickWiresLog (how consistent their click is). */
  private kickWiresSpread = 0;
  private kickCount = 0;

  constructor(binHz: number, bins: number) {
    this.riseLo = Math.max(1, Math.round(30 / binHz));
    this.riseSplit = Math.max(this.riseLo + 1, Math.round(KICK_THUMP_TOP_HZ / binHz));
    this.riseUpper = Math.max(this.riseSplit, Math.round(KICK_UPPER_FROM_HZ / binHz));
    this.riseHi = Math.min(bins, Math.max(this.riseSplit + 1, Math.round(500 / binHz)));
    this.bodyLo = Math.max(this.riseLo + 1, Math.round(KICK_BODY_SPLIT_HZ / binHz));
    this.bodyHi = Math.min(this.riseHi, Math.max(this.bodyLo + 1, Math.round(KICK_BODY_TOP_HZ / binHz)));
    this.powHist = new Float64Array(8 * this.riseHi);
  }

  /** Stores this hop's low power per bin and its rise over KICK_RISE_LAG_HOPS hops; updates the three measures. */
  track(mag: Float32Array, hop: number, level: number): void {
    const { riseLo, riseSplit, riseUpper, riseHi, bodyLo, bodyHi, powHist } = this;
    const row = (hop & 7) * riseHi;
    const prev = ((hop - KICK_RISE_LAG_HOPS) & 7) * riseHi;
    const have = hop >= KICK_RISE_LAG_HOPS;
    let thump = 0;
    let upper = 0;
    let low = 0;
    let body = 0;
    for (let k = riseLo; k < riseHi; k++) {
      const e = mag[k]! * mag[k]!;
      powHist[row + k] = e;
      const d = have ? e - powHist[prev + k]! : 0;
      if (d > 0) {
        if (k < riseSplit) thump += d;
        else if (k >= riseUpper) upper += d;
        if (k < bodyLo) low += d;
        else if (k < bodyHi) body += d;
      }
    }
    const i = hop & 7;
    this.thumpHist[i] = thump;
    this.upperHist[i] = upper;
    this.lowHist[i] = low;
    this.bodyHist[i] = body;
    thump = upper = low = body = 0;
    for (let d = 0; d < RISE_HOPS; d++) {
      const j = (hop - d) & 7;
      thump += this.thumpHist[j]!;
      upper += this.upperHist[j]!;
      low += this.lowHist[j]!;
      body += this.bodyHist[j]!;
    }
    this.bassRise = thump > 0 ? upper / thump : 1e9;
    this.bodyShare = low > 0 ? body / low : body > 0 ? 1e9 : 0;
    this.thumpRise = low / (level * level);
  }

  /** Did the band above the thump rise as much as the thump (a bass note)? */
  get bassLike(): boolean {
    return this.bassRise >= KICK_BASS_RISE_RATIO;
  }

  /** A click-less sub kick's rise: one pure low lump; `low`, `lowBefore`: power below 200 Hz now and before. */
  pureThump(low: number, lowBefore: number): boolean {
    return this.bassRise < PURE_RISE && this.bodyShare < PURE_BODY && low >= PURE_JUMP * lowBefore;
  }

  /**
   * A snare's body rather than a kick's thump, against this kit's kicks; `armThump`: least thump rise since armed;
   * `hatsOverClick`: the candidate's largest flux above 6 kHz over its largest 1–6 kHz flux since armed.
   */
  snareBodyLike(armThump: number, hatsOverClick: number): boolean {
    if (this.kickCount === 0) return false;
    const noisy = hatsOverClick >= KICK_NOISY_HATS;
    const body = Math.log(Math.max(this.bodyShare, 1e-3)) - this.kickBodyLog;
    const thump = Math.log(Math.max(armThump, 1e-12)) - this.kickThumpLog;
    return (
      (body > Math.log(KICK_BODY_OVER_TYPICAL) && thump < Math.log(KICK_BODY_THUMP_SHARE)) ||
      (noisy && body > Math.log(KICK_NOISY_BODY) && thump < Math.log(KICK_NOISY_THUMP))
    );
  }

  /**
   * A snare whose boom reaches as deep as a kick (see BOOM_WIRES); `hatsOverClick`: the candidate's largest flux above
   * 6 kHz over its largest 1–6 kHz flux since armed, `clicked`: its click gate was full.
   */
  boomSnareLike(hatsOverClick: number, clicked: boolean): boolean {
    if (!clicked || hatsOverClick < BOOM_WIRES_MIN || !this.kicksClick) return false;
    const wires = Math.log(hatsOverClick) - this.kickWiresLog;
    const body = Math.log(Math.max(this.bodyShare, 1e-3)) - this.kickBodyLog;
    return wires > Math.log(BOOM_WIRES_ALONE) || (wires > Math.log(BOOM_WIRES) && body > Math.log(BOOM_BODY));
  }

  /**
   * A snare-band onset on a kick's hop that brings hardly more wires than this kit's kicks: the kick's own click
   * (`hatsOverClick`: the onset hop's flux above 6 kHz over its 1–6 kHz flux). Only for kits whose kicks bring a
   * consistent click of their own, as for boomSnareLike.
   */
  kickClickLike(hatsOverClick: number): boolean {
    if (!this.kicksClick) return false;
    return Math.log(Math.max(hatsOverClick, 1e-3)) - this.kickWiresLog < Math.log(CLICK_WIRES);
  }

  /** The next kick sets the kit's typical wires share alone (its kicks have changed; see DrumDetector). */
  relearnWires(): void {
    this.wiresAfresh = true;
  }

  /** Whether this kit's kicks bring a consistent click of their own (not an 808's, nor kicks struck with a loud hat). */
  get kicksClick(): boolean {
    return this.kickCount > 0 && this.kickWiresLog <= Math.log(BOOM_KIT_MAX) && this.kickWiresSpread <= BOOM_KIT_SPREAD;
  }

  /** This kit's kicks' typical (log-mean) wires share; 0 before the first kick. */
  get kickWires(): number {
    return this.kickCount === 0 ? 0 : Math.exp(this.kickWiresLog);
  }

  /** A kick fired on this hop: it teaches the kit's typical body share, thump rise and wires share. */
  learnKick(hatsOverClick = BOOM_WIRES_FLOOR): void {
    this.kickCount++;
    const rate = Math.max(KICK_BODY_RATE, 1 / this.kickCount);
    this.kickBodyLog += rate * (Math.log(Math.max(this.bodyShare, 1e-3)) - this.kickBodyLog);
    this.kickThumpLog += rate * (Math.log(Math.max(this.thumpRise, 1e-12)) - this.kickThumpLog);
    const w = Math.log(Math.max(hatsOverClick, BOOM_WIRES_FLOOR));
    if (this.wiresAfresh) {
      this.wiresAfresh = false;
      this.kickWiresLog = w;
      this.kickWiresSpread = 0;
      return;
    }
    this.kickWiresLog += rate * (w - this.kickWiresLog);
    this.kickWiresSpread += rate * (Math.abs(w - this.kickWiresLog) - this.kickWiresSpread);
  }
}
