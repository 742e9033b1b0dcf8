/**
 * Tempo, beat phase and bar phase (4/4, 3/4, 6/8 or 9/8) from the onset envelope, causally (no look-ahead).
 *
 * Tempo: a leaky autocorrelation of the mean-removed onset envelope, updated every hop for lags up to four beats
 * at the slowest tempo (memory `tempoMemoryS`); every ~100 ms its best period is searched (periodicity.ts: the
 * multiples of each candidate period, a tempo prior). A new tempo must win for ~1 s before it replaces a different one
 * (hysteresis), so the output is stable; double or half the tempo only while drums are heard and their level is not
 * yet locked (levelLock.ts). While drums are heard, a second autocorrelation with a short memory (SHORT_MEMORY_S)
 * decides changes of tempo: a DJ crossfade's new track wins it seconds before it wins the long one.
 * Metrical level: the drums' pulse moves the envelope's period up an octave where the drum envelope hits every beat
 * of a backbeat groove alike (drumPulse.ts), the hats play sixteenths of it (a half-time groove, hatsPulse.ts, which
 * reads the hats envelope less the snare's share of that band) or off-beat eighths of its half (DrumPulse.offbeatHats);
 * without drums the envelope's pulse is the harmony's (half-note bass, chord changes), whose octave only the prior
 * can choose (periodicity.ts `octaveNearPrior`), and the first drums after such a guess forget that pulse.
 *
 * Phase: a pulse-train correlation (pulseTrain.ts: the recent envelope against beats p apart) gives where the last
 * beat was; a phase-locked oscillator follows it with a small gain, so single missing or extra
 * onsets do not move the beat. That pulse may be off the beat: kicks half a beat from it, or a lone pulse of one hit a
 * beat with no kick (an intro's off-beat hats), put the beat between its hits (drumPulse.ts). The envelope arrives
 * `latencyS` after the sound (the detection latency of the onset stage); the oscillator is advanced by that much so
 * that beat events fire at the true beat times.
 *
 * Beat events fire only on rhythmic evidence (`known`): recent drum hits, an autocorrelation peak that stands out
 * (confidence: the onset envelope's, or the drum envelope's alone, see drumPulse.ts) and a beat phase that stands
 * out of all phases (salience), which noise never gives together; until a groove is first known, a cymbal too, or
 * kick events evenly on every beat (drumHits.ts: bass plucks and struck chords fire the kick and snare envelopes). A backbeat groove read at half
 * its tempo (bass and kicks on 1 and 3) goes up an octave when the drum envelope hits every beat of the double one
 * (DrumPulse.halfPeriod), through a locked level too.
 * Flywheel (flywheel.ts): after established evidence, a drumless stretch keeps the tempo known for up to 16 bars;
 * the grid is held meanwhile (period and phase frozen while no drums are heard, so chord changes and pads cannot
 * pull it), and beats and downbeats keep coming; music that never gave rhythmic evidence gets none.
 *
 * Downbeat and meter: see meter.ts (each beat's harmonic change and kick-minus-snare, per slot modulo 2, 3 and 4).
 */

import { MeterTracker, type MeterCue } from './meter.js';
import { Flywheel, type FlywheelHop } from './flywheel.js';
import { DRUM_CONFIDENT, DrumPulse } from './drumPulse.js';
import { DrumHits } from './drumHits.js';
import { HatsPulse } from './hatsPulse.js';
import { PulseTrain } from './pulseTrain.js';
import { OnsetAcf } from './onsetAcf.js';
import { LevelLock } from './levelLock.js';
import { bestPeriod, isOtherTempo, octaveNearPrior, periodConfidence, periodSearch, type PeriodSearch } from './periodicity.js';

export interface TempoTrackerOptions {
  hopRateHz: number;
  minBpm: number;
  maxBpm: number;
  priorBpm: number;
  memoryS: number;
  /** Detection latency of the onset envelope (s): how late the envelope is against the sound. */
  latencyS: number;
}

/** One hop of input to the tempo tracker. */
export interface TempoCue extends MeterCue {
  /** Onset strength for tempo, 0..1. */
  onset: number;
  silent: boolean;
  /**
   * Strongest drum envelope of the hop (kick after its click gate, snare, hats), 0..1: rhythmic evidence. Without
   * hits (see drumHits.ts) within RHYTHM_MEMORY_S the tempo is "not known" and no beat events fire. Absent: every
   * hop counts as a hit.
   */
  drums?: number;
  /** Low-band onset envelope (kicks and bass notes), 0..1: where bass notes land anchors the beat (drumPulse.ts). */
  low?: number;
  /**
   * Hats envelope (hats, ride, cymbals), 0..1: a groove needs a cymbal heard (see drumHits.ts) before it is first
   * known, since the kick and snare envelopes also rise on bass plucks and struck chords; its hits are drum sounds that
   * establish a groove for the flywheel (flywheel.ts ESTABLISHED_SOUNDS). Absent: always heard, a hit every hop.
   */
  hats?: number;
  /**
   * A kick or snare event of the detector's merged output fired this hop: drum events evenly on every beat are a
   * groove before any cymbal is heard too (see drumHits.ts), and a short run of evidence with several of them is an
   * established one (flywheel.ts EARLY_EVENTS); they count as drum sounds in one of 8 beats too. Absent: none.
   */
  drumEvent?: boolean;
  /** RMS of the hop (linear, any scale): the flywheel stops when it falls far below the groove's (see flywheel.ts). Absent: constant. */
  rms?: number;
}

/** The tracker's state after a hop (one object, reused: copy what you keep). */
export interface TempoState {
  bpm: number;
  beatPhase: number;
  barPhase: number;
  confidence: number;
  beat: boolean;
  downbeat: boolean;
  /**
   * Beat events fire: either rhythmic evidence now (a tempo estimated and confident, its beat phase salient, drums
   * heard lately, see drumHits.ts), or the flywheel after established evidence (see flywheel.ts).
   */
  known: boolean;
  /** Bar length in beats (4 or 3; 2 or 3 in compound meters), from which period the downbeat evidence repeats with; 4 until it shows. */
  beatsPerBar: number;
}

/** Confidence (the autocorrelation at the period against its mean, see `estimateTempo`) above this is a tempo. */
const CONFIDENT = 0.15;
/**
 * Phase salience above this is a beat (see `trackPhase`). Its running value is about 0.9 under drums, 0.7–0.9 under
 * drumless chords, and 0.5–0.56 in white noise (whose autocorrelation confidence, over minutes, does reach 0.29).
 */
const SALIENT = 0.75;
/** Running phase salience: weight of each new measurement (one every second hop: ≈ 0.4 s). */
const SALIENCE_RATE = 0.05;
/** Phase corrections summing to this (beats, leaking by DRIFT_KEEP per measurement, one every second hop: ≈ 1 s) move the beat grid. */
const GRID_MOVED = 0.3;
const DRIFT_KEEP = 0.98;
/**
 * Memory (s) of the second autocorrelation, which decides tempo changes while drums play: a DJ crossfade's new track
 * wins it seconds before it wins the long one (whose memory steadies the tempo through drumless parts).
 */
const SHORT_MEMORY_S = 1.5;
/**
 * Share of the autocorrelations kept when rhythmic evidence is first heard after the prior chose the octave (see
 * `trackPhase`): the harmony's pulse then weighs as little as a second of the drums' (0.1–0.3 read alike on our songs).
 */
const FIRST_DRUMS_KEEP = 0.2;
/**
 * Beats without a drum hit or a cymbal after which a known beat's grid is held (see `trackPhase`): corpus
 * mach-edm-sub downbeat F 0.92 without the hold, 0.97 with it (and the beat's offset kept, DrumPulse.beatOffset).
 */
const GRID_DRUMS_BEATS = 2;
/** Confidence of the short autocorrelation above which its tempo may replace the current one. */
const SHORT_CONFIDENT = 0.5;
/**
 * How long (s) the short autocorrelation must hold another tempo, confidently (SHORT_CONFIDENT), before it replaces
 * the current one: a crossfade's new track, once it wins the short memory, keeps it from then on.
 */
const SHORT_WINS_S = 0.5;

export class TempoTracker {
  readonly state: TempoState = { bpm: 120, beatPhase: 0, barPhase: 0, confidence: 0, beat: false, downbeat: false, known: false, beatsPerBar: 4 };
  /** Drum hits and cymbals heard: the rhythmic evidence (drumHits.ts). */
  private readonly hits: DrumHits;
  /** Phase corrections of the oscillator, summed with a leak (beats). */
  private drift = 0;
  /** How much the best beat phase stands out of all phases, running (see `trackPhase`). */
  private salience = 0;
  private readonly fr: number;
  private readonly search: PeriodSearch;
  /** The onset envelope's history and autocorrelations (onsetAcf.ts); `acf` and `acfShort` are its two. */
  private readonly onsets: OnsetAcf;
  private readonly acf: Float64Array;
  /** Where the envelope puts the last beat, and how salient that phase is (pulseTrain.ts). */
  private readonly pulseTrain = new PulseTrain();
  /** The drum envelope's own periodicity and where the beat lies against its pulse (drumPulse.ts). */
  private readonly drumPulse: DrumPulse;
  /** The hats' pulse: sixteenths of the period read an octave up (hatsPulse.ts). */
  private readonly hatsPulse: HatsPulse;
  /** The last estimate took the hats' own tempo (the onset envelope's was not confident, see HatsPulse.tempo). */
  private hatsAlone = false;
  /** The autocorrelation with a memory of SHORT_MEMORY_S: it hears a new tempo first (see `estimateTempo`). */
  private readonly acfShort: Float64Array;
  private shortCandidate = 0;
  private shortSince = 0;
  private n = 0;
  private period: number;
  private candidate = 0;
  private candidateSince = 0;
  private tempoKnown = false;
  /** Hops since the tempo became known (drums heard, confident) without a lapse; 0 while it is not known. */
  private knownHops = 0;
  /** The last estimate took another octave than the envelope's pulse (drumless: the prior's choice). */
  private octaveGuessed = false;
  /** Rhythmic evidence this hop (drums heard, confident, salient), without the flywheel. */
  private evidenceActive = false;
  private readonly flywheel: Flywheel;
  /** The flywheel's input, one object refilled each hop. */
  private readonly flywheelHop: FlywheelHop = {
    evidence: false,
    evidenceHops: 0,
    silent: true,
    rms: 0,
    periodHops: 1,
    beatsPerBar: 4,
    drumEvent: false,
    cymbalHit: false,
  };
  /** The metrical level's lock: the period neither halves nor doubles while it holds (levelLock.ts). */
  private readonly level: LevelLock;
  /** The beat period the off-beat hats said at the last estimate (see `offbeatLevel`); 0: none. */
  private offbeatHops = 0;
  /** The flywheel runs and no drums are heard: tempo and phase are held. */
  private holding = false;
  private readonly estimateEvery: number;
  private phase = 0;
  private readonly leadBeats: () => number;
  private lastBeatN = -1e9;
  private beatCount = 0;
  // Downbeat evidence, per beat slot, and running sums over the current beat.
  private readonly meter: MeterTracker;
  private confidence = 0;

  constructor(readonly opts: TempoTrackerOptions) {
    this.fr = opts.hopRateHz;
    const pMax = (60 / opts.minBpm) * this.fr;
    this.search = periodSearch((60 / opts.maxBpm) * this.fr, pMax, this.fr, opts.priorBpm);
    const lags = Math.ceil(pMax * 4) + 2;
    const keep = Math.exp(-1 / (opts.memoryS * this.fr));
    // The short memory over two beats at the slowest tempo (its memory is shorter than four).
    const keepShort = Math.exp(-1 / (Math.min(SHORT_MEMORY_S, opts.memoryS) * this.fr));
    this.onsets = new OnsetAcf(lags, keep, Math.ceil(pMax * 2) + 2, keepShort);
    this.acf = this.onsets.acf;
    this.acfShort = this.onsets.acfShort;
    this.drumPulse = new DrumPulse(lags + 1, keep, this.search);
    this.hatsPulse = new HatsPulse(keep, this.search);
    this.period = (60 / 120) * this.fr;
    this.estimateEvery = Math.max(1, Math.round(this.fr / 10));
    this.leadBeats = () => (opts.latencyS * this.fr) / this.period;
    this.meter = new MeterTracker(this.fr);
    this.flywheel = new Flywheel(this.fr);
    this.hits = new DrumHits(this.fr);
    this.level = new LevelLock(this.fr);
  }

  /** Current beat period in hops. */
  get periodHops(): number {
    return this.period;
  }

  step(cue: TempoCue): TempoState {
    const st = this.state;
    st.beat = false;
    st.downbeat = false;
    const o = Number.isFinite(cue.onset) ? cue.onset : 0;
    this.onsets.push(o);
    this.n++;
    this.drumPulse.push(cue);
    this.hatsPulse.push(cue.hats ?? 0, cue.snare);

    if (this.n % this.estimateEvery === 0 && this.n > this.fr * 1.5) this.estimateTempo();
    this.trackPhase(cue);
    st.bpm = (60 * this.fr) / this.period;
    st.confidence = Math.max(this.confidence, this.drumPulse.confidence);
    return st;
  }

  private estimateTempo(): void {
    const a0 = this.acf[0]!;
    if (!(a0 > 1e-9)) {
      this.confidence *= 0.9;
      return;
    }
    const envP = bestPeriod(this.acf, this.search, this.period);
    let pulseP = this.hatsPulse.levelUp(this.drumPulse.halfPeriod(envP));
    // The level chosen above the envelope's own period (the drums or the hats say the beat is twice as fast) makes
    // the pulse no less periodic: the envelope's confidence is at its own period.
    let periodConf = Math.max(periodConfidence(this.acf, pulseP, this.search), pulseP === envP ? 0 : periodConfidence(this.acf, envP, this.search));
    // Noise under the music can hide every period in the onset envelope, not in the hats' (HatsPulse.tempo), while
    // they play: hits within the last two beats (their fading pulse would steer the beat through a breakdown).
    const hatsNow = periodConf < CONFIDENT && this.hits.cymbalWithin(this.n, 2 * this.period);
    const hats = hatsNow ? this.hatsPulse.tempo(this.period) : null;
    this.hatsAlone = hats !== null;
    if (hats) {
      pulseP = this.hatsPulse.levelUp(hats.periodHops);
      periodConf = hats.confidence;
    }
    // Off-beat eighth hats set the level where the envelope reads an octave below them (a drumless intro's half-note
    // bass and chords under an intro's off-beat hats).
    const offbeat = this.drumPulse.offbeatLevel(this.period, this.phase);
    this.offbeatHops = offbeat;
    if (offbeat > 0 && Math.abs(pulseP / (2 * offbeat) - 1) < 0.04) pulseP = offbeat;
    // Without drums (no rhythmic evidence, no cymbal) the pulse is the harmony's: its octave is the prior's choice.
    const drumless = !this.evidenceActive && !this.hits.cymbalHeard(this.n);
    const bestP = drumless ? octaveNearPrior(pulseP, this.search) : pulseP;
    this.octaveGuessed = bestP !== pulseP;
    this.confidence = 0.8 * this.confidence + 0.2 * periodConf;
    this.drumPulse.estimate(this.period);

    // The flywheel holds the grid: without drums the autocorrelation follows chord changes and pads.
    if (this.holding) {
      this.candidate = bestP;
      this.candidateSince = this.n;
      return;
    }
    if (!this.tempoKnown) {
      this.period = bestP;
      this.tempoKnown = true;
      this.candidate = bestP;
      return;
    }
    // While drums are heard, the short autocorrelation has the say on a change of tempo (not of level): a tempo it
    // has found, confidently, for SHORT_WINS_S replaces the current one, and one it does not agree with does not.
    let shortP = 0;
    if (this.evidenceActive && this.acfShort[0]! > 1e-9) {
      const p = bestPeriod(this.acfShort, this.search, this.period);
      if (periodConfidence(this.acfShort, p, this.search) > SHORT_CONFIDENT) {
        shortP = p;
        if (!isOtherTempo(p / this.period) || Math.abs(p / this.shortCandidate - 1) >= 0.04) this.shortSince = this.n;
        else if (this.n - this.shortSince > SHORT_WINS_S * this.fr) {
          this.period = p;
          this.candidate = p;
          this.candidateSince = this.n;
          this.shortSince = this.n;
          // Another tempo under drums is another track (a DJ's next one): its bars owe nothing to the last one's, and
          // its own, heard through the crossfade, are read again on its grid (the current beat's first hop is the one
          // after the last beat event; the newest hop the meter holds is the previous one).
          this.meter.rescore(p, Math.max(0, this.n - this.lastBeatN - 2) / p, this.beatCount);
        }
      }
      this.shortCandidate = p;
    }
    const rel = Math.abs(bestP / this.period - 1);
    if (rel < 0.04) {
      // Same tempo: follow smoothly.
      this.period += 0.25 * (bestP - this.period);
      this.candidate = bestP;
      this.candidateSince = this.n;
    } else if (Math.abs(bestP / this.candidate - 1) < 0.04) {
      // A different tempo that keeps winning for a second takes over. The same pulse at double or half speed only
      // while drums are heard with confidence (the tempo is known) and the level is not locked: without drums the
      // autocorrelation follows whatever pulses there are (a breakdown's chord changes, an intro's pad), which say
      // little about the level, and the level drums have played at for LEVEL_LOCK_S stays while they play on (songs
      // seldom change tempo by an octave, while half-time drums under a steady pulse make the half tempo win).
      // Under drums, not another tempo that the short autocorrelation confidently disagrees with (its memory has
      // moved on: the long one still remembers the track a crossfade is leaving).
      const ratio = bestP / this.period;
      const octave = Math.abs(ratio - 2) < 0.1 || Math.abs(ratio - 0.5) < 0.03;
      // A level locked at half the tempo gives way when the drum envelope hits on every beat of the double one (a
      // backbeat groove after a drumless intro whose bass notes set the slower level, see DrumPulse.halfPeriod).
      const drumsDouble =
        ratio < 1 && (this.drumPulse.halfPeriod(this.period) < this.period || this.hatsPulse.levelUp(this.period) < this.period || (offbeat > 0 && offbeat < this.period));
      // Off-beat eighth hats that set this level are drums heard now, whatever the evidence (an intro's quiet hats
      // seldom reach the drum envelope's hit level).
      const hatsLevel = offbeat > 0 && bestP === offbeat;
      // The short autocorrelation reads the envelope's own period, not the level chosen above it (the drums' or the
      // hats' octave up): twice the candidate's period agrees with it then. Without this, half-time DnB heard from
      // its groove on (eval-analysis --restart 20) stayed at 130 for 170, the candidate blocked by a short period of
      // 85 (corpus beat and tempo targets 46 → 44 of 46 there).
      const shortDisagrees =
        shortP > 0 && !samePeriod(shortP, bestP) && !(pulseP < envP && samePeriod(shortP, 2 * bestP));
      const blocked = octave
        ? (this.level.locked && !drumsDouble) || (!this.evidenceActive && !hatsLevel)
        : shortDisagrees;
      if (blocked) this.candidateSince = this.n;
      else if (this.n - this.candidateSince > this.fr) {
        this.period = bestP;
        this.candidateSince = this.n;
        // Drums heard at the old level do not lock the new one: a slow ballad's first bars of drums, after the prior
        // set 124 for its 62 BPM intro, swung to 62, back to 124 for a second, and the lock counted those bars there
        // (corpus slow-ballad-timgm tempo share 0.02, 0.94 with the count restarted).
        if (octave) this.level.restart();
        // The beats counted so far were of another length (half as many at the slower octave): their slots say
        // nothing of where beat 1 falls among the new ones, nor of how many make a bar.
        this.meter.forgetDownbeat(true);
      }
      this.candidate = bestP;
    } else {
      this.candidate = bestP;
      this.candidateSince = this.n;
    }
  }

  private trackPhase(cue: TempoCue): void {
    const st = this.state;
    const p = this.period;
    this.phase += 1 / p;
    // Pulse-train correlation, every second hop: where, within the last period, does a beat grid best fit the
    // recent envelope? The oscillator is nudged towards it (gain 0.2 per measurement).
    if ((this.n & 1) === 0) {
      const train = this.pulseTrain;
      train.measure(this.onsets.env, this.onsets.n, p);
      const hatsPhi = this.hatsPulse.measurePhase(p, SALIENCE_RATE);
      // The tempo is the hats' alone (noise fills the onset envelope): so are the beat phase and its salience.
      const best = this.hatsAlone ? 1 : train.best;
      const bestPhi = this.hatsAlone ? hatsPhi : train.bestPhi;
      this.salience += SALIENCE_RATE * ((this.hatsAlone ? this.hatsPulse.salience : train.salience) - this.salience);
      const measured = bestPhi / p; // beats since the last beat, as the envelope sees it
      if (this.tempoKnown && best > 0 && !this.holding) {
        let e = measured + this.drumPulse.beatOffset(bestPhi, p, this.hatsAlone) - this.phase;
        e -= Math.round(e);
        this.phase += 0.2 * e;
        // The beat grid moved by a good part of a beat under drums (an intro's off-beat hats, then the kick): the
        // downbeat evidence gathered on the old grid belongs to other beats now. (Without drums the oscillator
        // wanders, and the evidence is kept for when they return.)
        this.drift = DRIFT_KEEP * this.drift + 0.2 * e;
        if (Math.abs(this.drift) > GRID_MOVED && this.evidenceActive) {
          this.meter.forgetDownbeat();
          this.drift = 0;
        }
      }
    }
    this.meter.accumulate(cue, p);
    if (this.evidenceActive) this.meter.profile(cue.drums !== undefined && Number.isFinite(cue.drums) ? cue.drums : 0, this.phase - Math.floor(this.phase));

    const lead = this.leadBeats();
    const shown = this.phase + lead;
    // Rhythmic evidence: drum hits (and a cymbal or a kick pulse until a groove is first known, see drumHits.ts),
    // with a confident tempo and a salient beat phase.
    const evidence = this.hits.step(cue, this.n, this.phase);
    const confident = (this.confidence > CONFIDENT || this.drumPulse.confidence > DRUM_CONFIDENT) && this.salience > SALIENT;
    const heard = this.hits.heard(cue.silent, this.n, p);
    const evidenceNow = this.tempoKnown && confident && heard && evidence;
    this.knownHops = evidenceNow ? this.knownHops + 1 : 0;
    // Off-beat eighth hats at the current period are the level's evidence too: an intro's quiet hats under noise
    // reach no drum hit, and the half-time groove after them would pull the tempo down an octave at once.
    const hatsAtLevel = this.offbeatHops > 0 && Math.abs(this.offbeatHops / p - 1) < 0.04;
    this.level.step(evidenceNow || hatsAtLevel, this.hits.cymbalWithin(this.n, 2 * p));
    if (evidenceNow && !this.hits.everKnown && this.octaveGuessed) {
      // The first drums, after the prior chose another octave than the harmony's pulse (bass notes, chord changes):
      // the autocorrelations, which so far heard only that pulse, would hold the drums' own level back for the length
      // of their memory.
      this.onsets.forget(FIRST_DRUMS_KEEP);
      this.drumPulse.forget(FIRST_DRUMS_KEEP);
      this.hatsPulse.forget(FIRST_DRUMS_KEEP);
    }
    if (evidenceNow) this.hits.everKnown = true;
    const rms = cue.rms !== undefined && Number.isFinite(cue.rms) ? cue.rms : 1;
    const beatsPerBar = this.meter.beatsPerBar;
    const fh = this.flywheelHop;
    fh.evidence = evidenceNow;
    fh.evidenceHops = this.knownHops;
    fh.silent = cue.silent;
    fh.rms = rms;
    fh.periodHops = p;
    fh.beatsPerBar = beatsPerBar;
    fh.drumEvent = cue.drumEvent === true;
    fh.cymbalHit = this.hits.cymbalWithin(this.n, 0);
    const carried = this.flywheel.step(fh);
    this.evidenceActive = evidenceNow;
    const active = evidenceNow || carried;
    // The grid is held only without drums: drums that play on while the evidence lapsed (two grids in a DJ
    // crossfade) still move the tempo and the phase. So is a known beat's grid once the drums have stopped (no hit
    // within GRID_DRUMS_BEATS), before the rhythm memory lets the evidence lapse: the envelope's pulse then fades
    // from the drums' to the chords' and pads', and an intro's off-beat hats leaving the pulse train's window would
    // move the beat by half a beat at the start of a break.
    const drumsNow = this.hits.drumWithin(this.n, GRID_DRUMS_BEATS * p) || this.hits.cymbalWithin(this.n, GRID_DRUMS_BEATS * p);
    this.holding = (carried && !evidence) || (active && !drumsNow);
    st.known = active;
    if (shown >= 1 && this.n - this.lastBeatN > 0.5 * p) {
      this.phase -= 1;
      this.meter.closeBeat(this.beatCount);
      this.beatCount++;
      this.lastBeatN = this.n;
      if (active) {
        st.beat = true;
        st.downbeat = this.meter.barBeat(this.beatCount) === 0;
      }
    } else if (shown >= 1) {
      this.phase -= 1; // a correction pushed us over again right after a beat: wrap without a second event
    }
    if (this.phase < -lead) this.phase += 1;
    const bp = this.phase + lead;
    st.beatPhase = bp - Math.floor(bp);
    st.beatsPerBar = this.meter.beatsPerBar;
    st.barPhase = (this.meter.barBeat(this.beatCount) + st.beatPhase) / st.beatsPerBar;
  }
}

/** Two periods within 4 % of each other: the same tempo to the tracker. */
function samePeriod(a: number, b: number): boolean {
  return Math.abs(a / b - 1) < 0.04;
}
