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
  silent: boolean;
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
  /** Hops of the last KICK_PULSE_KICKS kick events (a ring, at kickCount modulo its length). */
  private readonly kickHops = new Float64Array(KICK_PULSE_KICKS).fill(-1e9);
  private kickCount = 0;
  /** Hop of the last kick event that completed a four-on-the-floor pulse (see KICK_PULSE_KICKS). */
  private lastKickPulseN = -1e9;
  /** Hops of silence without a break. */
  private silentHops = 0;

  constructor(private readonly hopRateHz: number) {}

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
    if (cue.kickEvent === true && !this.everKnown) this.kick(n);
    this.silentHops = cue.silent ? this.silentHops + 1 : 0;
    const memory = RHYTHM_MEMORY_S * this.hopRateHz;
    const cymbalMemory = CYMBAL_MEMORY_S * this.hopRateHz;
    const cymbal = this.everKnown || n - this.lastCymbalN < cymbalMemory || n - this.lastKickPulseN < cymbalMemory;
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

  /** A kick event at hop `n`: does it complete a four-on-the-floor pulse with the ones before? */
  private kick(n: number): void {
    const hops = this.kickHops;
    const count = hops.length;
    hops[this.kickCount++ % count] = n;
    const oldest = hops[this.kickCount % count]!;
    const mean = (n - oldest) / (count - 1);
    const bpm = (60 * this.hopRateHz) / mean;
    if (!(bpm >= KICK_PULSE_BPM[0] && bpm <= KICK_PULSE_BPM[1])) return;
    for (let i = 1; i < count; i++) {
      const gap = hops[(this.kickCount + i) % count]! - hops[(this.kickCount + i - 1) % count]!;
      if (Math.abs(gap - mean) > KICK_PULSE_TOL * mean) return;
    }
    this.lastKickPulseN = n;
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
