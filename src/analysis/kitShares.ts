import { KICK_SHARE_MARGIN, SHARE_CLEAR_HOPS, SHARE_TYPICAL_RATE, SNARE_OVER_KICK, SNARE_WITH_KICK_RATE } from './drumThresholds.js';

/**
 * How this kit's kicks and snares relate, learnt from the rules' own events (drums.ts): how much snare-band flux its
 * kicks bring, and how often its snares are struck with a kick. The kick and snare rules read these to tell a kick's
 * click in the snare band from a snare struck with it.
 */
export class KitShares {
  /** Snare-band over kick flux of this kit's kicks (a low running quantile), learnt at each kick event. */
  kickShare = SNARE_OVER_KICK / KICK_SHARE_MARGIN;
  /**
   * Running share of snare events with a kick event within SHARE_CLEAR_HOPS (claps on four-on-the-floor kicks). It
   * starts at 1: until the kit shows snares on their own, a snare may be struck with every kick.
   */
  snareWithKick = 1;
  /**
   * The typical (log-mean) snare-band share of this kit's kicks heard alone: learnt only from kicks with no snare
   * event within SHARE_CLEAR_HOPS either side, so claps struck with kicks do not teach it.
   */
  private kickShareTypical = SNARE_OVER_KICK / KICK_SHARE_MARGIN;
  /** The newest kick's share and hop, until kickShareTypical has judged it; −1: none waits. */
  private sharePending = -1;
  private sharePendingHop = 0;
  /** Hop of the oldest snare event not yet counted in snareWithKick (−1: none). */
  private snarePendingHop = -1;

  /**
   * Share of the kick's flux under which the snare band's flux is the kick's click. A kit whose snares come on their
   * own (backbeat, half-time, waltz) has no claps with the kicks to keep: there the share moves up from the low
   * quantile to the typical kick's (kicks' ratios spread 2–5× within a kit, and the low quantile let the louder clicks
   * through: pop snare F 0.91 → 0.97, room kit 0.88 → 0.94), in proportion to the share of snares heard without a kick.
   */
  clickShare(): number {
    const typical = Math.max(0, this.kickShareTypical - this.kickShare) * (1 - this.snareWithKick);
    return Math.min(SNARE_OVER_KICK, KICK_SHARE_MARGIN * (this.kickShare + typical));
  }

  /**
   * A rule kick at `hop` whose snare-band over kick flux was `share`: falls fast toward kicks that bring little
   * snare-band flux, rises slowly toward those that bring more.
   */
  learnKick(share: number, hop: number): void {
    this.kickShare += (share < this.kickShare ? 0.5 : 0.05) * (share - this.kickShare);
    this.sharePendingHop = hop;
    this.sharePending = share;
  }

  /** A snare event at `hop`; true where it is the one snareWithKick counts next (none was waiting). */
  noteSnare(hop: number): boolean {
    if (this.snarePendingHop >= 0) return false;
    this.snarePendingHop = hop;
    return true;
  }

  /**
   * Counts the snare SHARE_CLEAR_HOPS ago in snareWithKick, given the newest kick event; returns that snare's hop
   * where it came with a kick, else −1.
   */
  settleSnare(hop: number, kickHop: number): number {
    if (this.snarePendingHop < 0 || hop - this.snarePendingHop < SHARE_CLEAR_HOPS) return -1;
    const snareHop = this.snarePendingHop;
    const withKick = kickHop >= snareHop - SHARE_CLEAR_HOPS ? 1 : 0;
    this.snareWithKick += SNARE_WITH_KICK_RATE * (withKick - this.snareWithKick);
    this.snarePendingHop = -1;
    return withKick ? snareHop : -1;
  }

  /** Teaches kickShareTypical the share of the kick SHARE_CLEAR_HOPS ago if no snare fired around it. */
  settleKick(hop: number, ruleSnareHop: number): void {
    if (this.sharePending < 0 || hop - this.sharePendingHop < SHARE_CLEAR_HOPS) return;
    if (ruleSnareHop < this.sharePendingHop - SHARE_CLEAR_HOPS) {
      const now = Math.log(Math.max(this.kickShareTypical, 1e-4));
      const r = Math.log(Math.max(this.sharePending, 1e-4));
      this.kickShareTypical = Math.exp(now + SHARE_TYPICAL_RATE * (r - now));
    }
    this.sharePending = -1;
  }
}
