import type { AnalysisConfig } from './config.js';
import type { HopInput, ResolvedParams } from './hopInput.js';
import { MagnitudeSpectrum } from './fft.js';
import { SemitoneMap, midiToHz, normaliseMax } from './chroma.js';
import { DrumPitch } from './drumPitch.js';

/**
 * Bass windows (length multiples) after a kick during which the kick fills the window: the spectrum the chord chroma
 * reads is not updated then (measured best on the demo).
 */
const KICK_WINDOWS = 1.45;
/** …and during which the bass chroma holds the note before the kick unless it changed (measured on the demo and corpus). */
const BASS_KICK_HOLD = 1.55;
/**
 * Bass windows after a detected snare during which the note before it holds, as after a kick (and unless it changed,
 * told the same way, on a time scale shortened in proportion). A snare's body is a low tone of its own (some kits'
 * snares boom near F2–F3) that outweighs a bass line struck with it, but it dies sooner than a kick's: 0.7 measured
 * on the corpus and the second kept-apart set (1.55, the kick's, cost songs whose bass changes on a snare).
 */
const BASS_SNARE_HOLD = 0.7;
/**
 * Within a kick window, how long (bass windows) the note before the kick may still be found to have changed: a new
 * note struck with the kick shows within about one window; later in the window a lone switch is the kick's tail.
 */
const BASS_SWITCH_WINDOWS = 1.1;
/** The note before the kick holds while its upper-partial salience is at least this share of the strongest. */
const KEEP_SHARE = 0.6;
/** A change needs the same new pitch class this many bass frames in a row (the kick's tail wanders between notes)… */
const SWITCH_FRAMES = 3;
/** …and that pitch class at least this share of the strongest full salience (fundamental included). */
const SWITCH_FULL_SHARE = 0.3;
/**
 * A note lower than the strongest is taken for the bass when its salience is at least this share of the strongest's
 * (0.4–0.7 measured on the corpus and the second kept-apart set: all raised the songs without a bass line; 0.6 cost
 * the fewest elsewhere).
 */
const LOWEST_SHARE = 0.6;
/** Lowest and highest MIDI note of the bass salience: C1 … B3 (fundamentals), octaves read as far as the map reaches. */
export const BASS_FIRST_MIDI = 24;
export const BASS_NOTES = 36;
/** Semitones of the bass spectrum's grid: the notes and up to their double octave and fifth above (m + 24). */
export const BASS_SEMITONES = BASS_NOTES + 25;
/**
 * From A2 up, the salience is scaled down by this factor per octave: there chord tones sit (left hands, pads voiced
 * from E2), and without a bass line the bass is the chord's lowest note, while a chord's upper notes, with partials
 * of their own, would otherwise outweigh it (C/E voiced E2 G2 C3 read as C). Bass lines mostly sit below.
 */
const CHORD_RANGE_MIDI = 45;
/** 0.3 and 0.1 measured: 0.1 raised every corpus song's bass without a bass line and left the demo as it was. */
const CHORD_RANGE_WEIGHT_PER_OCTAVE = 0.1;
/** Notes the learnt kick pitch watches, C1 up to below CHORD_RANGE_MIDI (kick bodies sit under 110 Hz). */
export const KICK_PITCH_NOTES = CHORD_RANGE_MIDI - BASS_FIRST_MIDI;
const NOTE_WEIGHT = Float64Array.from({ length: BASS_NOTES }, (_, m) =>
  Math.pow(CHORD_RANGE_WEIGHT_PER_OCTAVE, Math.max(0, BASS_FIRST_MIDI + m - CHORD_RANGE_MIDI) / 12),
);

/**
 * The octave and twelfth count as at least this share of the fundamental's energy, so that a note with weak upper
 * partials still has a salience; a kick's bare decaying sine gets only this much too. 0.02 measured against 0.05 and
 * 0.1 on the corpus and the second kept-apart set (0.02 best on songs with long electronic kicks, none worse by
 * more than 0.01).
 */
const PARTIAL_FLOOR = 0.02;

/**
 * On the kick's own semitone (drumPitch.ts) a fundamental counts at most this multiple of its octave's energy: a
 * played note there has an octave partial (every bass timbre does: strings, reeds, brass, saws, pianos, organs), the
 * kick's sine has next to none, and it may ring for a second under the bass line. 3, as the chord chroma bounds a
 * low note under a kick (chordChroma.ts); it leaves a saw's fundamental (4× its octave) nearly whole.
 */
const KICK_OCTAVE_SUPPORT = 3;

/**
 * Salience of note m (semitone energies from BASS_FIRST_MIDI): the geometric mean of fundamental, octave and
 * twelfth; on the kick's semitone (`kickNote` set) the fundamental only as far as its octave bears it out.
 */
function fullSalience(semis: Float64Array, m: number, kickNote: Uint8Array | null = null): number {
  let f = semis[m]!;
  if (kickNote && kickNote[m] === 1 && f > KICK_OCTAVE_SUPPORT * semis[m + 12]!) f = KICK_OCTAVE_SUPPORT * semis[m + 12]!;
  return Math.cbrt(f * (semis[m + 12]! + PARTIAL_FLOOR * f) * (semis[m + 19]! + PARTIAL_FLOOR * f));
}

/**
 * Bass chroma from the decimated low band, every second hop: salience of C1–B3 is the geometric mean of the note's
 * fundamental, octave and twelfth, S(m)·S(m+12)·S(m+19) (a kick's decaying low sine has no such partials), less
 * from A2 up (see CHORD_RANGE_MIDI).
 *
 * While a detected kick sits in the window, the kick's thump is louder than the bass line at the fundamentals, so
 * the note before the kick is held — unless the bass changed with the kick (a new bar's note on its downbeat kick).
 * That is told from the upper partials, where the kick's body has little left: the salience of the octave, twelfth
 * and double octave, S(m+12)·S(m+19)·S(m+24). The held note goes when its upper salience falls below KEEP_SHARE of
 * the strongest, the strongest has been the same pitch class for SWITCH_FRAMES frames and is borne out by the full
 * salience too; after BASS_SWITCH_WINDOWS the decision stands until the window is clear of the kick. A detected
 * snare is treated as a kick for a shorter time (BASS_SNARE_HOLD): its body is a low tone of its own.
 */
export class BassChroma {
  readonly chroma = new Float32Array(12);
  /** The salient bass note's frequency (0 in silence or before the first estimate). */
  noteHz = 0;
  /**
   * Magnitudes of the newest low-band spectrum without a kick in its window (null before the first): the chord
   * chroma reads its notes below C4 from it.
   */
  spectrum: Float32Array | null = null;
  private readonly spec: MagnitudeSpectrum;
  private readonly map: SemitoneMap;
  /** The newest frame's semitone energies, C1 up (BASS_SEMITONES: fundamentals and the partials read above them). */
  readonly semis = new Float64Array(BASS_SEMITONES);
  /** Whether the newest frame lay in a kick's (or snare's) hold, and whether the last step made a frame at all. */
  inKickHold = false;
  fresh = false;
  private readonly acc = new Float64Array(12);
  /** Full salience per pitch class in a kick window (`acc` then holds the upper-partial salience). */
  private readonly full = new Float64Array(12);
  /** The chroma of the last frame before the kick window. */
  private readonly preKick = new Float32Array(12);
  /** In a kick window: the upper salience's strongest pitch class, for how many frames, and whether the note changed. */
  private candidate = -1;
  private candidateFrames = 0;
  private changed = false;
  /** A kick younger than this (hops) fills the low band's window (see KICK_WINDOWS). */
  readonly kickWindowHops: number;
  /** Hops after a kick during which the note before it holds unless it changed (see BASS_KICK_HOLD). */
  readonly holdHops: number;
  private readonly switchHops: number;
  /** The kick's own pitch, learnt from the detected kicks. */
  private readonly kickPitch: DrumPitch;

  /** Per note of KICK_PITCH_NOTES: 1 where the learnt kick pitch sits. */
  get kickNote(): Uint8Array {
    return this.kickPitch.isDrum;
  }

  constructor(cfg: AnalysisConfig, p: ResolvedParams) {
    this.spec = new MagnitudeSpectrum(p.bassFftSize);
    const windowHops = (p.bassFftSize / p.bassRateHz) * p.hopRateHz;
    this.kickWindowHops = Math.round(KICK_WINDOWS * windowHops);
    this.holdHops = Math.round(BASS_KICK_HOLD * windowHops);
    this.switchHops = Math.round(BASS_SWITCH_WINDOWS * windowHops);
    // The rise is read once the kick fills the window (its body has glided down to its own pitch by then); the frame
    // before lies a window and the detection lag back.
    const riseAt = Math.round(windowHops);
    let narrow = 0;
    while (narrow < BASS_NOTES && midiToHz(BASS_FIRST_MIDI + narrow, 0) * (Math.pow(2, 1 / 12) - 1) < p.bassRateHz / p.bassFftSize) narrow++;
    // Kick bodies sit below A2 (CHORD_RANGE_MIDI); above it the octaves of bass notes rise with the kicks.
    this.kickPitch = new DrumPitch(KICK_PITCH_NOTES, riseAt, 2, Math.ceil((riseAt + 4) / 2), KICK_OCTAVE_SUPPORT, narrow);
    const binHz = p.bassRateHz / p.bassFftSize;
    this.map = new SemitoneMap(binHz, Math.max(cfg.bassRangeHz[0] * 0.9, binHz), Math.min(3.1 * cfg.bassRangeHz[1], 0.3 * p.bassRateHz));
  }

  /**
   * One hop. `lastKickHop`, `lastSnareHop`: the newest kick and snare (the note before either is held while the drum
   * dominates the window); `tuningCents` from the chords.
   */
  step(inp: HopInput, lastKickHop: number, tuningCents: number, lastSnareHop = -1e9): void {
    this.fresh = false;
    if (inp.bassRing.written < 1 || inp.hop % 2 !== 0) return;
    this.fresh = true;
    const kickAge = inp.hop - lastKickHop;
    // A snare counts as a kick whose hold (and switch window) is BASS_SNARE_HOLD / BASS_KICK_HOLD as long.
    const holdAge = Math.min(kickAge, ((inp.hop - lastSnareHop) * BASS_KICK_HOLD) / BASS_SNARE_HOLD);
    const kickInWindow = holdAge < this.holdHops;
    this.inKickHold = kickInWindow;
    const silent = inp.silent;
    const bm = inp.bassRing.spectrum(this.spec);
    if (kickAge >= this.kickWindowHops) {
      if (!this.spectrum) this.spectrum = new Float32Array(bm.length);
      this.spectrum.set(bm);
    }
    if (this.map.tuningCents !== tuningCents) this.map.retune(tuningCents);
    const semis = this.semis;
    this.map.accumulateSemitonePeaks(bm, semis, BASS_FIRST_MIDI);
    this.kickPitch.observe(semis, inp.hop, lastKickHop);
    const kickNote = this.kickPitch.isDrum;
    const acc = this.acc;
    acc.fill(0);
    this.full.fill(0);
    let bestSal = 0;
    let bestNote = -1;
    for (let m = 0; m < BASS_NOTES; m++) {
      const full = fullSalience(semis, m, kickNote);
      let sal = full;
      if (kickInWindow) {
        this.full[m % 12]! += full;
        sal = Math.cbrt(semis[m + 12]! * semis[m + 19]! * semis[m + 24]!);
      }
      sal *= NOTE_WEIGHT[m]!;
      acc[m % 12]! += sal;
      if (sal > bestSal) {
        bestSal = sal;
        bestNote = m;
      }
    }
    if (!kickInWindow && bestNote > 0) this.raiseLowest(bestNote, bestSal, kickNote);
    if (kickInWindow && !silent && this.holdsPreKick(holdAge)) {
      this.chroma.set(this.preKick);
      return;
    }
    // The bass note itself (not just its pitch class).
    this.noteHz = silent || bestNote < 0 ? 0 : midiToHz(BASS_FIRST_MIDI + bestNote, tuningCents);
    if (silent) this.chroma.fill(0);
    else normaliseMax(acc, this.chroma);
    if (!kickInWindow) {
      this.preKick.set(this.chroma);
      this.candidate = -1;
      this.candidateFrames = 0;
      this.changed = false;
    }
  }

  /**
   * The bass is the lowest note that sounds, not the loudest: the pitch class of the lowest note whose salience is at
   * least LOWEST_SHARE of the strongest (`bestNote`, `bestSal`) is raised to the strongest pitch class's level. Without
   * a bass line a chord's lowest note often has the weaker salience (a piano's low fundamentals are weak, and a pad
   * voiced E2 G2 C3 gives G as much as E); with one, the bass line is the lowest note anyway. A kick's tail is low
   * too, so not in a kick window (the hold reads the upper partials there).
   */
  private raiseLowest(bestNote: number, bestSal: number, kickNote: Uint8Array): void {
    const semis = this.semis;
    for (let m = 0; m < bestNote; m++) {
      if (semis[m] === 0 || fullSalience(semis, m, kickNote) * NOTE_WEIGHT[m]! < LOWEST_SHARE * bestSal) continue;
      const acc = this.acc;
      let max = 0;
      for (let i = 0; i < 12; i++) if (acc[i]! > max) max = acc[i]!;
      // A hair above, so that it is the strongest pitch class; the other keeps its level (both notes sound).
      if (acc[m % 12]! < max) acc[m % 12] = max * 1.001;
      return;
    }
  }

  /** In a kick window (saliences in `acc` and `full`): whether the note before the kick still stands. */
  private holdsPreKick(kickAge: number): boolean {
    const acc = this.acc;
    const pre = this.preKick;
    let held = 0;
    let best = 0;
    let fullMax = 0;
    for (let i = 0; i < 12; i++) {
      if (pre[i]! > pre[held]!) held = i;
      if (acc[i]! > acc[best]!) best = i;
      if (this.full[i]! > fullMax) fullMax = this.full[i]!;
    }
    const max = acc[best]!;
    if (best === this.candidate) this.candidateFrames++;
    else {
      this.candidate = best;
      this.candidateFrames = 1;
    }
    if (kickAge < this.switchHops) {
      this.changed =
        acc[held]! < KEEP_SHARE * max && this.candidateFrames >= SWITCH_FRAMES && this.full[best]! >= SWITCH_FULL_SHARE * fullMax;
    }
    return pre[held]! > 0 && !this.changed;
  }
}
