/**
 * Whether a kick brings a clap struck with it (KickClaps), for the merge of the rules' and the net's drums
 * (drumMerge.ts), from the merge's own events and the net's snare activation, so it learns the kit as it plays. Where
 * the next snare is expected, the merge asks an EventGrid of its snare events (eventGrid.ts).
 */
import {
  ON_KICK_HOPS,
  ON_KICK_REGULAR,
  ON_KICK_SHARE,
  ON_KICK_SNARE,
} from './drumMergeThresholds.js';
import { KitShares } from './kitShares.js';

const NONE = -1e9;

/**
 * A clap or snare struck with a kick, on the beats between lone kicks (four on the floor, claps on two and four),
 * that the rules and the net's picker both miss: the rules take it for the kick's click, and the net reads it at
 * 0.15–0.94 where a kick's click reads up to 0.91 (ON_KICK_SNARE). It is judged once per kick event, on the event's
 * hop or up to ON_KICK_HOPS after it, from the net's snare activation held over two hops; the share of this kit's
 * snares struck with a kick is learnt from the merge's own events (the rules' share counts only the snares they
 * fire, not the ones they miss on the kicks).
 */
export class KickClaps {
  /**
   * The merge's running share of its snare events with a kick event (KitShares.snareWithKick, as the rules keep it of
   * theirs), and whether the snare it counts next was this rule's own.
   */
  private readonly shares = new KitShares();
  private shareSnareOwn = false;
  /** The newest snare event of the rules' or the net's that came with a kick. */
  private heardWithKickHop = NONE;
  /** The net's snare activation held over two hops (the lower of a hop's and the last's), the last ON_KICK_HOPS. */
  private readonly held = new Float64Array(ON_KICK_HOPS);
  private heldAt = 0;
  /** The newest kick event's hop and the one before's; whether the newest kept the gap before it (ON_KICK_REGULAR). */
  private kickHop = NONE;
  private prevKickHop = NONE;
  private regular = false;
  /** The highest held snare activation within ON_KICK_HOPS of the newest kick event, and the one before's. */
  private kickHeld = 0;
  private prevKickHeld = 1;
  /** Whether the newest kick event's clap was judged. */
  private judged = true;

  /** `mergeHops`: kick events closer than this are one; `trustHops`: how long a heard clap on a kick counts. */
  constructor(
    private readonly mergeHops: number,
    private readonly trustHops: number,
  ) {}

  /** A kick event at `hop`. */
  kick(hop: number): void {
    if (hop - this.kickHop > this.mergeHops) {
      const gapHops = this.kickHop - this.prevKickHop;
      this.regular = Math.abs(hop - this.kickHop - gapHops) <= ON_KICK_REGULAR * gapHops;
      this.prevKickHop = this.kickHop;
      this.prevKickHeld = this.kickHeld;
      let most = 0;
      for (const v of this.held) if (v > most) most = v;
      this.kickHeld = most;
      this.judged = false;
    }
    this.kickHop = hop;
  }

  /** A snare event at `hop`; `own`: this rule fired it (see `step`). */
  snare(hop: number, own = false): void {
    if (this.shares.noteSnare(hop)) this.shareSnareOwn = false;
    if (own) this.shareSnareOwn = true;
  }

  /**
   * One hop, after the merge's events: `netSnare` and `prevNetSnare` the net's snare activation now and a hop before,
   * `lastKickHop` the newest kick event, `free` whether no net snare waits or is held for its tail (that one is the
   * kick's snare if any). True where this hop's kick brings a clap.
   */
  step(hop: number, netSnare: number, prevNetSnare: number, lastKickHop: number, free: boolean): boolean {
    const withKickHop = this.shares.settleSnare(hop, lastKickHop);
    if (withKickHop >= 0 && !this.shareSnareOwn) this.heardWithKickHop = withKickHop;
    // A reading that is not a number counts as none (NaN would pass every test below).
    const lower = Math.min(netSnare, prevNetSnare);
    const held = lower >= 0 ? lower : 0;
    const sinceKick = hop - this.kickHop;
    if (sinceKick <= ON_KICK_HOPS) this.kickHeld = Math.max(this.kickHeld, held);
    this.held[this.heldAt] = held;
    this.heldAt = (this.heldAt + 1) % ON_KICK_HOPS;
    if (this.judged || sinceKick > ON_KICK_HOPS || this.kickHeld < ON_KICK_SNARE || !free) return false;
    this.judged = true;
    const loneBefore = this.prevKickHeld < ON_KICK_SNARE;
    if (!loneBefore || !this.regular || this.shares.snareWithKick < ON_KICK_SHARE) return false;
    // The kit shows snares struck with its kicks in the rules' or the net's own snares within `trustHops`: the share
    // starts at 1, and a song of kicks without snares (a bass line under them) fired one where the net read a kick's
    // body as a snare on two hops. Not in this rule's own, which would keep it going by themselves.
    return hop - this.heardWithKickHop <= this.trustHops;
  }
}
