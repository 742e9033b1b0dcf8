/**
 * Drum hits as rhythmic evidence, for the tempo tracker (tempo.ts): a drum hit within RHYTHM_MEMORY_S that follows
 * another within as long (one alone is no rhythm: a start-up transient, a crash) or lands on a beat of the tempo known
 * before (drums back after a breakdown); until a groove is first known, a cymbal or a four-on-the-floor kick pulse
 * heard too (see CYMBAL_MEMORY_S, KICK_PULSE_KICKS).
 * The tracker adds a confident tempo and a salient beat phase to make it a tempo that is known.
 */

/** A drum envelope rising above this is a drum hit; two within RHYTHM_MEMORY_S are rhythmic evidence. */
const DRUM_EVIDENCE = 0.5;
/** A lone drum hit this close (beats) to a beat of a tempo known before is rhythmic evidence. */
const ON_BEAT = 0.1;
/**
 * Before a groove has first been known, a hats hit (the hats envelope rising over CYMBAL_HIT) within this long (s)
 * is part of the rhythmic evidence. Kick and snare envelopes rise on bass plucks and struck chords too (a drumless
 * intro's bass on every half bar reads as a steady kick pulse at half the song's tempo), while hats, rides and
 * cymbals are noise that pitched instruments seldom make; every groove of ours keeps time on one of them. Once known,
 * kicks and snares alone keep it (a breakdown to kick and bass).
 */
const CYMBAL_MEMORY_S = 4;
/**
 * The hats envelope over this is a cymbal hit: drumless intros and ambient music in our corpus peak at 0.10 in it
 * (bright piano attacks), while every second of drums has a hit over 0.17 in nine songs of ten (a room kit's or a
 * jazz kit's ride included).
 */
export const CYMBAL_HIT = 0.15;
/**
 * … or this many kick events in a row (the drum detector's, which passed its kick-shape tests: beater click, low
 * jump, no bass note's harmonics), evenly spaced (each gap within KICK_PULSE_TOL of their mean) at every beat of a
 * tempo in KICK_PULSE_BPM: a techno or house intro's kick alone, with no cymbal yet. Bass plucks that pass as kicks
 * land on the bar or half bar (corpus: drumless intros of swing at 136 and pop at 142 BPM, 71–77 kick and snare
 * events a minute, about one every other beat), or follow the bass line's rhythm, seldom evenly on every beat four
 * times in a row.
 */
const KICK_PULSE_KICKS = 4;
const KICK_PULSE_TOL = 0.06;
const KICK_PULSE_BPM: readonly [number, number] = [95, 160];
/**
 * … or this many drum events in a row (the detector's merged kicks and snares, the learned net's included), evenly
 * spaced as the kick pulse's: a waltz's kick and two snares, a backbeat's kick and snare, whose hats the kick and
 * snare mask (a room kit under compression: its hats envelope peaks at 0.09–0.13, under CYMBAL_HIT, for the whole
 * song). The net's events wait up to two hops for the rules (a kick up to two more for its low band), so their gaps are a little less even: 8 % of their
 * mean. Drumless passages get at most two drum events a minute in all but one song of the tuning sets, not a pulse.
 */
const DRUM_PULSE_EVENTS = 5;
const DRUM_PULSE_TOL = 0.08;
/** How long (s) rhythmic evidence keeps the tempo known (two bars at 60 BPM would be 8 s; two at 120, 4 s). */
const RHYTHM_MEMORY_S = 3;

/** What the drum hits read of each hop (absent envelopes count as a hit on every hop). */
export interface DrumHitsCue {
  /** Strongest drum envelope of the hop (kick, snare, hats), 0..1. */
  drums?: number;
  /** Hats envelope (hats, ride, cymbals), 0..1. */
  hats?: number;
  /** A kick event fired this hop (the drum detector's, after its kick-shape tests). Absent: none. */
  kickEvent?: boolean;
  /** A kick or a snare event fired this hop (the detector's merged events, see drumMerge.ts). Absent: none. */
  drumEvent?: boolean;
  silent: boolean;
}

/** Event hops that fall evenly on every beat of a tempo in KICK_PULSE_BPM, `count` in a row, within `tol` of their mean gap. */
class EvenPulse {
  private readonly hops: Float64Array;
  private count = 0;
  /** Hop of the last event that completed a pulse. */
  lastPulseN = -1e9;

  constructor(size: number, private readonly tol: number, private readonly hopRateHz: number) {
    this.hops = new Float64Array(size).fill(-1e9);
  }

  push(n: number): void {
    const hops = this.hops;
    const size = hops.length;
    hops[this.count++ % size] = n;
    const oldest = hops[this.count % size]!;
    const mean = (n - oldest) / (size - 1);
    const bpm = (60 * this.hopRateHz) / mean;
    if (!(bpm >= KICK_PULSE_BPM[0] && bpm <= KICK_PULSE_BPM[1])) return;
    for (let i = 1; i < size; i++) {
      const gap = hops[(this.count + i) % size]! - hops[(this.count + i - 1) % size]!;
      if (Math.abs(gap - mean) > this.tol * mean) return;
    }
    this.lastPulseN = n;
  }
}

export class DrumHits {
  /** A groove has been known (rhythmic evidence with a confident tempo): set by the tracker. */
  everKnown = false;
  /** Hops of the last two drum hits (rising edges of the drum envelope over DRUM_EVIDENCE). */
  private lastDrumN = -1e9;
  private prevDrumN = -1e9;
  private drumAbove = false;
  /** The last drum hit fell on a beat of a tempo that had been known (the rhythm resumes where it left off). */
  private lastHitOnBeat = false;
  /** Hop of the last hats hit (rising edge over CYMBAL_HIT), and whether the hats envelope is over it now. */
  private lastCymbalN = -1e9;
  private cymbalAbove = false;
  /** The last kick events (see KICK_PULSE_KICKS) and the last drum events (see DRUM_PULSE_EVENTS). */
  private readonly kickPulse: EvenPulse;
  private readonly drumPulse: EvenPulse;
  /** Hops of silence without a break. */
  private silentHops = 0;

  constructor(private readonly hopRateHz: number) {
    this.kickPulse = new EvenPulse(KICK_PULSE_KICKS, KICK_PULSE_TOL, hopRateHz);
    this.drumPulse = new EvenPulse(DRUM_PULSE_EVENTS, DRUM_PULSE_TOL, hopRateHz);
  }

  /** One hop (`n`, the tracker's hop count; `phase`, its beat phase in beats): whether there is rhythmic evidence. */
  step(cue: DrumHitsCue, n: number, phase: number): boolean {
    const above = cue.drums === undefined || cue.drums >= DRUM_EVIDENCE;
    if (above && (!this.drumAbove || cue.drums === undefined)) {
      this.prevDrumN = this.lastDrumN;
      this.lastDrumN = n;
      // The envelope's phase is 0 at its beats (the hit shows in it as late as the beat does).
      this.lastHitOnBeat = this.everKnown && Math.abs(phase - Math.round(phase)) < ON_BEAT;
    }
    this.drumAbove = above;
    const cymbalAbove = cue.hats === undefined || !Number.isFinite(cue.hats) || cue.hats >= CYMBAL_HIT;
    if (cymbalAbove && !this.cymbalAbove) this.lastCymbalN = n;
    if (cue.hats === undefined) this.lastCymbalN = n;
    this.cymbalAbove = cymbalAbove;
    if (cue.kickEvent === true && !this.everKnown) this.kickPulse.push(n);
    if (cue.drumEvent === true && !this.everKnown) this.drumPulse.push(n);
    this.silentHops = cue.silent ? this.silentHops + 1 : 0;
    const memory = RHYTHM_MEMORY_S * this.hopRateHz;
    const cymbalMemory = CYMBAL_MEMORY_S * this.hopRateHz;
    const pulseN = Math.max(this.kickPulse.lastPulseN, this.drumPulse.lastPulseN);
    const cymbal = this.everKnown || n - this.lastCymbalN < cymbalMemory || n - pulseN < cymbalMemory;
    return cymbal && n - this.lastDrumN < memory && (this.lastDrumN - this.prevDrumN < memory || this.lastHitOnBeat);
  }

  /** A cymbal (a hats hit) was heard within CYMBAL_MEMORY_S before hop `n`: drums play, whatever else they do. */
  cymbalHeard(n: number): boolean {
    return n - this.lastCymbalN < CYMBAL_MEMORY_S * this.hopRateHz;
  }

  /** A drum hit (the drum envelope rising over DRUM_EVIDENCE) within `hops` before hop `n`. */
  drumWithin(n: number, hops: number): boolean {
    return n - this.lastDrumN <= hops;
  }

  /** A hats hit within `hops` before hop `n` (the hats play now, not only within CYMBAL_MEMORY_S). */
  cymbalWithin(n: number, hops: number): boolean {
    return n - this.lastCymbalN <= hops;
  }

  /**
   * The music is heard (after `step` of the hop). Silence between hits is part of the groove: a sparse intro falls
   * silent between its hits (its beats, between off-beat hats, would all land in the gaps). Half a beat of it within a
   * beat (`periodHops`) of a drum hit keeps the evidence; music that has stopped (a release fading into silence, long
   * after the last hit) does not.
   */
  heard(silent: boolean, n: number, periodHops: number): boolean {
    return !silent || (this.silentHops <= periodHops / 2 && n - this.lastDrumN <= periodHops);
  }
}
