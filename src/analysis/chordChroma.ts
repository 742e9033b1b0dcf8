import type { AnalysisConfig } from './config.js';
import type { HopInput, ResolvedParams } from './hopInput.js';
import { MagnitudeSpectrum } from './fft.js';
import { CausalHpss } from './hpss.js';
import { SemitoneMap, TuningEstimator, normaliseMax } from './chroma.js';

/**
 * Chord chroma: peak-based pitch classes of the harmonic part (causal HPSS) of a `chromaFftSize` spectrum, every
 * `chromaEveryHops` hops, with the tuning followed over seconds. Partials of the current bass note that are not
 * chord tones are discounted (see bassPartialWeight in chroma.ts).
 */
export class ChordChroma {
  /** Normalised to max 1; zeros in silence. Updated in place. */
  readonly chroma = new Float32Array(12);
  private readonly cfg: AnalysisConfig;
  private readonly spec: MagnitudeSpectrum;
  private readonly hpss: CausalHpss;
  private readonly map: SemitoneMap;
  private readonly tuning: TuningEstimator;
  private readonly acc = new Float64Array(12);
  private frames = 0;

  constructor(cfg: AnalysisConfig, p: ResolvedParams) {
    this.cfg = cfg;
    const nyquist = p.sampleRate / 2;
    this.spec = new MagnitudeSpectrum(p.chromaFftSize);
    const binHz = p.sampleRate / p.chromaFftSize;
    const hiHz = Math.min(cfg.chromaRangeHz[1], 0.9 * nyquist);
    this.map = new SemitoneMap(binHz, cfg.chromaRangeHz[0], hiHz);
    this.hpss = new CausalHpss(
      this.spec.bins,
      this.map.lo,
      Math.min(this.spec.bins, this.map.hi),
      Math.max(1, Math.round(cfg.hpssFreqKernelHz / 2 / binHz)),
      cfg.chromaHpssFrames,
      Math.min(cfg.hpssLookaheadFrames, cfg.chromaHpssFrames - 1),
    );
    const chromaRate = p.hopRateHz / cfg.chromaEveryHops;
    // Updated every fourth chroma frame; a 5 s memory.
    this.tuning = new TuningEstimator(binHz, this.map.lo, this.map.hi, Math.exp(-4 / (5 * chromaRate)));
  }

  /** Tuning of the semitone grid, cents against A = 440 Hz (shared with the bass). */
  get tuningCents(): number {
    return this.map.tuningCents;
  }

  /** One hop; `bassNoteHz` is the current bass note (0 = none). Returns true when the chroma was recomputed. */
  step(inp: HopInput, bassNoteHz: number): boolean {
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
        if (Math.abs(cents - this.map.tuningCents) > 3) this.map.retune(cents);
      }
    }
    this.map.accumulateChromaPeaks(harm, this.acc, bassNoteHz);
    if (silent) this.chroma.fill(0);
    else normaliseMax(this.acc, this.chroma);
    return true;
  }
}
