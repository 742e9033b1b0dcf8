/**
 * Kicks the groove's own kicks say come, for the merge of the rules' and the net's drums (drumMerge.ts). A kick that
 * follows a louder one while its low end still rings raises the low band little over what it rises from (808 and
 * booming drum'n'bass kits: the second kick of the bar reads 0.12–0.26 of the normalised low flux, under the merge's
 * NET_KICK_MIN_LOW, and the net reads it at 0.5–0.8, under the sure kick that would stand with less). Such a kick
 * comes again bar after bar where it came before: the net's kick activation crossed EXPECTED_KICK an interval back
 * that two of the newest kick events span, within EXPECTED_TOLERANCE_S. A crossing the grid expects fires once the
 * low band's flux and its energy over what it was before have both risen (EXPECTED_KICK_MIN_LOW,
 * EXPECTED_KICK_JUMP) a hop or two after it, unless a snare event came from the hop before it on (a booming snare's
 * low end reads so too, and the merge's snare is the better reading of it).
 * It reads only the net's activation, the low band and the merge's own events, so it learns the groove as it plays.
 */
import { EventGrid } from './eventGrid.js';
import {
  EXPECTED_KICK,
  EXPECTED_KICK_HOPS,
  EXPECTED_KICK_JUMP,
  EXPECTED_KICK_MIN_LOW,
  EXPECTED_KICK_RECENT_S,
  EXPECTED_KICKS,
} from './drumMergeThresholds.js';

const NONE = -1e9;

export class ExpectedKicks {
  /** The newest kick events. */
  private readonly kicks: EventGrid;
  /**
   * Hops the net's kick activation crossed EXPECTED_KICK on, in a ring (NONE where none yet): as many as can come
   * within the grid's reach, one every second hop (a crossing needs a hop under the threshold before it).
   */
  private readonly crossings: Float64Array;
  private crossingAt = 0;
  private prevActivation = 0;
  /** Hop of the crossing that waits for the low band, NONE when none waits. */
  private pending = NONE;
  private lowMax = 0;
  private jumpMax = 0;
  private readonly recentHops: number;

  constructor(hopRateHz: number) {
    this.kicks = new EventGrid(hopRateHz, EXPECTED_KICKS);
    this.recentHops = Math.round(EXPECTED_KICK_RECENT_S * hopRateHz);
    this.crossings = new Float64Array(Math.ceil((this.kicks.maxHops + this.kicks.toleranceHops) / 2) + 2).fill(NONE);
  }

  /** A kick event at `hop` (any: the rules', the net's or this one's). */
  kick(hop: number): void {
    this.kicks.push(hop);
  }

  /**
   * One hop, after the merge's other events of the hop: whether an expected kick fires now. `activation`: the net's
   * kick activation; `lowNorm`: the low band's normalised flux; `lowJump`: its energy over its mean 3–7 hops back;
   * `snareHop`: the merge's newest snare, fired or waiting to; `free`: no kick event within the merge window (so
   * another kick event while one waits takes its place), and the hop not silent.
   */
  step(hop: number, activation: number, lowNorm: number, lowJump: number, snareHop: number, free: boolean): boolean {
    const crossed = this.prevActivation < EXPECTED_KICK && activation >= EXPECTED_KICK;
    this.prevActivation = activation;
    let fires = false;
    if (this.pending >= 0) {
      fires = this.waits(hop, lowNorm, lowJump, snareHop, free);
      if (fires || hop - this.pending >= EXPECTED_KICK_HOPS) this.pending = NONE;
    }
    if (!crossed) return fires;
    if (!fires && free && hop - this.kicks.newest() <= this.recentHops && this.kicks.expects(hop, this.crossings)) {
      this.pending = hop;
      this.lowMax = 0;
      this.jumpMax = 0;
      // Its own hop counts towards the rise, and a snare on the hop before drops it; it fires a hop later at the
      // soonest.
      this.waits(hop, lowNorm, lowJump, snareHop, free);
    }
    this.crossings[this.crossingAt] = hop;
    this.crossingAt = (this.crossingAt + 1) % this.crossings.length;
    return fires;
  }

  /** One hop of the waiting crossing: whether it fires now (a snare, or a kick within the merge window, drops it). */
  private waits(hop: number, lowNorm: number, lowJump: number, snareHop: number, free: boolean): boolean {
    if (snareHop >= this.pending - 1 || !free) {
      this.pending = NONE;
      return false;
    }
    // NaN reads as no rise.
    if (lowNorm > this.lowMax) this.lowMax = lowNorm;
    if (lowJump > this.jumpMax) this.jumpMax = lowJump;
    return hop - this.pending >= 1 && this.lowMax >= EXPECTED_KICK_MIN_LOW && this.jumpMax >= EXPECTED_KICK_JUMP;
  }
}
