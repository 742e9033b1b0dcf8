/**
 * The drum envelope's pulse, for the tempo tracker (tempo.ts): how periodic the drums alone are at the current period
 * (a confidence beside the onset envelope's), and where the beat lies against the pulse the tracker measures: on its
 * hits, or half a beat from them (off-beat hats).
 */
import { LeakyAcf } from './leakyAcf.js';
import { acfAt, periodConfidence, type PeriodSearch } from './periodicity.js';

/**
 * The drum envelope's confidence above which it is a tempo too. An intro of off-beat hats under a chord struck every
 * bar reads 0.37–0.57 here but under the onset envelope's threshold (the bar's chord dwarfs the hats in it); drumless
 * intros read at most 0.15 and ambient music 0.06 (the drum envelope barely moves there).
 */
export const DRUM_CONFIDENT = 0.3;
/**
 * Off-beat pulses (see `beatOffset`): beats of the envelope looked back over (fewer at slow tempi, as far as the
 * history reaches), the window (hops) around a pulse or half-beat in which a hit counts, and per beat looked at: the
 * mean largest kick envelope that is an anchor, how far the kicks half a beat away must lead those on the pulse, the
 * kick envelope under which no kick plays at all (a quiet kit's kick reads 0.1–0.15, off-beat hats give 0.01), the
 * drum envelope of a pulse, and the share of it at the half-beat under which the pulse is one hit a beat, not eighths.
 */
const ANCHOR_BEATS = 8;
const ANCHOR_HOPS = 2;
const ANCHOR_MIN = 0.05;
const ANCHOR_OVER = 1.5;
const NO_KICK = 0.04;
const PULSE_MIN = 0.25;
const LONE_PULSE = 0.3;
/**
 * Weight of the low-band onset (kicks and bass notes) as an anchor beside the kick envelope: bass notes land on beats
 * too (the demo intro's bar-long notes under eighth hats accented off the beat), and a kick's low band is a kick.
 */
const LOW_ANCHOR = 1;
/**
 * A lone pulse has a hit on every beat: its weakest beat at least this share of its strongest (hat velocities and the
 * hats' leak vary it: 0.53 at worst in our DnB intros). A pulse that hits every other beat is a tempo read at double
 * speed, whose off-beats are no beats either.
 */
const EVERY_BEAT = 0.3;
/**
 * A lone pulse is no snare pattern: its snare envelope peaks under SNARE_HIT at all, or its weakest beat (of those
 * looked at) is at least EVEN_SNARE of its strongest. Hats leak into the snare band alike on every beat (0.52–0.8 in
 * our DnB intros), while a groove without a kick (a snare on 2 and 4 over hats on the beats) accents every other one.
 */
const SNARE_HIT = 0.5;
const EVEN_SNARE = 0.4;

/**
 * Backbeat octave (see `halfPeriod`): the drum envelope's autocorrelation half a period away at least this share of
 * its value at the period, for a period whose half lies in BACKBEAT_BPM. A 60–72 BPM backbeat with eighth hats at
 * half the synth's level reads 0.37–0.44 and keeps its tempo, as one with a kick on every beat does. A swing kit
 * muffled by a mic's EQ (fourth tuning set's OPL-3 swing at 140 through a 7 kHz low-pass) reads 0.41–0.55 and sits at
 * 70 BPM: the same band, and neither its kicks (on every period, as a slow four-on-the-floor's) nor its snare
 * envelope (the FM kick's click reads in it as strongly) told it from the slow grooves.
 */
const BACKBEAT_RATIO = 0.65;
const BACKBEAT_BPM: readonly [number, number] = [90, 150];

/**
 * A pulse of hats alone (see `hatsLed`): the hats envelope at the pulse at least PULSE_MIN and even (EVERY_BEAT),
 * under LONE_PULSE of it half a beat away; no kit: fewer than two kick events within the beats looked at, no snare
 * events on SNARE_EVENTS or more of every other hit (a snare on 2 and 4 fires four in ANCHOR_BEATS), and not both a
 * kick event and snare events on SNARE_SHARE of the hits or more.
 */
const SNARE_EVENTS = 3;
const SNARE_SHARE = 0.5;

/**
 * Off-beat eighth hats (see `offbeatHats`): their hats envelope at the half-beat at least this, on average over the
 * beats looked at. A bit-crushed kit's hats read 0.15–0.19 there (the bigger hits of the kit set the envelope's scale),
 * other kits' 0.3 and more; drumless music peaks at 0.10 in the hats envelope, seldom evenly half a beat from the
 * beat, and the evenness and the empty beats are tested as well (corpus mach-house-lofi tempo share 0.58 at 0.25, 0.86
 * at 0.1).
 */
const OFFBEAT_MIN = 0.1;
/**
 * Beats the off-beat hats are looked for over: four, so that an intro's hats set the level within two seconds of
 * their entry (a drumless intro's harmony, read an octave down, wins the tempo a second after the first drums; corpus
 * mach-house-lofi tempo share 0.86 over eight beats, 0.91 over four).
 */
const OFFBEAT_BEATS = 4;

/**
 * The drum envelope under this on the newest beat's pulse and half-beat is no drum there (see `beatOffset`): drumless
 * passages read 0–0.03 in it between chord attacks, a bit-crushed kit's quiet hats 0.17.
 */
const NO_DRUM = 0.05;

/** What the drum pulse reads of each hop. */
export interface DrumPulseCue {
  /** Strongest drum envelope of the hop (kick, snare, hats), 0..1; absent counts as 0. */
  drums?: number;
  kick: number;
  snare: number;
  /** Low-band onset envelope (kicks and bass notes), 0..1; absent counts as 0. */
  low?: number;
  /** Hats envelope (hats, ride, cymbals), 0..1; absent counts as 0. */
  hats?: number;
  /** The drum detector fired a kick (after its kick-shape tests) or a snare this hop. Absent: none. */
  kickEvent?: boolean;
  snareEvent?: boolean;
}

export class DrumPulse {
  /** The drum envelope's confidence at the period last given to `estimate`, running (0..1). */
  confidence = 0;
  /** The raw drum and snare envelopes, and the anchors. */
  private readonly drumsRaw: Float32Array;
  private readonly kickRaw: Float32Array;
  private readonly snareRaw: Float32Array;
  /** The hats envelope, and 1 where the drum detector fired a snare (rings like the others). */
  private readonly hatsRaw: Float32Array;
  private readonly snareEvents: Float32Array;
  /** Hops of the drum detector's last two kick events. */
  private lastKickEventN = -1e9;
  private prevKickEventN = -1e9;
  /** Leaky autocorrelation of the drum envelope at lag 0 and the candidate periods (all its confidence reads). */
  private readonly pulse: LeakyAcf;
  private n = 0;
  /** The last offset `beatOffset` read (0 or ½). */
  private lastOffset = 0;
  /** The last `ringAround`: its weakest beat's value against its strongest's (0..1), and its strongest's. */
  private aroundEven = 0;
  private aroundHigh = 0;

  /** `historyHops`: how far back the pulse is read; `keep`: the autocorrelation's per-hop leak. */
  constructor(historyHops: number, keep: number, private readonly search: PeriodSearch) {
    this.drumsRaw = new Float32Array(historyHops);
    this.kickRaw = new Float32Array(historyHops);
    this.snareRaw = new Float32Array(historyHops);
    this.hatsRaw = new Float32Array(historyHops);
    this.snareEvents = new Float32Array(historyHops);
    this.pulse = new LeakyAcf(keep, Math.ceil(search.pMax) + 3, Math.max(1, Math.floor(search.pMin)), historyHops);
  }

  push(cue: DrumPulseCue): void {
    const L = this.drumsRaw.length;
    const at = this.n % L;
    const d = cue.drums !== undefined && Number.isFinite(cue.drums) ? cue.drums : 0;
    this.pulse.push(d);
    this.drumsRaw[at] = d;
    const low = cue.low !== undefined && Number.isFinite(cue.low) ? cue.low : 0;
    this.kickRaw[at] = Math.max(Number.isFinite(cue.kick) ? cue.kick : 0, LOW_ANCHOR * low);
    this.snareRaw[at] = Number.isFinite(cue.snare) ? cue.snare : 0;
    this.hatsRaw[at] = cue.hats !== undefined && Number.isFinite(cue.hats) ? cue.hats : 0;
    this.snareEvents[at] = cue.snareEvent === true ? 1 : 0;
    if (cue.kickEvent === true) {
      this.prevKickEventN = this.lastKickEventN;
      this.lastKickEventN = this.n;
    }
    this.n++;
  }

  /** Keeps `share` of the autocorrelation (its past forgotten but for that). */
  forget(share: number): void {
    this.pulse.forget(share);
  }

  /** Updates the running confidence at `periodHops` (one call per tempo estimate). */
  estimate(periodHops: number): void {
    const acf = this.pulse.acf;
    const c = acf[0]! > 1e-9 ? periodConfidence(acf, periodHops, this.search) : 0;
    this.confidence = 0.8 * this.confidence + 0.2 * c;
  }

  /**
   * The period halved when the drums say the beat is twice as fast: the bass, kicks on 1 and 3, snares on 2 and 4 and
   * a swung ride's long-short eighths all repeat every two beats, so the onset envelope (low band heavy) is most
   * periodic at half the tempo, while the drum envelope (strongest of kick, snare and hats, each normalised) hits on
   * every beat alike. Only towards BACKBEAT_BPM, where backbeat grooves live: faster, every-beat drum hits are eighth
   * hats over a slower beat.
   */
  halfPeriod(periodHops: number): number {
    const half = periodHops / 2;
    const bpm = (60 * this.search.hopRateHz) / half;
    const acf = this.pulse.acf;
    if (half < this.pulse.lagMin || bpm < BACKBEAT_BPM[0] || bpm > BACKBEAT_BPM[1] || !(acf[0]! > 1e-9)) return periodHops;
    const atP = acfAt(acf, periodHops);
    return atP > 0 && acfAt(acf, half) >= BACKBEAT_RATIO * atP ? half : periodHops;
  }

  /**
   * Where the beat lies against the envelope's pulse (`phi` hops back, period `p`): 0 on it, ½ between its hits.
   * Kicks and bass notes (the anchors) land on beats; hats as often between them (dance music's off-beat hats), and a
   * lone hat pattern sounds the same on beats and off them. So: anchors half a beat from the pulse, clearly more than
   * on it, or only there, make it an off-beat pulse (an intro's hats with the bar's chord or bass, or the first kicks on
   * the beat); a pulse of one drum hit on every beat with no anchor anywhere and no snare pattern is taken as the
   * off-beat hats that intros in dance music play (hats alone on the beats read half a beat off until a kick or a bass
   * note on the beat); otherwise the pulse is the beat. Read afresh at every measurement, from the last ANCHOR_BEATS beats: when the kicks enter and
   * take over the pulse, the pulse is the beat at once. `hatsAlone`: the tracker reads the phase of the hats alone
   * (noise fills the onset envelope, or no other pulse stands out), so `phi` is theirs.
   */
  beatOffset(phi: number, p: number, hatsAlone = false): number {
    // The newest beat heard no drum on the pulse or half a beat from it (the drums stopped, or paused): it says
    // nothing of the groove, while the beats before it, read without it, would (an intro's hats leaving the window
    // one by one fail the evenness tests): the offset read before stands.
    if (Math.max(this.ringAround(this.drumsRaw, phi, p, 1), this.ringAround(this.drumsRaw, phi + p / 2, p, 1)) < NO_DRUM) return this.lastOffset;
    this.lastOffset = this.readOffset(phi, p, hatsAlone);
    return this.lastOffset;
  }

  private readOffset(phi: number, p: number, hatsAlone: boolean): number {
    const kOn = this.ringAround(this.kickRaw, phi, p);
    const kHalf = this.ringAround(this.kickRaw, phi + p / 2, p);
    if (kHalf > ANCHOR_OVER * kOn + ANCHOR_MIN) return 0.5;
    if (this.hatsLed(phi, p)) return 0.5;
    // Kick envelope on a pulse the hats lead is their leak, not a kick, where no kick event came and more of it lies
    // half a beat away (chord attacks on the beats): a modal kit's off-beat hats leak 0.09–0.18 into it, its plucked
    // chords 0.2–0.35, and reading the leak as a kick put the fourth kept-apart set's EDM intro half a beat off for
    // 3.5 s (beat F 0.89 → 0.99). From the whole onset envelope's pulse the same test cost beats and downbeats in
    // three songs (an OPL-3 EDM intro's beat F 0.92 → 0.87).
    if (kOn >= NO_KICK && !(hatsAlone && this.kickEvents(p) === 0 && kHalf > kOn)) return 0;
    // Anchors, however weak, only half a beat away (the last of them leaving the window).
    if (kHalf >= NO_KICK) return 0.5;
    const dOn = this.ringAround(this.drumsRaw, phi, p);
    if (dOn < PULSE_MIN || this.aroundEven < EVERY_BEAT) return 0;
    const dHalf = this.ringAround(this.drumsRaw, phi + p / 2, p);
    if (dHalf >= LONE_PULSE * dOn) return 0;
    this.ringAround(this.snareRaw, phi, p);
    return this.aroundHigh < SNARE_HIT || this.aroundEven >= EVEN_SNARE ? 0.5 : 0;
  }

  /** Kick events within the beats looked at (ANCHOR_BEATS): 0, 1, or 2 for two or more. */
  private kickEvents(p: number): number {
    const window = ANCHOR_BEATS * p;
    return this.n - 1 - this.prevKickEventN <= window ? 2 : this.n - 1 - this.lastKickEventN <= window ? 1 : 0;
  }

  /**
   * The pulse is hats alone, with no kick anywhere: the kick envelope there is their leak, no anchor. Hats leak into
   * the kick and low bands (an FM kit's hats as much as 0.8 of the kick envelope, a recorded acoustic kit's 0.2, read
   * by a normaliser that has heard no kick yet), so the kick envelope alone cannot tell an intro's off-beat hats from
   * hats over a kick on every beat; the drum detector's kick events, which pass its kick-shape tests, can (none in
   * the off-beat-hats intros of our DnB and EDM songs). An intro's hats alone on every beat sound the same on the beat
   * and off it, and dance music plays them off it (see `beatOffset`); a kickless groove's snare on 2 and 4 fires snare
   * events on every other pulse, and keeps the beat on the pulse.
   */
  private hatsLed(phi: number, p: number): boolean {
    // Kick events within the beats looked at: two are a groove's kick (it fires two or more in ANCHOR_BEATS); a lone
    // one is as likely a false kick on a chord's attack (an FM kit's intro), unless the snare plays too.
    const kicks = this.kickEvents(p);
    if (kicks >= 2) return false;
    const hOn = this.ringAround(this.hatsRaw, phi, p);
    if (hOn < PULSE_MIN || this.aroundEven < EVERY_BEAT) return false;
    if (this.ringAround(this.hatsRaw, phi + p / 2, p) >= LONE_PULSE * hOn) return false;
    // A kit, not hats alone: snare events on every other hit (a kickless groove's 2 and 4), or on half the hits or
    // more beside a kick event (a waltz's 2 and 3, whose kick on 1 the detector fires for now and then). Hats leak
    // into one detector, not both: into the snare band they fire snare events on many hits in a row.
    if (this.everyOther(this.snareEvents, phi, p)) return false;
    return kicks === 0 || this.ringAround(this.snareEvents, phi, p) < SNARE_SHARE;
  }

  /**
   * The hats play off-beat eighths of a beat `beatHops` long whose last beat lies `phi` hops back: even hits (OFFBEAT_MIN,
   * EVERY_BEAT) half a beat from the beats and next to none on them (under LONE_PULSE of those). Read an octave
   * lower, such hats would fall on the second and fourth sixteenths of each beat, a figure grooves seldom play, while
   * dance music's off-beat hats are the commonest of all; eighth hats on and off the beat do not pass (a half-time
   * groove's say nothing of its level here, see hatsPulse.ts).
   */
  offbeatHats(phi: number, beatHops: number): boolean {
    const off = this.ringAround(this.hatsRaw, phi + beatHops / 2, beatHops, OFFBEAT_BEATS);
    if (off < OFFBEAT_MIN || this.aroundEven < EVERY_BEAT) return false;
    return this.ringAround(this.hatsRaw, phi, beatHops, OFFBEAT_BEATS) < LONE_PULSE * off;
  }

  /**
   * The beat period that off-beat eighth hats say on a grid of `periodHops` whose oscillator phase (beats since its
   * last beat, as the envelope sees it) is `phase`: half the period (the hats fall on the second and fourth sixteenths
   * of its beats), the period itself (they fall between its beats), or 0 where they say neither.
   */
  offbeatLevel(periodHops: number, phase: number): number {
    const q = periodHops;
    const phi = (phase - Math.floor(phase)) * q;
    if (q / 2 >= this.search.pMin && this.offbeatHats(phi, q / 2)) return q / 2;
    return this.offbeatHats(phi, q) ? q : 0;
  }

  /**
   * `ring` (0/1 events) has an event within ±ANCHOR_HOPS of at least SNARE_EVENTS of the pulses of one parity and at
   * most one of the other, over the beats looked at: a snare on 2 and 4.
   */
  private everyOther(ring: Float32Array, back: number, p: number): boolean {
    const L = ring.length;
    const newest = this.n - 1;
    const reach = Math.min(L, this.n) - 1;
    const count = [0, 0];
    for (let b = 0; b < ANCHOR_BEATS; b++) {
      const c = Math.round(back + b * p);
      if (c + ANCHOR_HOPS > reach) break;
      for (let i = Math.max(0, c - ANCHOR_HOPS); i <= c + ANCHOR_HOPS; i++) {
        if (ring[(newest - i) % L]! > 0) {
          count[b & 1]!++;
          break;
        }
      }
    }
    return Math.max(count[0]!, count[1]!) >= SNARE_EVENTS && Math.min(count[0]!, count[1]!) <= 1;
  }


  /** Largest of `ring` within ±ANCHOR_HOPS of `back` hops before the newest, and of each beat before (`beatsMax` in all), averaged. */
  private ringAround(ring: Float32Array, back: number, p: number, beatsMax = ANCHOR_BEATS): number {
    const L = ring.length;
    const newest = this.n - 1;
    const reach = Math.min(L, this.n) - 1;
    let sum = 0;
    let beats = 0;
    let lo = Infinity;
    let hi = 0;
    for (let b = 0; b < beatsMax; b++) {
      const c = Math.round(back + b * p);
      if (c + ANCHOR_HOPS > reach) break;
      let m = 0;
      for (let i = Math.max(0, c - ANCHOR_HOPS); i <= c + ANCHOR_HOPS; i++) m = Math.max(m, ring[(newest - i) % L]!);
      sum += m;
      beats++;
      if (m < lo) lo = m;
      if (m > hi) hi = m;
    }
    this.aroundEven = hi > 0 ? lo / hi : 0;
    this.aroundHigh = hi;
    return beats ? sum / beats : 0;
  }
}
