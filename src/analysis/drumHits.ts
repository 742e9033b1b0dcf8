/**
 * Drum hits as rhythmic evidence, for the tempo tracker (tempo.ts): a drum hit within RHYTHM_MEMORY_S that follows
 * another within as long (one alone is no rhythm: a start-up transient, a crash) or lands on a beat of the tempo known
 * before (drums back after a breakdown); until a groove is first known, a cymbal heard too (see CYMBAL_MEMORY_S).
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
const CYMBAL_HIT = 0.15;
/** How long (s) rhythmic evidence keeps the tempo known (two bars at 60 BPM would be 8 s; two at 120, 4 s). */
const RHYTHM_MEMORY_S = 3;

/** What the drum hits read of each hop (absent envelopes count as a hit on every hop). */
export interface DrumHitsCue {
  /** Strongest drum envelope of the hop (kick, snare, hats), 0..1. */
  drums?: number;
  /** Hats envelope (hats, ride, cymbals), 0..1. */
  hats?: number;
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
    this.silentHops = cue.silent ? this.silentHops + 1 : 0;
    const memory = RHYTHM_MEMORY_S * this.hopRateHz;
    const cymbal = this.everKnown || n - this.lastCymbalN < CYMBAL_MEMORY_S * this.hopRateHz;
    return cymbal && n - this.lastDrumN < memory && (this.lastDrumN - this.prevDrumN < memory || this.lastHitOnBeat);
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
