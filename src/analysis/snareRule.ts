/**
 * The hand-made rules' snare decision on a hop (drums.ts runs it after its kick decision): the snare envelope's pick,
 * held a hop where it came with a kick; the kick's own click told apart; a snare the envelope missed on the kick's hop
 * whose noise goes on after the click (SnareOnKick); and a chord's attack or a hat's reach into the snare band
 * refused. What the detector learns from a snare (the kit's shares, the templates, the snare floor) stays with it.
 */
import type { KitShares } from './kitShares.js';
import type { KickShape } from './kickShape.js';
import type { SnareOnKick } from './snareOnKick.js';
import type { DrumTonality } from './drumTonality.js';
import type { OnsetPicker } from './onsets.js';
import {
  CLICK_TEST_WITH_KICK,
  SNARE_HATS_OVER_CLICK,
  SNARE_HOLD_MARGIN,
  SNARE_HOLD_WITH_KICK,
} from './drumThresholds.js';

/** What the snare rule reads of a hop, filled in place by the detector (this runs every hop). */
export interface SnareRuleHop {
  hop: number;
  /** False on silent hops (no event). */
  ok: boolean;
  /** The snare envelope (normalised, after the kick's share was taken off it: SnareUnmix). */
  envelope: number;
  /** The snare band's raw flux, and the larger of this hop's and the last hop's gated kick flux. */
  snareFlux: number;
  kickRef: number;
  /** This hop's gated kick flux, and the raw flux above 6 kHz and at 1–6 kHz. */
  kick: number;
  hats: number;
  click: number;
  /** Share of the kick's flux under which the snare band's flux is the kick's click (KitShares.clickShare). */
  over: number;
  /** The rules' newest kick and snare hops (the kick of this hop included). */
  ruleKickHop: number;
  ruleSnareHop: number;
  /** The net's snare activation of the hop. */
  netSnare: number;
}

export class SnareRule {
  /** Whether the last `decide` fired a snare, and whether it was told once the kick's click was over. */
  snare = false;
  afterClick = false;
  /** A snare held for a hop: its snare-band flux (−1: none), the kick reference and share then, its wires. */
  private heldSnareFlux = -1;
  private heldKickRef = 0;
  private heldOver = 0;
  private heldWires = 0;

  constructor(
    private readonly pick: OnsetPicker,
    private readonly shares: KitShares,
    private readonly shape: KickShape,
    private readonly onKick: SnareOnKick,
    private readonly tonality: DrumTonality,
  ) {}

  /** Decides the hop's snare (`snare`, `afterClick`). */
  decide(h: SnareRuleHop): void {
    const shares = this.shares;
    const hop = h.hop;
    // A snare picked on the hop a kick fires waits one hop where this kit's snares mostly come on their own: the
    // kick's thump is still growing (a slow one doubles its low flux in the next hop), and the click and hats that
    // reached the snare band are checked against SNARE_OVER_KICK of it again (see SNARE_HOLD_WITH_KICK).
    let snareNow = false;
    const wiresNow = h.click > 0 ? h.hats / h.click : 0;
    if (this.heldSnareFlux >= 0) {
      snareNow =
        this.heldSnareFlux >= this.heldOver * Math.max(this.heldKickRef, h.kick) && !this.kicksOwnClick(this.heldWires);
      this.heldSnareFlux = -1;
    }
    if (this.pick.push(h.envelope, h.ok)) {
      const hold = shares.snareWithKick < SNARE_HOLD_WITH_KICK && h.snareFlux < SNARE_HOLD_MARGIN * h.over * h.kickRef;
      if (h.ruleKickHop === hop && hold) {
        this.heldSnareFlux = h.snareFlux;
        this.heldKickRef = h.kickRef;
        this.heldOver = h.over;
        this.heldWires = wiresNow;
      } else {
        // Picked with or just after a kick, with hardly more wires than its kicks bring: the kick's click, where this
        // kit's snares come apart from its kicks (see CLICK_TEST_WITH_KICK; a kick's snare-band flux peaks a hop
        // after its onset as often as on it).
        snareNow = !(hop - h.ruleKickHop <= 1 && this.kicksOwnClick(wiresNow));
      }
    }
    // A snare the envelope missed on the kick's hop whose noise goes on after the click (see SnareOnKick), where this
    // kit's snares mostly come with its kicks (elsewhere the click test above holds: with the rule in every kit, second
    // kept-apart set's waltz on the Zeppelin kit snare F 0.95 → 0.89, first set's TimGM DnB 0.87 → 0.81). Its later
    // bursts are the same snare: the picker waits its least interval from here.
    let afterClick = false;
    const goesOn = this.onKick.struck(hop, h.snareFlux, h.kick, h.netSnare, h.ruleSnareHop, h.ok);
    if (!snareNow && goesOn && shares.snareWithKick >= CLICK_TEST_WITH_KICK) {
      snareNow = true;
      afterClick = true;
      this.pick.mark();
    }
    // A chord's attack where no cymbal is heard is no snare (see DrumTonality), nor is a hat whose flux above 6 kHz is
    // SNARE_HATS_OVER_CLICK times its 1–6 kHz flux (an 808's open hat reaches down into the snare band).
    if (snareNow && (this.tonality.tonal(hop) || h.hats >= SNARE_HATS_OVER_CLICK * h.click)) snareNow = false;
    this.snare = snareNow;
    this.afterClick = afterClick;
  }

  /**
   * A snare-band onset with hardly more wires than this kit's kicks, where its snares come apart from its kicks:
   * their click.
   */
  private kicksOwnClick(wires: number): boolean {
    return this.shares.snareWithKick < CLICK_TEST_WITH_KICK && this.shape.kickClickLike(wires);
  }
}
