/**
 * The drum events: the hand-made rules' kicks and snares (drums.ts), and the learned net's (drumNet.ts) where the
 * rules fired none of the same drum and the net's candidate passes the checks below. The net hears kits the rules
 * were not tuned on (machines and their click-less kicks, boomy snares, other fonts); but in drumless passages it
 * takes bass notes and chord stabs for drums more often than the rules, and it reads a booming snare as a kick or a
 * power kit's kick click as a snare more often. So a net event
 *  - needs a kit playing: a hats or snare event (a rule snare the net dropped too) within NET_KIT_ON_S, or, as a
 *    snare, must start one (NET_KIT_START_SNARE), as a kick, be sure on two hops (NET_KIT_START_KICK);
 *  - waits NET_HOLD_HOPS (a sure kick NET_SURE_KICK_HOLD_HOPS; a surer one whose low band has risen, none:
 *    NET_INSTANT_KICK) for the rules: their event of the same drum takes its place (no double event), and their
 *    event of the other drum within NET_MERGE_S of it drops it (a kick under a rule snare unless the net is sure of
 *    it, NET_KICK_UNDER_SNARE, or grows sure of it within NET_MERGE_S; a snare over a rule kick where the kit's
 *    snares come apart from its kicks, unless the net is sure of it, NET_SNARE_OVER_KICK);
 *  - as a kick, needs the low band to rise (NET_KICK_MIN_LOW, less for a sure kick: NET_SURE_KICK_MIN_LOW; it may
 *    wait NET_KICK_LOW_WAIT_HOPS longer for that) and no one-hop spike over a falling low band (NET_KICK_SPIKE_LOW);
 *  - as a snare, no more wires than a snare brings (NET_SNARE_MAX_WIRES, on one of its first two hops) and an
 *    activation that outlasts one hop unless the low band stays quiet (NET_SPIKE_SNARE_MAX_LOW; a snare it is sure
 *    of fires then: NET_SURE_SNARE_HOLD_HOPS).
 * A net kick needs no beater click: trained on synthesised bass stabs too (tools/drumnet/bassVoices.ts), the net no
 * longer takes them for kicks (the demo track's off-beat stabs: median activation 0.95 → 0.01, kick events 152 → 96
 * of 96 without the click gate), and the gate cost the click-less machine kicks.
 * The other way round, the net vetoes some of the rules' events (netVetoes.ts NetVetoes): it drops a rule event it
 * hears nothing of or hears as the other drum, and, where no kick it heard came for NET_NO_KICKS_S, one it does not
 * hear as that drum.
 * A clap or snare struck with a kick that both miss (the rules take it for the kick's click, the net reads it under its
 * threshold) is read off the net's snare activation held over two hops at the kick event, where the kick before read
 * none, in a groove of kicks whose snares come with them (snareGroove.ts KickClaps, ON_KICK_SNARE); and a net snare
 * of 0.5 or more fires where the last snares say one comes (eventGrid.ts, NET_EXPECTED_SNARE). A net kick of 0.5 or
 * more over too little low band for its own pick fires where it crossed an interval back that the last kicks span
 * (kickGroove.ts ExpectedKicks, EXPECTED_KICK).
 * Every snare event's tail is read TAIL_HOPS after its onset (snareTail.ts). After one that darkened like a plucked
 * string's, a snare event, the rules' or the net's, that comes SNARE_TAIL_AFTER_S or more after the newest whose tail
 * was a drum's waits for its own and is dropped where that darkened too: both take a pluck's noisy attack for a snare.
 * Any snare event whose burst was gone 10–20 ms on is a kick's beater click, and fires nothing (clickTail.ts).
 */
import { ActivationPicker } from './drumNet.js';
import type { FeatureEvent } from './types.js';
import {
  NET_KICK_ACTIVATION,
  NET_SNARE_ACTIVATION,
  NET_APART,
  NET_SNARE_MAX_WIRES,
  NET_KICK_MIN_LOW,
  NET_SURE_KICK_MIN_LOW,
  NET_KICK_SPIKE_LOW,
  NET_TRUST_S,
  NET_SNARE_OVER_KICK,
  NET_PERSIST,
  NET_SPIKE_SNARE_MAX_LOW,
  NET_KICK_LOW_WAIT_HOPS,
  NET_HOLD_HOPS,
  NET_SURE_KICK_HOLD_HOPS,
  NET_INSTANT_KICK,
  NET_SURE_SNARE_HOLD_HOPS,
  NET_KIT_ON_S,
  NET_KIT_START_SNARE,
  NET_KIT_START_MAX_LOW,
  NET_KIT_START_KICK_HOPS,
  NET_KIT_START_KICK,
  NET_KIT_START_KICK_LOW,
  NET_MERGE_S,
  SNARE_TAIL_AFTER_S,
  SNARE_PLUCK_MEMORY_S,
  NET_EXPECTED_SNARE,
  EXPECTED_MAX_KICK,
  EXPECTED_MAX_LOW,
  NET_RISEN_SNARE_MAX_LOW,
  EXPECTED_SNARES,
} from './drumMergeThresholds.js';
import { ExpectedKicks } from './kickGroove.js';
import { EventGrid } from './eventGrid.js';
import { KickClaps } from './snareGroove.js';
import { NetVetoes } from './netVetoes.js';
import type { NetHop, RuleHop, SnareTailReader } from './drumHop.js';
import { TAIL_DRUM, TAIL_HOPS, TAIL_PLUCKED } from './snareTail.js';
import type { ClickReader } from './clickTail.js';

export class DrumMerge {
  lastKickHop = -1e9;
  lastSnareHop = -1e9;
  lastThumpHop = -1e9;
  private lastHatsHop = -1e9;
  private readonly pick: { kick: ActivationPicker; snare: ActivationPicker };
  /** Picks the net's snare activation at NET_EXPECTED_SNARE: a snare where the groove's own snares say one comes. */
  private readonly pickExpected: ActivationPicker;
  /** The newest snare events, and where they put the next. */
  private readonly grid: EventGrid;
  /** Claps struck with kicks that the rules and the net's picker miss. */
  private readonly claps: KickClaps;
  /** Kicks the newest kick events say come, which the net reads under its threshold or over too little low band. */
  private readonly expectedKicks: ExpectedKicks;
  /** The net's vetoes of the rules' events, and its activations of the hops before. */
  private readonly vetoes: NetVetoes;
  /** The waiting net snare was picked below NET_SNARE_ACTIVATION because the grid expected it (NET_EXPECTED_SNARE). */
  private expectedPending = false;
  /** Whether the snare whose tail is to be read was an expected one. */
  private tailExpected = false;
  /**
   * The newest snare event other than an expected one: whether a kit plays, for the expected snares (their own would
   * keep them going through a drumless stretch, on a breakdown's chord stabs on two and four).
   */
  private lastKitSnareHop = -1e9;
  private readonly kitOnHops: number;
  private readonly mergeHops: number;
  /** Hop of the net's kick / snare waiting for the rules, −1e9 when none waits. */
  private pendingKick = -1e9;
  private pendingSnare = -1e9;
  /**
   * While the net's kick waits: the low band's flux on its hop and its highest since, whether it rose to that again,
   * whether the activation spiked, whether it was sure enough to stand under a rule snare.
   */
  private lowAtFire = 0;
  /** The waiting net snare came with no kit playing: it must start one (NET_KIT_START_SNARE). */
  private snareKitOff = false;
  private lowMax = 0;
  /** Whether the net's kick activation stayed at NET_PERSIST or more on every hop since it fired. */
  private persists = true;
  private rises = false;
  private spike = false;
  private sure = false;
  /** Whether the waiting net kick fires on its own hop (NET_INSTANT_KICK). */
  private instant = false;
  /** Whether a rule snare came within NET_MERGE_S of the waiting net kick. */
  private underSnare = false;
  /** Whether the waiting net snare was sure enough to stand over a rule kick and to wait less (NET_SNARE_OVER_KICK). */
  private sureSnare = false;
  /** The waiting net snare's wires (flux above 6 kHz over that at 1–6 kHz) on the hop it fired. */
  private wiresAtPick = 0;
  /** The low band's normalised flux on the hop the waiting net snare was picked. */
  private lowAtSnarePick = 0;
  /** The net's snare activation on the hop before the waiting net snare was picked. */
  private snareBeforePick = 0;
  /** Hop of the newest unsure net kick crossing held back or dropped under a rule snare (see lateSure in step). */
  private blockedKickHop = -1e9;
  /** Onset hop of the newest snare event whose tail is still to be read (SnareTail), −1e9 when none. */
  private tailSnareHop = -1e9;
  /** Whether that event waits for its tail (SNARE_TAIL_AFTER_S) rather than having fired. */
  private tailHeld = false;
  /**
   * Whether a snare tail darkened like a plucked string's (TAIL_PLUCKED) since the newest that read as a drum's
   * (TAIL_DRUM).
   */
  private plucked = false;
  /** Onset hop of the newest snare event whose tail read as a drum's. */
  private noisySnareHop = -1e9;
  /** Onset hop of the newest snare event whose tail darkened like a plucked string's. */
  private pluckedHop = -1e9;
  private readonly tailAfterHops: number;
  private readonly pluckMemoryHops: number;

  /**
   * `netActive`: whether the net runs (without weights its activations are 0 and veto nothing); `tail`: the reader
   * of a snare's tail (none: no snare waits for it); `click`: the reader of a kick's click (none: no snare is one).
   */
  constructor(
    hopRateHz: number,
    minIoiHops: number,
    private readonly netActive: boolean,
    private readonly tail: SnareTailReader | null = null,
    private readonly click: ClickReader | null = null,
  ) {
    this.tailAfterHops = Math.round(SNARE_TAIL_AFTER_S * hopRateHz);
    this.pluckMemoryHops = Math.round(SNARE_PLUCK_MEMORY_S * hopRateHz);
    this.kitOnHops = Math.round(NET_KIT_ON_S * hopRateHz);
    this.mergeHops = Math.round(NET_MERGE_S * hopRateHz);
    this.vetoes = new NetVetoes(hopRateHz, netActive);
    this.pick = { kick: new ActivationPicker(NET_KICK_ACTIVATION, minIoiHops), snare: new ActivationPicker(NET_SNARE_ACTIVATION, minIoiHops) };
    this.pickExpected = new ActivationPicker(NET_EXPECTED_SNARE, minIoiHops);
    this.grid = new EventGrid(hopRateHz, EXPECTED_SNARES);
    this.claps = new KickClaps(this.mergeHops, Math.round(NET_TRUST_S * hopRateHz));
    this.expectedKicks = new ExpectedKicks(hopRateHz);
  }

  /** A hats event at `hop` (a kit is playing). */
  hatsAt(hop: number): void {
    this.lastHatsHop = hop;
  }

  /** One hop: appends the merged kick and snare events. */
  step(r: RuleHop, n: NetHop, events: FeatureEvent[]): void {
    const hop = r.hop;
    const vetoes = this.vetoes;
    vetoes.step(r, n, this.plucked, this.grid.newest(1));
    const { ruleKick, ruleSnare } = vetoes;
    // Where the net is sure of a kick on this hop (NET_KICK_UNDER_SNARE).
    const sureKick = vetoes.sureKickHop === hop;
    const netKick = this.pick.kick.push(n.netKick, r.ok);
    const netSnare = this.pick.snare.push(n.netSnare, r.ok);
    const netExpected = this.pickExpected.push(n.netSnare, r.ok);
    const kitOn = hop - Math.max(this.lastHatsHop, this.lastSnareHop, r.ruleSnareHop) <= this.kitOnHops;
    const apart = n.snareWithKick < NET_APART;
    // A rule event takes the waiting net event's place: of the same drum always; a rule snare drops a net kick too
    // unless the net was sure of it, and a rule kick a net snare where this kit's snares come apart from its kicks.
    const snareOverKick = vetoes.snareOverKickHop === hop;
    // A net kick an unsure rule snare drops may still grow sure of itself (lateSure below), as may one held back under
    // a rule snare on its first hop.
    if (!ruleKick && snareOverKick && !this.sure && this.pendingKick >= 0) this.blockedKickHop = this.pendingKick;
    if (ruleKick || (snareOverKick && !this.sure)) this.pendingKick = -1e9;
    if (ruleSnare || (ruleKick && apart && !this.sureSnare)) this.pendingSnare = -1e9;
    // A second rise of the activation while a kick waits is the same hit's body after its attack (808 kicks: 0.77,
    // 0.23, 0.92, 0.97 over four hops, the low band rising only under the second): the wait starts again from it,
    // which the picker's least interval would forbid (corpus 808 DnB on MuseScore kick F 0.88 → 0.90).
    const rePick = this.pendingKick >= 0 && this.pendingKick < hop && this.pick.kick.crossed;
    // A kick the net crossed its threshold for under a rule snare, or that a rule snare dropped while it waited, unsure
    // then, and that it grows sure of within the merge window of that crossing counts as picked there: it would have
    // passed had it been sure on its first hop (OPL-3's FM kick, whose click the rules read as a snare: 0.63 then 0.93;
    // fourth kept-apart set's OPL-3 swing kick F 0.55 → 0.63, nothing else changed).
    const underNow = hop - vetoes.snareOverKickHop <= this.mergeHops;
    const lateSure = this.blockedKickHop >= 0 && hop - this.blockedKickHop <= this.mergeHops && sureKick && this.pendingKick < 0;
    if (netKick && underNow && !sureKick) this.blockedKickHop = hop;
    if ((netKick || rePick || lateSure) && kitOn && this.fresh(hop, this.lastKickHop) && (!underNow || sureKick)) {
      this.pendingKick = hop;
      this.blockedKickHop = -1e9;
      this.sure = sureKick;
      this.underSnare = underNow;
      this.instant = n.netKick >= NET_INSTANT_KICK && n.lowNorm >= NET_SURE_KICK_MIN_LOW && !this.underSnare;
      this.lowAtFire = n.lowNorm;
      this.lowMax = 0;
      this.persists = true;
      this.rises = false;
      this.spike = false;
    }
    const wires = n.click > 0 ? n.hats / n.click : 1e9;
    const sureSnare = n.netSnare >= NET_SNARE_OVER_KICK;
    const snareOk = !apart || hop - r.ruleKickHop > this.mergeHops || sureSnare;
    // A held snare blocks the next until its tail is read (at hop rates under 50 Hz the merge window is shorter than
    // TAIL_HOPS, and a new event would take the held one's place unread).
    const heldUntil = this.tailHeld ? this.tailSnareHop + Math.max(0, TAIL_HOPS - this.mergeHops) : -1e9;
    const lastSnare = Math.max(this.lastSnareHop, heldUntil);
    if (netSnare && (kitOn || this.startsKit(n, hop)) && this.fresh(hop, lastSnare) && snareOk) {
      this.pickSnare(hop, n, wires, sureSnare, !kitOn, false);
    } else if (
      netExpected && hop - Math.max(this.lastHatsHop, this.lastKitSnareHop, r.ruleSnareHop) <= this.kitOnHops &&
      this.pendingSnare < 0 && this.fresh(hop, lastSnare) && this.fresh(hop, this.lastKickHop) &&
      this.grid.expects(hop)
    ) {
      // Below the net's threshold where the groove's own snares say one comes: a kit the net reads less surely
      // (OPL-3's FM snare peaks at 0.5–0.89 on half its hits, and nothing else in that song reaches 0.5). A kick's
      // click reads so too, a hop before its low band rises: any kick while it waits drops it, and so does the net
      // hearing one (EXPECTED_MAX_KICK) or the low band rising (EXPECTED_MAX_LOW).
      this.pickSnare(hop, n, wires, false, false, true);
    }
    if (this.expectedPending && this.pendingSnare >= 0) {
      const kickUnder =
        ruleKick || this.pendingKick >= 0 || n.netKick >= EXPECTED_MAX_KICK || n.lowNorm >= EXPECTED_MAX_LOW;
      if (kickUnder) this.pendingSnare = -1e9;
    }
    if (this.pendingKick >= 0) {
      if (snareOverKick) this.underSnare = true;
      // A kick the net grows sure of while it waits counts as sure from then on (808 kicks rising 0.56, 0.75, 0.93
      // over a low band that rises little: corpus kick targets 42 → 43 of 50, lo-fi pop 0.94 → 0.96, 808 DnB on
      // MuseScore 0.90 → 0.92 with the second rise above).
      if (this.pendingKick < hop && sureKick) this.sure = true;
      this.lowMax = Math.max(this.lowMax, n.lowNorm);
      if (n.netKick < NET_PERSIST) this.persists = false;
      if (this.pendingKick < hop && n.lowNorm >= this.lowAtFire) this.rises = true;
      if (this.pendingKick === hop - 1 && n.netKick < NET_PERSIST) this.spike = true;
    }
    const kickHold = this.instant ? 0 : this.sure ? NET_SURE_KICK_HOLD_HOPS : NET_HOLD_HOPS;
    let kickDue = false;
    // With no kit playing, a kick the net is sure of on two hops in a row, whose low band has risen, fires there
    // (NET_KIT_START_KICK); it does not start a kit for the net's later events, as a snare does.
    const startsKick = !kitOn && vetoes.prevNetKick >= NET_KIT_START_KICK && n.netKick >= NET_KIT_START_KICK && n.lowNorm >= NET_KIT_START_KICK_LOW && this.fresh(hop, this.lastKickHop);
    if (this.pendingKick >= 0 && hop - this.pendingKick >= kickHold) {
      const leak = this.spike && !this.rises && this.lowAtFire < NET_KICK_SPIKE_LOW;
      const lowOk = this.lowMax >= (this.sure && !this.underSnare ? NET_SURE_KICK_MIN_LOW : NET_KICK_MIN_LOW);
      // Under a rule snare only while the net's kick activation holds: a booming snare's body raises the low band
      // late too, and the net's kick reading of it fades after a hop or two (a synthesised waltz kit's snares).
      const lowWaitHops = this.underSnare && !this.persists ? 0 : NET_KICK_LOW_WAIT_HOPS;
      if (leak || (!lowOk && hop - this.pendingKick >= kickHold + lowWaitHops)) this.pendingKick = -1e9;
      else kickDue = lowOk;
    }
    // A snare keeps the activation up for the hops the net was trained to mark (0–30 ms after the onset); a spike of one
    // hop is a kick's click or an open hat's or a chord's attack (corpus lo-fi house: three such snares at 0.92–0.98,
    // then ≤ 0.01; snare targets met 36 → 38 of 50), unless the low band stays quiet under it (NET_SPIKE_SNARE_MAX_LOW).
    // Not for kicks: a drum machine's short kick reads so too (kick targets 37 → 32).
    // A ride rings above 6 kHz on both hops; a jazz kit's snare may on its first alone, its cymbal struck with it (third
    // kept-apart set's swing on MuseScore Lite snare F 0.81 → 0.84, corpus swing on FluidR3 0.95 → 0.96, nothing lost).
    if (this.pendingSnare === hop - 1) {
      // Up on the hop before its pick too, it held over two hops: no spike (NET_RISEN_SNARE_MAX_LOW).
      const low = Math.max(n.lowNorm, this.lowAtSnarePick);
      const risen = this.snareBeforePick >= NET_PERSIST && low < NET_RISEN_SNARE_MAX_LOW;
      const spike = !risen && n.netSnare < NET_PERSIST && low >= NET_SPIKE_SNARE_MAX_LOW;
      if ((this.snareKitOff ? !this.startsKit(n, hop) : spike) || Math.min(wires, this.wiresAtPick) >= NET_SNARE_MAX_WIRES) this.pendingSnare = -1e9;
    }
    if ((ruleKick && this.fresh(hop, this.lastKickHop)) || kickDue || startsKick) this.kick(hop, events);
    if (r.ruleThumpHop === hop) this.lastThumpHop = hop;
    const ruleNow = ruleSnare && this.fresh(hop, lastSnare);
    // An expected snare waits as long as a sure one: it picks lower on the activation's rise, and two hops put it
    // past the ±50 ms of its onset at times (the second set's Zeppelin ramp: 53 ms late, snare F 0.95 → 0.94).
    const snareHold = this.sureSnare || this.expectedPending ? NET_SURE_SNARE_HOLD_HOPS : NET_HOLD_HOPS;
    if (ruleNow || due(hop, this.pendingSnare, snareHold)) {
      // The tail is read TAIL_HOPS after the onset: the rules' hop, or the hop the net's snare was picked on.
      const onsetHop = ruleNow ? hop : this.pendingSnare;
      const expected = !ruleNow && this.expectedPending;
      this.pendingSnare = -1e9;
      // A kick's click read as a snare (clickTail.ts) fires nothing, and its tail is not read (a held snare has
      // passed this test when it was held).
      if (!this.click?.clickOnly()) {
        // A pluck's mark lasts SNARE_PLUCK_MEMORY_S: a groove of claps whose tails read between the marks, after a
        // pluck, waits no longer than that.
        if (hop - this.pluckedHop > this.pluckMemoryHops) this.plucked = false;
        this.tailHeld = this.plucked && hop - this.noisySnareHop > this.tailAfterHops;
        if (!this.tailHeld) this.snare(hop, events, onsetHop, expected ? 'expected' : 'kit');
        if (this.tail) {
          this.tailSnareHop = onsetHop;
          this.tailExpected = expected;
        }
      }
    }
    if (this.tailSnareHop >= 0 && hop - this.tailSnareHop >= TAIL_HOPS) {
      const darkening = this.tail!.darkening();
      const drum = darkening >= TAIL_DRUM;
      // A tail between the two marks keeps the flag as it was: a club clap's bursts read 0.50–0.55 in a groove.
      if (darkening < TAIL_PLUCKED) {
        this.plucked = true;
        this.pluckedHop = this.tailSnareHop;
      } else if (drum) {
        this.plucked = false;
        this.noisySnareHop = this.tailSnareHop;
      }
      if (this.tailHeld && drum) this.snare(hop, events, this.tailSnareHop, this.tailExpected ? 'expected' : 'kit');
      this.tailSnareHop = -1e9;
      this.tailHeld = false;
    }
    // Not after a plucked tail, and with no tail read: the kick's decaying body under it reads as a pluck's (an FM
    // kit's claps on the kick, their tails read on the kick's hop, marked every later snare plucked: snare F 0.71
    // after its first bar, test/analysis/fmDrums). The fourth kept-apart set's modal EDM drop, whose pluck chords
    // mark its first bars, gains 0.72 → 0.81 rather than 0.84.
    const free = this.netActive && this.pendingSnare < 0 && !this.tailHeld;
    if (this.claps.step(hop, n.netSnare, vetoes.prevNetSnare, this.lastKickHop, free)) {
      if (hop - this.pluckedHop > this.pluckMemoryHops) this.plucked = false;
      const ok = !this.plucked && this.fresh(hop, this.lastSnareHop);
      if (ok && !this.click?.clickOnly()) this.snare(hop, events, hop, 'clap');
    }
    // After every other event of the hop: a snare there or on the hop before drops it (kickGroove.ts), and so does one
    // that waits to fire (a net snare's hold, a tail to read): a booming snare's low end reads as such a kick too.
    const kickFree = r.ok && this.fresh(hop, this.lastKickHop);
    const snareHop = Math.max(this.lastSnareHop, this.pendingSnare, this.tailHeld ? this.tailSnareHop : -1e9);
    if (this.expectedKicks.step(hop, n.netKick, n.lowNorm, n.lowJump, snareHop, kickFree)) this.kick(hop, events);
    vetoes.endHop(n);
  }

  /**
   * A snare the net is sure of on this hop, with no kick under it or with a kick it is sure of too (this hop or the two
   * before): one on two hops in a row starts a kit (NET_KIT_START_SNARE).
   */
  private startsKit(n: NetHop, hop: number): boolean {
    return n.netSnare >= NET_KIT_START_SNARE && (n.lowNorm < NET_KIT_START_MAX_LOW || hop - this.vetoes.sureKickHop <= NET_KIT_START_KICK_HOPS);
  }

  /** A net snare starts waiting at `hop`: what its later tests read of the pick. */
  private pickSnare(hop: number, n: NetHop, wires: number, sure: boolean, kitOff: boolean, expected: boolean): void {
    this.pendingSnare = hop;
    this.sureSnare = sure;
    this.wiresAtPick = wires;
    this.lowAtSnarePick = n.lowNorm;
    this.snareBeforePick = this.vetoes.prevNetSnare;
    this.snareKitOff = kitOff;
    this.expectedPending = expected;
  }

  /**
   * A snare event at `hop` whose onset was at `onsetHop` (the grid counts intervals between onsets, as it compares
   * them with the hop the activation crosses on); `kind`: an expected one (NET_EXPECTED_SNARE), a clap KickClaps
   * fired, or any other.
   */
  private snare(hop: number, events: FeatureEvent[], onsetHop = hop, kind: 'kit' | 'expected' | 'clap' = 'kit'): void {
    events.push('snare');
    this.grid.push(onsetHop);
    this.claps.snare(hop, kind === 'clap');
    if (kind !== 'expected') this.lastKitSnareHop = hop;
    this.lastSnareHop = hop;
  }

  /** A kick event at `hop`: a waiting net kick is then no longer wanted. */
  private kick(hop: number, events: FeatureEvent[]): void {
    this.pendingKick = -1e9;
    events.push('kick');
    this.claps.kick(hop);
    this.expectedKicks.kick(hop);
    this.lastKickHop = hop;
    this.vetoes.kicked(hop);
    this.lastThumpHop = hop;
  }

  /** No event of the drum whose newest is at `last` within NET_MERGE_S before `hop`. */
  private fresh(hop: number, last: number): boolean {
    return hop - last > this.mergeHops;
  }
}

/** A net event waiting since `pending` (−1e9: none) has waited `holdHops` by `hop`. */
function due(hop: number, pending: number, holdHops: number): boolean {
  return pending >= 0 && hop - pending >= holdHops;
}
