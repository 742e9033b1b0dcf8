/**
 * The metrical level's lock, for the tempo tracker (tempo.ts): drums heard this long (LEVEL_LOCK_S, without a lapse)
 * at the current period lock its level: from then on the period does not halve or double, through drumless passages
 * too, until drums return after a lapse and play this long again (the next track may be at another level).
 */

/** Seconds of rhythmic evidence that lock the level. */
export const LEVEL_LOCK_S = 4;
/**
 * A lapse of the evidence up to this long (s) is no lapse for the lock. When the beat grid moves under drums (an
 * intro's off-beat hats read on the beat until the kick enters on it), the beat phase's salience dips under its
 * threshold for a few hops (0.16 s in a half-time DnB song): the same groove, whose level must hold (a half-time
 * groove's kick and snare make the half tempo win the autocorrelation as soon as the lock lets go). A breakdown, or
 * the gap between two tracks, lasts bars.
 */
export const LEVEL_LAPSE_S = 1;

export class LevelLock {
  /** The level is locked: the period neither halves nor doubles. */
  locked = false;
  /** The evidence returned after a lapse and no cymbal has been heard with it yet: the lock waits for one. */
  private returning = false;
  /** Hops of evidence since the last lapse longer than LEVEL_LAPSE_S, and hops since the evidence was last heard. */
  private heldHops = 0;
  private lapseHops = 0;
  private readonly lockHops: number;
  private readonly lapseMaxHops: number;

  constructor(hopRateHz: number) {
    this.lockHops = LEVEL_LOCK_S * hopRateHz;
    this.lapseMaxHops = LEVEL_LAPSE_S * hopRateHz;
  }

  /**
   * The period moved to another level. Before the lock, the evidence heard so far was at the old level and counts
   * for nothing at the new one; a locked level moves only up, when the drums hit on every beat of the faster one
   * (tempo.ts), and stays locked there.
   */
  restart(): void {
    if (!this.locked) this.heldHops = 0;
  }

  /**
   * One hop: rhythmic evidence now or not, and whether a cymbal is heard with it (absent: always). Returns whether the
   * level is locked.
   */
  step(evidence: boolean, cymbal = true): boolean {
    if (!evidence) {
      if (++this.lapseHops > this.lapseMaxHops) this.heldHops = 0;
      return this.locked;
    }
    this.lapseHops = 0;
    // Drums returning after a lapse may be at another level (the next track): the lock waits for them again. Only
    // drums with a cymbal open it: the kick and snare envelopes also rise on a breakdown's struck chords (a lo-fi
    // house break's brass stabs, which the bar-long chords would otherwise pull to half the tempo).
    if (++this.heldHops === 1) this.returning = true;
    if (this.returning && cymbal) {
      this.locked = false;
      this.returning = false;
    }
    if (this.heldHops >= this.lockHops) {
      this.locked = true;
      this.returning = false;
    }
    return this.locked;
  }
}
