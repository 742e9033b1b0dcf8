/**
 * The beat's flywheel: once rhythmic evidence has held for ESTABLISHED_BEATS with drum sounds in it (or EARLY_BEATS
 * with EARLY_EVENTS drum events in it), a drumless stretch after it (a breakdown, a bridge) keeps the tempo known for
 * up to FLYWHEEL_BARS bars, so beats and downbeats keep coming on the grid the tempo tracker holds meanwhile; music
 * that never gave rhythmic evidence gets none. It starts once the music sounds near the groove's level within a bar
 * of the lapse.
 */

/** Beats of rhythmic evidence without a lapse after which the tempo is established and the flywheel may carry it. */
const ESTABLISHED_BEATS = 8;
/**
 * … with at least this many drum sounds in it (kick or snare events, cymbal hits). A lone hit on the beat of a
 * groove known before is evidence for the rhythm memory's 3 s (drumHits.ts): a bass note after the drums stop lifts
 * the drum envelope on the beat, and 3 s are 8 beats from 160 BPM up. Such a run held no drum event and no cymbal,
 * and armed a second flywheel after the first's 16 bars (a break of bass and chords after 12 s of drums at 160, 170
 * and 174 BPM: 23–33 beats past the bound). Of the 137 runs in the five tuning sets that reached 8 beats, two held
 * no drum sound (no table cell moved without them) and the rest 7 or more.
 */
const ESTABLISHED_SOUNDS = 2;
/**
 * Evidence that held EARLY_BEATS with EARLY_EVENTS drum events (kick or snare events) in it is established too: an
 * analysis started a few seconds before a break has heard that much of the groove (`h2-pop-pearl` from 20 s in: 4
 * events, then the rhythm memory's 3 s; beat F 0.83 → 0.99 at --restart 20). Drum events are what tells it from a
 * bass line's evidence after a groove, which held 6 beats with none (tempo.test.ts, the bounded flywheel's drumless
 * stretch) and would arm a flywheel on beats alone.
 */
const EARLY_BEATS = 5;
const EARLY_EVENTS = 4;
/**
 * Bars the held grid carries the beat through a drumless stretch after established evidence. Dance music builds its
 * breakdowns in 8 or 16 bars and pop its bridges in 4 or 8; past 16 bars without drums the music is more likely
 * something else (an ambient part, the next track of a mix) than the same groove, and the tempo is "not known" again.
 */
const FLYWHEEL_BARS = 16;
/**
 * Levels against the groove's (the level while the evidence held, over LEVEL_GROOVE_S; hop power smoothed over
 * LEVEL_FAST_S): the flywheel starts only while the music still sounds within 20 dB of it (a breakdown's chords sit
 * 10–25 dB under the drums, between them as far as 28 dB in our renders, while an ending's release has fallen 25 dB
 * by the time the rhythm memory lapses), and stops when it falls 40 dB under it or stays below the silence level for
 * a beat (the music has stopped; a gap before a drop is shorter, and the drums after it are evidence again at once).
 */
const FLYWHEEL_START = Math.pow(10, -20 / 10);
/**
 * Bars a lapse waits for the music to sound within FLYWHEEL_START of the groove. A struck chord (a piano's) may have
 * decayed below it when the rhythm memory lets the evidence lapse, and the next one comes within the bar:
 * `ho-pop-musescore`'s break, whose piano read 29 dB under the groove at the lapse and 17 dB under after the next
 * chord, lost its beats (beat F 0.91 from the song's start, 0.84 from 20 s in; 0.99 with the wait). An ending's
 * release strikes nothing new. A beat of silence after the lapse ends the wait too (the music has stopped); a song
 * that follows within it, as one that follows with no gap, gets the old grid until its own drums are heard.
 */
const PENDING_BARS = 1;
const FLYWHEEL_STOP = Math.pow(10, -40 / 10);
const LEVEL_FAST_S = 0.2;
const LEVEL_GROOVE_S = 4;

/** What the flywheel reads of one hop. */
export interface FlywheelHop {
  /** Rhythmic evidence now, and the hops it has held without a lapse. */
  evidence: boolean;
  evidenceHops: number;
  silent: boolean;
  /** The hop's level (any scale; 0 when silent). */
  rms: number;
  periodHops: number;
  beatsPerBar: number;
  /** A kick or snare event this hop (the drum detector's merged events). */
  drumEvent: boolean;
  /** A cymbal hit this hop (the hats envelope rising over CYMBAL_HIT, see drumHits.ts). */
  cymbalHit: boolean;
}

export class Flywheel {
  /** Hops the flywheel still carries the beat (0: not running). */
  private hopsLeft = 0;
  /** Hops a lapse still waits for the music to sound near the groove's level (0: none waits). */
  private pendingHops = 0;
  /** Hops the lapse has waited so far (the flywheel's 16 bars count from the lapse). */
  private waitedHops = 0;
  /** Drum events (kick or snare) since the evidence last lapsed, and those with cymbal hits. */
  private runEvents = 0;
  private runSounds = 0;
  /** The last run of evidence was established and no flywheel has started since: a lapse may start one. */
  private armed = false;
  private evidenceBefore = false;
  private silentHops = 0;
  /** Hop power smoothed over LEVEL_FAST_S, and over LEVEL_GROOVE_S while the evidence holds. */
  private powerFast = 0;
  private powerGroove = 0;
  private readonly fastKeep: number;
  private readonly grooveKeep: number;

  constructor(hopRateHz: number) {
    this.fastKeep = Math.exp(-1 / (LEVEL_FAST_S * hopRateHz));
    this.grooveKeep = Math.exp(-1 / (LEVEL_GROOVE_S * hopRateHz));
  }

  /** One hop: whether the flywheel carries the beat this hop. */
  step(hop: FlywheelHop): boolean {
    const { evidence, evidenceHops, silent, periodHops, beatsPerBar } = hop;
    const power = silent ? 0 : hop.rms * hop.rms;
    this.runEvents = evidence ? this.runEvents + (hop.drumEvent ? 1 : 0) : 0;
    this.runSounds = evidence ? this.runSounds + (hop.drumEvent || hop.cymbalHit ? 1 : 0) : 0;
    this.powerFast = this.fastKeep * this.powerFast + (1 - this.fastKeep) * power;
    if (evidence) {
      this.powerGroove = this.grooveKeep * this.powerGroove + (1 - this.grooveKeep) * power;
      // Evidence that holds ESTABLISHED_BEATS arms the flywheel (and ends one that runs); a shorter return (a lone
      // hit on the beat in a breakdown, a false kick on a bass note) lets it count on, so it stays bounded. The early
      // rule only where none runs: a fill of four hits in a breakdown would otherwise start its 16 bars again.
      const established =
        (evidenceHops >= ESTABLISHED_BEATS * periodHops && this.runSounds >= ESTABLISHED_SOUNDS) ||
        (this.hopsLeft === 0 && evidenceHops >= EARLY_BEATS * periodHops && this.runEvents >= EARLY_EVENTS);
      if (established) {
        this.armed = true;
        this.hopsLeft = 0;
      } else if (this.hopsLeft > 0) this.hopsLeft--;
      this.pendingHops = 0;
    } else if (this.evidenceBefore && this.armed) {
      // The evidence has just lapsed: the flywheel starts as soon as the music sounds within FLYWHEEL_START of the
      // groove, within PENDING_BARS; the hop of the lapse may fall in the decay of a struck chord before the next.
      this.pendingHops = Math.max(1, Math.round(PENDING_BARS * beatsPerBar * periodHops));
      this.waitedHops = 0;
      this.silentHops = 0;
      this.pending(silent, periodHops, beatsPerBar);
    } else if (this.pendingHops > 0) {
      this.pending(silent, periodHops, beatsPerBar);
    } else if (this.hopsLeft > 0) {
      this.silentHops = silent ? this.silentHops + 1 : 0;
      if (--this.hopsLeft === 0 || this.silentHops > periodHops || this.powerFast < this.powerGroove * FLYWHEEL_STOP) this.hopsLeft = 0;
    }
    this.evidenceBefore = evidence;
    return !evidence && this.hopsLeft > 0;
  }

  /** One hop of a pending start: starts, counts down, or gives up after a beat of silence. */
  private pending(silent: boolean, periodHops: number, beatsPerBar: number): void {
    const full = Math.round(FLYWHEEL_BARS * beatsPerBar * periodHops);
    // Counted, not derived from the bar: the meter or the period may change while it waits.
    const waited = this.waitedHops++;
    this.silentHops = silent ? this.silentHops + 1 : 0;
    if (!silent && this.powerFast >= this.powerGroove * FLYWHEEL_START) {
      this.armed = false;
      this.pendingHops = 0;
      this.hopsLeft = Math.max(1, full - waited);
      this.silentHops = 0;
    } else if (--this.pendingHops === 0 || this.silentHops > periodHops) {
      // Still armed, as after a lapse that found the music too low: the groove may return and lapse again.
      this.pendingHops = 0;
    }
  }
}
