import type { AnalysisConfig } from './config.js';
import type { HopInput, ResolvedParams } from './hopInput.js';
import { MagnitudeSpectrum } from './fft.js';
import { CausalHpss } from './hpss.js';
import { SemitoneMap, TuningEstimator, hzToMidi, normaliseMax } from './chroma.js';
import { DrumPitch } from './drumPitch.js';

/** Lowest note of the chord pitch grid (E2) and the first note taken from the chord spectrum (C4 = 261.6 Hz). */
export const CHORD_FIRST_MIDI = 40;
const CHORD_SPLIT_MIDI = 60;
/** Lowest note read while a kick is in the low band's window (C3, 131 Hz: above a kick's body). */
const KICK_FREE_MIDI = 48;
/** While a kick is in the window, a note below KICK_FREE_MIDI counts at most this multiple of its octave. */
const OCTAVE_SUPPORT = 3;
const CHORD_NOTES = 72; // E2 … D#8 (the spectrum's top is `chromaRangeHz[1]`)
/**
 * Partials 5, 7 and 9 (major 17th, minor 21st, major 23rd: a third, a seventh and a ninth that nobody plays): their
 * semitone offsets, the offsets of lower partials that bound each one's expected level, and the share of that level
 * taken off. The expected level of partial k is the note's level times its octave ratio (p2/p1) to the power
 * log2(k) (a power-law rolloff), and at most the smallest of the 2nd, 3rd, 4th … partials that are seen (spectral
 * envelopes fall). Any of those seen partials may coincide with a chord tone played as well: under an F major pad
 * (C4 F4 A4), F2's 3rd and 4th partials fall on the pad's C4 and F4 and read as loud as the pad, and bounding by
 * either alone took the pad's A4 (F2's 5th partial) off with them. The octave of a note below C4 comes from the bass
 * spectrum, where chords seldom sit, so the rolloff from it is the steadier guide. Octave partials (2, 4, 8) keep
 * the note's pitch class; the fifth's (3, 6) are left too, because the fifth above a note is usually a chord tone
 * played as well (taking them off cost more chord tones than it saved).
 */
const PARTIAL_OFFSETS = [28, 34, 38];
/** log2 of each partial's number: with the octave's ratio r = p2/p1, the k-th partial is expected at p1·r^log2(k). */
const PARTIAL_LOG2 = [5, 7, 9].map((k) => Math.log2(k));
const PARTIAL_BOUNDS = [
  [12, 19, 24],
  [19, 24, 31],
  [24, 31, 36],
];
const PARTIAL_SHARE = [0.6, 0.8, 0.7];

/**
 * A tonal snare (a drum machine's, tuned to two modes an octave apart) rings at the same pitches on every hit, and a
 * chord chroma reads them as chord tones. Its pitches are learnt as the kick's are (drumPitch.ts: the semitones that
 * rise at every detected snare), and for this many bass windows after a snare those semitones keep their level
 * from before it (the bass window holds the snare for one window, and a ringing mode lasts beyond it: 0.8, 1.2 and
 * 1.6 measured on the corpus, 1.6 best on the DnB saw over a boom snare, 0.76 → 0.78, no other song moved).
 */
const SNARE_HOLD_WINDOWS = 1.6;

/**
 * Semitone powers are raised to this exponent before partial suppression and the fold: 0.3
 * (power^0.3 = magnitude^0.6) lets a chord tone played softer still outrank a louder note's partials; plain magnitude
 * (0.5) lost such tones on the corpus (a softer third or fifth under a loud root).
 */
const NOTE_POWER_EXPONENT = 0.3;

/**
 * Weight of each note in the fold to pitch classes: 1 up to C5, then halving per octave. Chords are seldom voiced
 * above C5, while the 3rd partials of their upper notes land there (a pad's A4 puts E6 under an F major chord, its
 * major seventh), so the top octaves speak less (from C5 rather than C6 measured better on the corpus).
 */
const HIGH_FROM_MIDI = 72;
const HIGH_WEIGHT = Float64Array.from({ length: CHORD_NOTES }, (_, i) => Math.pow(0.5, Math.max(0, CHORD_FIRST_MIDI + i - HIGH_FROM_MIDI) / 12));

/**
 * Chord chroma over the whole range where chords are voiced (E2 up). Below C4 the notes come from the bass
 * spectrum (≈ 0.19 s window, 5.5 Hz bins: E2 and G2 are three bins apart, where a 4096-point frame would merge
 * them); from C4 up from the harmonic part (causal HPSS) of a `chromaFftSize` spectrum, every `chromaEveryHops`
 * hops. Each spectral peak goes to its nearest tuned semitone (magnitude, cos² of its distance). Then, from the
 * lowest note up, each note's 5th, 7th and 9th partials are taken off the notes where they fall (see
 * PARTIAL_SHARE): they otherwise read as a major third, a minor seventh and a ninth that nobody plays (A minor read
 * as C#–E–A). What remains is folded into pitch classes.
 */
export class ChordChroma {
  /** Normalised to max 1; zeros in silence. Updated in place. */
  readonly chroma = new Float32Array(12);
  /** Semitone levels after partial suppression, index m − CHORD_FIRST_MIDI (for the chord estimate). */
  readonly notes = new Float64Array(CHORD_NOTES);
  /** The same levels before partial suppression (compressed), for the chord net (chordNet.ts). */
  readonly levels = new Float64Array(CHORD_NOTES);
  private readonly cfg: AnalysisConfig;
  private readonly spec: MagnitudeSpectrum;
  /** The low band's spectrum now, and its bin-wise minimum with the bass chroma's (possibly held) one. */
  private readonly lowSpec: MagnitudeSpectrum;
  private readonly lowMin: Float32Array;
  private readonly hpss: CausalHpss;
  private readonly map: SemitoneMap;
  private readonly lowMap: SemitoneMap;
  private readonly tuning: TuningEstimator;
  private readonly acc = new Float64Array(12);
  private readonly scratch = new Float64Array(CHORD_NOTES);
  private frames = 0;
  /** The snare's own pitches, and the semitone levels of the last frame before a snare. */
  private readonly snarePitch: DrumPitch;
  private readonly preSnare = new Float64Array(CHORD_NOTES);
  private readonly snareHoldHops: number;

  constructor(cfg: AnalysisConfig, p: ResolvedParams) {
    this.cfg = cfg;
    const nyquist = p.sampleRate / 2;
    this.spec = new MagnitudeSpectrum(p.chromaFftSize);
    const binHz = p.sampleRate / p.chromaFftSize;
    const hiHz = Math.min(cfg.chromaRangeHz[1], 0.9 * nyquist);
    const splitHz = 440 * Math.pow(2, (CHORD_SPLIT_MIDI - 0.5 - 69) / 12);
    this.map = new SemitoneMap(binHz, Math.max(splitHz, cfg.chromaRangeHz[0]), hiHz);
    this.lowSpec = new MagnitudeSpectrum(p.bassFftSize);
    this.lowMin = new Float32Array(this.lowSpec.bins);
    const bassBinHz = p.bassRateHz / p.bassFftSize;
    const lowHz = Math.max(cfg.chromaRangeHz[0], 440 * Math.pow(2, (CHORD_FIRST_MIDI - 0.5 - 69) / 12));
    this.lowMap = new SemitoneMap(bassBinHz, Math.min(lowHz, splitHz), Math.min(splitHz, 0.3 * p.bassRateHz));
    this.hpss = new CausalHpss(
      this.spec.bins,
      this.map.lo,
      Math.min(this.spec.bins, this.map.hi),
      Math.max(1, Math.round(cfg.hpssFreqKernelHz / 2 / binHz)),
      cfg.chromaHpssFrames,
      Math.min(cfg.hpssLookaheadFrames, cfg.chromaHpssFrames - 1),
    );
    const windowHops = (p.bassFftSize / p.bassRateHz) * p.hopRateHz;
    this.snareHoldHops = Math.round(SNARE_HOLD_WINDOWS * windowHops);
    // The rise is read once the snare fills the low band's window; the frame before lies a window and the detection
    // lag back. No octave rules: a snare's two modes may stand an octave apart.
    const riseAt = Math.round(windowHops);
    this.snarePitch = new DrumPitch(CHORD_NOTES - 12, riseAt, cfg.chromaEveryHops, Math.ceil((riseAt + 4) / cfg.chromaEveryHops), 0, 0, false);
    const chromaRate = p.hopRateHz / cfg.chromaEveryHops;
    // Updated every fourth chroma frame; a 5 s memory.
    this.tuning = new TuningEstimator(binHz, this.map.lo, this.map.hi, Math.exp(-4 / (5 * chromaRate)));
  }

  /** Tuning of the semitone grid, cents against A = 440 Hz (shared with the bass). */
  get tuningCents(): number {
    return this.map.tuningCents;
  }

  /**
   * One hop; `bassSpectrum` is the bass chroma's newest spectrum of the decimated low band (its bins are
   * `bassRateHz / bassFftSize` wide), `bassNoteHz` its salient note (0: none). Returns true when the chroma was
   * recomputed.
   */
  step(inp: HopInput, bassSpectrum: Float32Array | null, kickInLowWindow = false, bassNoteHz = 0, lastSnareHop = -1e9): boolean {
    if (inp.hop % this.cfg.chromaEveryHops !== 0) return false;
    const silent = inp.silent;
    this.hpss.process(inp.ring.spectrum(this.spec));
    const harm = this.hpss.harmonic;
    if (!silent) {
      // Tuning drifts slowly: every fourth chroma frame is plenty (and the peak refinement costs logs).
      if (this.frames % 4 === 0) this.tuning.update(harm);
      this.frames++;
      if (this.frames % 25 === 0) {
        const cents = this.tuning.cents();
        if (Math.abs(cents - this.map.tuningCents) > 3) {
          this.map.retune(cents);
          this.lowMap.retune(cents);
        }
      }
    }
    if (silent) {
      this.chroma.fill(0);
      this.notes.fill(0);
      this.levels.fill(0);
      return true;
    }
    const notes = this.notes;
    this.map.accumulateSemitonePeaks(harm, notes, CHORD_FIRST_MIDI);
    if (bassSpectrum) {
      // The bass chroma's spectrum is held while a kick fills its window, so at a chord change on the bar's kick
      // it still holds the last bar's bass note for up to ≈ 0.3 s; the spectrum now holds the kick. Their bin-wise
      // minimum keeps what both hold (the notes that sound on) and neither the old note nor the kick.
      const fresh = inp.bassRing.written > 0 ? inp.bassRing.spectrum(this.lowSpec) : bassSpectrum;
      const both = this.lowMin;
      for (let i = 0; i < both.length; i++) {
        const a = fresh[i]!;
        const b = bassSpectrum[i]!;
        both[i] = a < b ? a : b;
      }
      const low = this.scratch;
      this.lowMap.accumulateSemitonePeaks(both, low, CHORD_FIRST_MIDI);
      // A kick's body (a decaying, gliding sine) sits at E2–B2 in both spectra until the bass window is clear of it.
      // Meanwhile a note there counts only as far as its octave partial bears it out (a played note has one, the
      // kick's sine has none); from C3 up the kick has little left.
      const from = kickInLowWindow ? KICK_FREE_MIDI - CHORD_FIRST_MIDI : 0;
      for (let i = 0; i < from; i++) {
        const supported = OCTAVE_SUPPORT * low[i + 12]!;
        notes[i] = low[i]! < supported ? low[i]! : supported;
      }
      for (let i = from; i < CHORD_SPLIT_MIDI - CHORD_FIRST_MIDI; i++) notes[i] = low[i]!;
    }
    this.snarePitch.observe(notes, inp.hop, lastSnareHop);
    if (inp.hop - lastSnareHop < this.snareHoldHops) {
      const flagged = this.snarePitch.isDrum;
      for (let i = 0; i < flagged.length; i++) if (flagged[i] === 1 && notes[i]! > this.preSnare[i]!) notes[i] = this.preSnare[i]!;
    } else this.preSnare.set(notes);
    // Power → compressed magnitude (a loud bass line's partials, or one loud chord tone's, would otherwise outweigh
    // the chord's softer notes).
    for (let i = 0; i < CHORD_NOTES; i++) notes[i] = Math.pow(notes[i]!, NOTE_POWER_EXPONENT);
    this.levels.set(notes);
    if (bassNoteHz > 0) suppressBassNinth(notes, Math.round(hzToMidi(bassNoteHz, this.map.tuningCents)) - CHORD_FIRST_MIDI);
    suppressPartials(notes);
    const acc = this.acc;
    acc.fill(0);
    for (let i = 0; i < CHORD_NOTES; i++) acc[(CHORD_FIRST_MIDI + i) % 12]! += notes[i]! * HIGH_WEIGHT[i]!;
    normaliseMax(acc, this.chroma);
    return true;
  }
}

/** From the lowest note up, takes each note's expected partials off the notes they fall on (in place). */
export function suppressPartials(notes: Float64Array): void {
  const n = notes.length;
  for (let i = 0; i < n; i++) {
    const e = notes[i]!;
    if (e <= 0) continue;
    for (let h = 0; h < PARTIAL_OFFSETS.length; h++) {
      const j = i + PARTIAL_OFFSETS[h]!;
      if (j >= n) break;
      const bounds = PARTIAL_BOUNDS[h]!;
      // The note's own rolloff from its octave (below C4 the octave comes from the bass spectrum, where no pad sits).
      const octave = notes[i + 12]!;
      let seen = e * Math.pow(octave < e ? octave / e : 1, PARTIAL_LOG2[h]!);
      for (let b = 0; b < bounds.length; b++) {
        const v = notes[i + bounds[b]!]!;
        if (v < seen) seen = v;
      }
      const take = PARTIAL_SHARE[h]! * seen;
      const v = notes[j]!;
      notes[j] = v > take ? v - take : 0;
    }
  }
}

/**
 * Takes the bass note's 9th partial (38 semitones up) off where the bass note is below the grid (index `b` < 0:
 * C1–D#2), which suppressPartials cannot reach: a bass line's 9th partial reads as a ninth (an F1 bass puts G4 under
 * an F major 7th), a tone no chord template has. Its level is at most the smallest of the 4th, 6th and 8th partials
 * seen (spectral envelopes fall). The 5th and 7th partials are left: they fall on the major third and the minor
 * seventh, chord tones of most chords over that bass (taking them off lost more thirds than it saved).
 */
export function suppressBassNinth(notes: Float64Array, b: number): void {
  const j = b + PARTIAL_OFFSETS[2]!;
  if (b >= 0 || j < 0 || j >= notes.length) return;
  let seen = Infinity;
  for (const o of PARTIAL_BOUNDS[2]!) {
    const v = b + o >= 0 ? notes[b + o]! : 0;
    if (v < seen) seen = v;
  }
  const take = PARTIAL_SHARE[2]! * seen;
  const v = notes[j]!;
  notes[j] = v > take ? v - take : 0;
}
