import type { AnalysisConfig } from './config.js';
import type { HopInput, ResolvedParams } from './hopInput.js';
import { MagnitudeSpectrum } from './fft.js';
import { SemitoneMap, midiToHz, normaliseMax } from './chroma.js';

/** Bass windows (length multiples) after a kick during which the bass chroma is held (measured best on the demo). */
const BASS_KICK_HOLD = 1.45;
/** Lowest and highest MIDI note of the bass salience: C1 … B3 (fundamentals), octaves read up to B4. */
const BASS_FIRST_MIDI = 24;
const BASS_NOTES = 36;

/**
 * Bass chroma from the decimated low band, every second hop: salience of C1–B3 is the geometric mean of the note's
 * fundamental, octave and twelfth, S(m)·S(m+12)·S(m+19) (a kick's decaying low sine has no such partials).
 * While a detected kick still fills most of the window, the previous bass chroma is held: a kick's thump is louder
 * than the bass line in the same octave, and four-on-the-floor leaves a clean window every beat.
 */
export class BassChroma {
  readonly chroma = new Float32Array(12);
  /** The salient bass note's frequency (0 in silence or before the first estimate). */
  noteHz = 0;
  /** Magnitudes of the newest low-band spectrum (null before the first; kept while a kick holds the chroma). */
  spectrum: Float32Array | null = null;
  private readonly spec: MagnitudeSpectrum;
  private readonly map: SemitoneMap;
  private readonly semis = new Float64Array(BASS_NOTES + 20);
  private readonly acc = new Float64Array(12);
  /** Bass window length in hops: a kick younger than most of it would dominate the low band. */
  readonly holdHops: number;

  constructor(cfg: AnalysisConfig, p: ResolvedParams) {
    this.spec = new MagnitudeSpectrum(p.bassFftSize);
    this.holdHops = Math.round(((BASS_KICK_HOLD * p.bassFftSize) / p.bassRateHz) * p.hopRateHz);
    const binHz = p.bassRateHz / p.bassFftSize;
    this.map = new SemitoneMap(binHz, Math.max(cfg.bassRangeHz[0] * 0.9, binHz), Math.min(3.1 * cfg.bassRangeHz[1], 0.3 * p.bassRateHz));
  }

  /** One hop. `lastKickHop`: the newest kick (the window is held while it dominates); `tuningCents` from the chords. */
  step(inp: HopInput, lastKickHop: number, tuningCents: number): void {
    const kickInWindow = inp.hop - lastKickHop < this.holdHops;
    if (inp.bassRing.written < 1 || inp.hop % 2 !== 0 || kickInWindow) return;
    const silent = inp.silent;
    const bm = inp.bassRing.spectrum(this.spec);
    this.spectrum = bm;
    if (this.map.tuningCents !== tuningCents) this.map.retune(tuningCents);
    this.map.accumulateSemitonePeaks(bm, this.semis, BASS_FIRST_MIDI);
    this.acc.fill(0);
    let bestSal = 0;
    let bestNote = -1;
    for (let m = 0; m < BASS_NOTES; m++) {
      const f = this.semis[m]!;
      const sal = Math.cbrt(f * (this.semis[m + 12]! + 0.05 * f) * (this.semis[m + 19]! + 0.05 * f));
      this.acc[m % 12]! += sal;
      if (sal > bestSal) {
        bestSal = sal;
        bestNote = m;
      }
    }
    // The bass note itself (not just its pitch class): the chord chroma discounts its foreign partials.
    this.noteHz = silent || bestNote < 0 ? 0 : midiToHz(BASS_FIRST_MIDI + bestNote, tuningCents);
    if (silent) this.chroma.fill(0);
    else normaliseMax(this.acc, this.chroma);
  }
}
