import type { AnalysisConfig } from './config.js';
import type { FeatureEvent, Features } from './types.js';
import { MagnitudeSpectrum, nearestPowerOfTwo } from './fft.js';
import { CausalHpss } from './hpss.js';
import { SemitoneMap, TuningEstimator, midiToHz, normaliseMax } from './chroma.js';
import { Decimator, DcBlocker } from './filters.js';
import { LogBandFilterbank, OnsetPicker, PeakNormaliser, SectionLevel, SuperFlux, logCompress, type BandRange } from './onsets.js';
import { TempoTracker, type TempoCue } from './tempo.js';
import { SectionTracker } from './sections.js';

/**
 * The streaming feature extractor: mono samples in, one Features record per hop out. Pure and deterministic
 * (no clock, no I/O); the RxJS operators in index.ts own one instance per subscriber.
 *
 * Timing. A record is stamped `t` = the time of the newest sample it has seen (the end of its hop), which is when
 * it became available. No stage looks ahead of that sample, so every latency below comes from window lengths:
 *   - onsets: the onset FFT window ends at `t`; a hit is detected on the rising edge of its flux, typically two
 *     hops after it enters the window (median measured 20–23 ms, see tools/eval-analysis.ts); a kick waits up to
 *     KICK_ARM_HOPS more hops for its confirmations;
 *   - chord chroma: a `chromaFftSize` window (≈ 93 ms), recomputed every `chromaEveryHops` hops, whose harmonic
 *     median needs ⌈chromaHpssFrames/2⌉ frames of a new chord: ≈ 100–150 ms until a chord change shows;
 *   - bass chroma: a `bassFftSize`-point window at ≈ 2.8 kHz (≈ 0.19 s): ≈ 0.1 s until a bass change shows, and
 *     the value is held for 1.45 windows (≈ 0.27 s) after each detected kick, so up to ≈ 0.4 s when a bass change
 *     coincides with a kick;
 *   - tempo/phase: beats are predicted by a phase-locked oscillator and fire on time (see tempo.ts);
 *   - sections: about a second (see sections.ts).
 *   - rmsSlow: a one-pole mean of the power over `rmsSlowS` (2 s): a drop 6 dB louder than its intro reads
 *     half-way up after ≈ 0.8 s (see SectionLevel in onsets.ts).
 *
 * Hot path. `push` and the per-hop work allocate nothing except the emitted record itself (a fresh object with
 * two 12-value arrays, because subscribers keep records).
 */

/** Parameters resolved for one sample rate (sizes in samples/bins). */
export interface ResolvedParams {
  sampleRate: number;
  hopSamples: number;
  hopRateHz: number;
  onsetFftSize: number;
  chromaFftSize: number;
  bassDecimation: number;
  bassRateHz: number;
  bassFftSize: number;
}

/** FFT sizes are tuned at 44.1/48 kHz; other rates get the power of two nearest to the same window in ms. */
export function resolveParams(cfg: AnalysisConfig, sampleRate: number): ResolvedParams {
  if (!(sampleRate >= 4000 && sampleRate <= 768000)) {
    throw new RangeError(`analysis: sample rate ${sampleRate} Hz is outside 4000–768000 Hz`);
  }
  const nominal = sampleRate >= 40000 && sampleRate <= 50000;
  const size = (n: number): number => (nominal ? n : nearestPowerOfTwo((n * sampleRate) / 44100));
  const hopSamples = cfg.hopSamples
    ? nominal
      ? cfg.hopSamples
      : Math.max(8, Math.round((cfg.hopSamples * sampleRate) / 44100))
    : Math.max(8, Math.round(sampleRate / 100));
  const bassDecimation = Math.max(1, Math.round(sampleRate / cfg.bassDecimatedRateHz));
  return {
    sampleRate,
    hopSamples,
    hopRateHz: sampleRate / hopSamples,
    onsetFftSize: size(cfg.onsetFftSize),
    chromaFftSize: size(cfg.chromaFftSize),
    bassDecimation,
    bassRateHz: sampleRate / bassDecimation,
    bassFftSize: cfg.bassFftSize,
  };
}

/** Natural-log compression gain of the onset bands, applied after dividing by the running input level. */
const LOG_GAMMA = 100;

/**
 * A kick must raise the energy below 200 Hz to this multiple of its mean 3–7 hops before. Stationary noise flickers
 * by far less; a kick over a sustained bass note still does it (it is the loudest thing down there).
 */
const KICK_JUMP = 3;
/** How long (hops) a low-band onset waits for the kick's confirmations. */
const KICK_ARM_HOPS = 3;
/** A kick's click band (1–6 kHz) flux must be at least this share of the hats band flux (raw, per band). */
const KICK_CLICK_OVER_HATS = 0.3;
/** Onset detection latency used to advance the beat oscillator (median measured 20–23 ms on the demo and patterns). */
export const ONSET_LATENCY_S = 0.02;
/** Bass windows (length multiples) after a kick during which the bass chroma is held (measured best on the demo). */
const BASS_KICK_HOLD = 1.45;
/** Lowest and highest MIDI note of the bass salience: C1 … B3 (fundamentals), octaves read up to B4. */
const BASS_FIRST_MIDI = 24;
const BASS_NOTES = 36;

export class FeatureExtractor {
  readonly params: ResolvedParams;
  private readonly cfg: AnalysisConfig;
  private readonly gain: number;
  private readonly silenceAmp: number;
  // Input ring (mono, after gain and DC blocking), power of two, addressed by absolute sample index.
  private readonly ring: Float32Array;
  private readonly ringMask: number;
  private written = 0;
  private hopFill = 0;
  private hopSumSq = 0;
  private readonly dc: DcBlocker;
  // Onset path.
  private readonly onsetSpec: MagnitudeSpectrum;
  private readonly onsetHpss: CausalHpss;
  private readonly bank: LogBandFilterbank;
  private readonly bandMeans: Float32Array;
  private readonly logBands: Float32Array;
  private readonly drumBands: Float32Array;
  private readonly flux: SuperFlux;
  private readonly drumFlux: SuperFlux;
  private readonly fullMeans: Float32Array;
  private readonly fullBands: Float32Array;
  private readonly lowFlux: SuperFlux;
  /** Raw (un-normalised) band fluxes of the last hop, for diagnostics and evaluation tools. */
  readonly diag = { all: 0, kick: 0, snare: 0, hats: 0, click: 0 };
  private readonly ranges: { all: BandRange; kick: BandRange; snare: BandRange; hats: BandRange; click: BandRange };
  private readonly norm: { all: PeakNormaliser; kick: PeakNormaliser; snare: PeakNormaliser; hats: PeakNormaliser };
  private clickPrev = 0;
  private kickArmed = 0;
  private lastKickHop = -1e9;
  /** Bass window length in hops: a kick younger than most of it would dominate the low band. */
  private readonly bassHoldHops: number;
  private kickGateSeen = 0;
  /** Energy below 200 Hz of the last 8 hops: a kick must raise it clearly. */
  private readonly lowHist = new Float64Array(8);
  private readonly pick: { all: OnsetPicker; kick: OnsetPicker; snare: OnsetPicker; hats: OnsetPicker };
  private readonly bandBins: { lowHi: number; midHi: number };
  // Levels.
  private readonly levelPeak: PeakNormaliser;
  private readonly rmsNorm: PeakNormaliser;
  private readonly bandNorm: [PeakNormaliser, PeakNormaliser, PeakNormaliser];
  /** Section energy: raw power over seconds against a reference that adapts over minutes (not the normalised rms). */
  readonly sectionLevel: SectionLevel;
  // Chord chroma path.
  private readonly chromaSpec: MagnitudeSpectrum;
  private readonly chromaHpss: CausalHpss;
  private readonly chromaMap: SemitoneMap;
  private readonly tuning: TuningEstimator;
  private readonly chromaAcc = new Float64Array(12);
  private readonly chroma = new Float32Array(12);
  private chromaFrames = 0;
  // Bass path.
  private readonly decimator: Decimator;
  private readonly bassRing: Float32Array;
  private readonly bassMask: number;
  private bassWritten = 0;
  private readonly bassSpec: MagnitudeSpectrum;
  private readonly bassMap: SemitoneMap;
  private readonly semis = new Float64Array(BASS_NOTES + 20);
  private readonly bassAcc = new Float64Array(12);
  private readonly bassChroma = new Float32Array(12);
  private bassNoteHz = 0;
  // Tempo and sections.
  readonly tempo: TempoTracker;
  private readonly cue: TempoCue;
  private readonly sections: SectionTracker;
  private hops = 0;

  constructor(cfg: AnalysisConfig, sampleRate: number) {
    this.cfg = cfg;
    const p = resolveParams(cfg, sampleRate);
    this.params = p;
    this.gain = Math.pow(10, cfg.inputGainDb / 20);
    this.silenceAmp = Math.pow(10, cfg.silenceDb / 20);
    const ringSize = nearestPowerOfTwo(2 * Math.max(p.onsetFftSize, p.chromaFftSize, p.hopSamples));
    this.ring = new Float32Array(ringSize);
    this.ringMask = ringSize - 1;
    this.dc = new DcBlocker(15, sampleRate);
    const nyquist = sampleRate / 2;

    // Onsets: percussive part of the onset spectrum, log bands at 12 per octave from 30 Hz.
    this.onsetSpec = new MagnitudeSpectrum(p.onsetFftSize);
    const binHz = sampleRate / p.onsetFftSize;
    const topHz = Math.min(cfg.hatsBandHz[1], 0.95 * nyquist);
    const hpssHi = Math.min(this.onsetSpec.bins, Math.ceil(topHz / binHz) + 1);
    this.onsetHpss = new CausalHpss(
      this.onsetSpec.bins,
      1,
      hpssHi,
      Math.max(1, Math.round(cfg.hpssFreqKernelHz / 2 / binHz)),
      1, // percussive only (processPercussive): no harmonic history
      0,
    );
    this.bank = new LogBandFilterbank(binHz, hpssHi, Math.max(20, binHz), topHz, 12);
    this.bandMeans = new Float32Array(this.bank.count);
    this.logBands = new Float32Array(this.bank.count);
    this.drumBands = new Float32Array(this.bank.count);
    this.flux = new SuperFlux(this.bank.count, cfg.fluxLagHops, cfg.fluxMaxFilterBands);
    this.drumFlux = new SuperFlux(this.bank.count, cfg.fluxLagHops, cfg.fluxMaxFilterBands);
    this.fullMeans = new Float32Array(this.bank.count);
    this.fullBands = new Float32Array(this.bank.count);
    this.lowFlux = new SuperFlux(this.bank.count, cfg.fluxLagHops, cfg.fluxMaxFilterBands);
    this.ranges = {
      all: { lo: 0, hi: this.bank.count },
      kick: this.bank.range(cfg.kickBandHz[0], cfg.kickBandHz[1]),
      snare: this.bank.range(cfg.snareBandHz[0], Math.min(cfg.snareBandHz[1], topHz)),
      hats: this.bank.range(Math.min(cfg.hatsBandHz[0], 0.6 * nyquist), topHz + 1),
      click: this.bank.range(cfg.kickClickBandHz[0], Math.min(cfg.kickClickBandHz[1], topHz)),
    };
    const decay = Math.exp(-p.hopSamples / (cfg.normDecayS * sampleRate));
    // Floors of the running peaks, in flux units: below them an envelope is not scaled up (noise stays small).
    const allFloor = 0.02;
    const drumFloor = 0.01;
    this.norm = {
      all: new PeakNormaliser(decay, allFloor),
      kick: new PeakNormaliser(decay, drumFloor),
      snare: new PeakNormaliser(decay, drumFloor),
      hats: new PeakNormaliser(decay, drumFloor),
    };
    const minIoi = Math.max(1, Math.round((cfg.minInterOnsetMs / 1000) * p.hopRateHz));
    const picker = (threshold: number): OnsetPicker => new OnsetPicker(3, 10, threshold, minIoi, cfg.onsetRatio);
    this.pick = {
      all: picker(cfg.onsetThreshold),
      kick: picker(cfg.kickThreshold),
      snare: picker(cfg.snareThreshold),
      hats: picker(cfg.hatsThreshold),
    };
    this.bandBins = {
      lowHi: Math.max(1, Math.round(200 / binHz)),
      midHi: Math.max(2, Math.round(Math.min(4000, 0.9 * nyquist) / binHz)),
    };

    this.levelPeak = new PeakNormaliser(decay, this.silenceAmp);
    this.rmsNorm = new PeakNormaliser(decay, this.silenceAmp);
    this.bandNorm = [
      new PeakNormaliser(decay, this.silenceAmp * this.silenceAmp),
      new PeakNormaliser(decay, this.silenceAmp * this.silenceAmp),
      new PeakNormaliser(decay, this.silenceAmp * this.silenceAmp),
    ];
    this.sectionLevel = new SectionLevel({
      hopRateHz: p.hopRateHz,
      windowS: cfg.rmsSlowS,
      refDb: cfg.rmsSlowRefDb,
      rangeDb: cfg.rmsSlowRangeDb,
      fallDbPerMin: cfg.rmsSlowFallDbPerMin,
      catchUpDbPerMin: cfg.rmsSlowCatchUpDbPerMin,
    });

    // Chord chroma: harmonic part of a longer spectrum.
    this.chromaSpec = new MagnitudeSpectrum(p.chromaFftSize);
    const cBinHz = sampleRate / p.chromaFftSize;
    const cHiHz = Math.min(cfg.chromaRangeHz[1], 0.9 * nyquist);
    this.chromaMap = new SemitoneMap(cBinHz, cfg.chromaRangeHz[0], cHiHz);
    this.chromaHpss = new CausalHpss(
      this.chromaSpec.bins,
      this.chromaMap.lo,
      Math.min(this.chromaSpec.bins, this.chromaMap.hi),
      Math.max(1, Math.round(cfg.hpssFreqKernelHz / 2 / cBinHz)),
      cfg.chromaHpssFrames,
      Math.min(cfg.hpssLookaheadFrames, cfg.chromaHpssFrames - 1),
    );
    const chromaRate = p.hopRateHz / cfg.chromaEveryHops;
    // Updated every fourth chroma frame; a 5 s memory.
    this.tuning = new TuningEstimator(cBinHz, this.chromaMap.lo, this.chromaMap.hi, Math.exp(-4 / (5 * chromaRate)));

    // Bass chroma: decimated low band, long window.
    this.decimator = new Decimator(p.bassDecimation, Math.min(900, 0.3 * p.bassRateHz), sampleRate);
    const bassRingSize = nearestPowerOfTwo(2 * p.bassFftSize);
    this.bassRing = new Float32Array(bassRingSize);
    this.bassMask = bassRingSize - 1;
    this.bassSpec = new MagnitudeSpectrum(p.bassFftSize);
    this.bassHoldHops = Math.round(((BASS_KICK_HOLD * p.bassFftSize) / p.bassRateHz) * p.hopRateHz);
    const bBinHz = p.bassRateHz / p.bassFftSize;
    this.bassMap = new SemitoneMap(bBinHz, Math.max(cfg.bassRangeHz[0] * 0.9, bBinHz), Math.min(3.1 * cfg.bassRangeHz[1], 0.3 * p.bassRateHz));

    this.tempo = new TempoTracker({
      hopRateHz: p.hopRateHz,
      minBpm: cfg.tempoRangeBpm[0],
      maxBpm: cfg.tempoRangeBpm[1],
      priorBpm: cfg.tempoPriorBpm,
      memoryS: cfg.tempoMemoryS,
      latencyS: ONSET_LATENCY_S,
    });
    this.cue = { onset: 0, kick: 0, snare: 0, chroma: this.chroma, bassChroma: this.bassChroma, silent: true };
    this.sections = new SectionTracker({ hopRateHz: p.hopRateHz, minSectionS: cfg.minSectionS, threshold: cfg.noveltyThreshold });
  }

  /**
   * Feeds one block (any number of channels, mixed to mono; any length, one sample included). NaN and infinite
   * samples count as 0; samples are clamped to ±4 so a broken source cannot blow up the running statistics.
   */
  push(channels: readonly Float32Array[], emit: (f: Features) => void): void {
    const nch = channels.length;
    if (nch === 0) return;
    const len = channels[0]!.length;
    const inv = this.gain / nch;
    const hop = this.params.hopSamples;
    for (let i = 0; i < len; i++) {
      let s = 0;
      for (let c = 0; c < nch; c++) {
        const v = channels[c]![i];
        if (v !== undefined && v === v && v !== Infinity && v !== -Infinity) s += v;
      }
      s *= inv;
      if (s > 4) s = 4;
      else if (s < -4) s = -4;
      s = this.dc.process(s);
      this.ring[this.written & this.ringMask] = s;
      this.written++;
      if (this.decimator.push(s)) {
        this.bassRing[this.bassWritten & this.bassMask] = this.decimator.value;
        this.bassWritten++;
      }
      this.hopSumSq += s * s;
      this.hopFill++;
      if (this.hopFill === hop) {
        emit(this.processHop());
        this.hopFill = 0;
        this.hopSumSq = 0;
      }
    }
  }

  private processHop(): Features {
    const cfg = this.cfg;
    const p = this.params;
    const rmsRaw = Math.sqrt(this.hopSumSq / p.hopSamples);
    const silent = !(rmsRaw >= this.silenceAmp);
    // Running input level (decaying peak of the hop RMS, never below the silence level): the onset spectra are
    // divided by it before compression, so the envelopes do not depend on the line-in level.
    this.levelPeak.next(rmsRaw);
    const level = this.levelPeak.current;

    // Onset spectrum, band powers, percussive part.
    const mag = this.onsetSpec.computeFromRing(this.ring, this.ringMask, this.written);
    let low = 0;
    let mid = 0;
    let high = 0;
    const { lowHi, midHi } = this.bandBins;
    for (let k = 1; k < mag.length; k++) {
      const e = mag[k]! * mag[k]!;
      if (k < lowHi) low += e;
      else if (k < midHi) mid += e;
      else high += e;
    }
    this.onsetHpss.processPercussive(mag);
    this.bank.apply2(this.onsetHpss.percussive, this.bandMeans, this.onsetHpss.current, this.fullMeans);
    logCompress(this.bandMeans, LOG_GAMMA / level, this.logBands);
    // The drum bands use a much milder compression (cfg.drumCompression): the kick/snare decision is about how much
    // energy arrives, and a strong log would make a faint beater click or a bass note look as big as a snare.
    logCompress(this.bandMeans, cfg.drumCompression / level, this.drumBands);
    this.flux.update(this.logBands);
    this.drumFlux.update(this.drumBands);
    // The kick's thump is a decaying low sine: in a 46 ms frame it is as narrow as a bass note, so the frequency
    // median cannot call it percussive. Its low-band flux is taken from the whole spectrum, and its percussive
    // evidence is the broadband beater click (the gate below), which bass notes do not have.
    logCompress(this.fullMeans, cfg.drumCompression / level, this.fullBands);
    this.lowFlux.update(this.fullBands);
    const r = this.ranges;
    const fAll = silent ? 0 : this.flux.sum(r.all);
    // Drum fluxes divided by the compression gain: ≈ linear magnitude increase relative to the running level,
    // whatever drumCompression is, so the normalisers' floor keeps its meaning.
    const dg = 1 / cfg.drumCompression;
    const fLow = silent ? 0 : this.lowFlux.sum(r.kick) * dg;
    const fSnare = silent ? 0 : this.drumFlux.sum(r.snare) * dg;
    const fHats = silent ? 0 : this.drumFlux.sum(r.hats) * dg;
    const d = this.diag;
    d.all = fAll;
    d.snare = fSnare;
    d.hats = fHats;
    d.click = silent ? 0 : this.drumFlux.sum(r.click) * dg;
    // Kick gate: the beater click, in level-relative units (not normalised by its own running peak, which snares
    // would set). A transient that is mostly above the click band (a hat) does not count as one.
    const clickNow = d.click >= KICK_CLICK_OVER_HATS * d.hats ? d.click : 0;
    const gate = cfg.kickClickLevel <= 0 ? 1 : Math.min(1, Math.max(clickNow, this.clickPrev) / cfg.kickClickLevel);
    this.clickPrev = clickNow;
    const lowNorm = this.norm.kick.next(fLow);
    d.kick = fLow * gate;
    const onset = {
      all: this.norm.all.next(fAll),
      kick: lowNorm * gate,
      snare: this.norm.snare.next(fSnare),
      hats: this.norm.hats.next(fHats),
    };
    const events: FeatureEvent[] = [];
    const ok = !silent;
    if (this.pick.all.push(onset.all, ok)) events.push('onset');
    let lowBefore = 0;
    for (let i = 3; i < 8; i++) lowBefore += this.lowHist[(this.hops - i) & 7]!;
    lowBefore /= 5;
    // A low-band onset arms the kick for up to KICK_ARM_HOPS hops; it fires as soon as the click has been seen and
    // the low energy has jumped (the thump builds up over a hop or two after the flux peak starts).
    if (this.pick.kick.push(lowNorm, ok)) {
      this.kickArmed = KICK_ARM_HOPS;
      this.kickGateSeen = 0;
    }
    if (this.kickArmed > 0) {
      this.kickArmed--;
      if (gate > this.kickGateSeen) this.kickGateSeen = gate;
      if (ok && this.kickGateSeen >= 0.5 && low >= KICK_JUMP * lowBefore) {
        events.push('kick');
        this.lastKickHop = this.hops;
        this.kickArmed = 0;
      }
    }
    this.lowHist[this.hops & 7] = low;
    if (this.pick.snare.push(onset.snare, ok)) events.push('snare');
    if (this.pick.hats.push(onset.hats, ok)) events.push('hats');

    // Chord chroma every `chromaEveryHops` hops.
    if (this.hops % cfg.chromaEveryHops === 0) {
      const cm = this.chromaSpec.computeFromRing(this.ring, this.ringMask, this.written);
      this.chromaHpss.process(cm);
      const harm = this.chromaHpss.harmonic;
      if (!silent) {
        // Tuning drifts slowly: every fourth chroma frame is plenty (and the peak refinement costs logs).
        if (this.chromaFrames % 4 === 0) this.tuning.update(harm);
        this.chromaFrames++;
        if (this.chromaFrames % 25 === 0) {
          const cents = this.tuning.cents();
          if (Math.abs(cents - this.chromaMap.tuningCents) > 3) this.chromaMap.retune(cents);
        }
      }
      this.chromaMap.accumulateChromaPeaks(harm, this.chromaAcc, this.bassNoteHz);
      if (silent) this.chroma.fill(0);
      else normaliseMax(this.chromaAcc, this.chroma);
    }

    // Bass chroma from the decimated ring, every second hop: salience of C1–B3 is the geometric mean of the note's
    // fundamental, octave and twelfth, S(m)·S(m+12)·S(m+19) (a kick's decaying low sine has no such partials).
    // While a detected kick still fills most of the window, the previous bass chroma is held: a kick's thump is
    // louder than the bass line in the same octave, and four-on-the-floor leaves a clean window every beat.
    const kickInWindow = this.hops - this.lastKickHop < this.bassHoldHops;
    if (this.bassWritten >= 1 && this.hops % 2 === 0 && !kickInWindow) {
      const bm = this.bassSpec.computeFromRing(this.bassRing, this.bassMask, this.bassWritten);
      if (this.bassMap.tuningCents !== this.chromaMap.tuningCents) this.bassMap.retune(this.chromaMap.tuningCents);
      this.bassMap.accumulateSemitonePeaks(bm, this.semis, BASS_FIRST_MIDI);
      this.bassAcc.fill(0);
      let bestSal = 0;
      let bestNote = -1;
      for (let m = 0; m < BASS_NOTES; m++) {
        const f = this.semis[m]!;
        const sal = Math.cbrt(f * (this.semis[m + 12]! + 0.05 * f) * (this.semis[m + 19]! + 0.05 * f));
        this.bassAcc[m % 12]! += sal;
        if (sal > bestSal) {
          bestSal = sal;
          bestNote = m;
        }
      }
      // The bass note itself (not just its pitch class): the chord chroma discounts its foreign partials.
      this.bassNoteHz = silent || bestNote < 0 ? 0 : midiToHz(BASS_FIRST_MIDI + bestNote, this.chromaMap.tuningCents);
      if (silent) this.bassChroma.fill(0);
      else normaliseMax(this.bassAcc, this.bassChroma);
    }

    // Levels. `rms` is fast and normalised by its decaying peak (what flashes want); `rmsSlow` is the raw level over
    // seconds against a minutes-long reference (see SectionLevel), so a loud drop reads above a quiet intro.
    const rms = this.rmsNorm.next(rmsRaw);
    const rmsSlow = this.sectionLevel.next(rmsRaw, silent);
    const bandRms = {
      low: Math.sqrt(this.bandNorm[0].next(low)),
      mid: Math.sqrt(this.bandNorm[1].next(mid)),
      high: Math.sqrt(this.bandNorm[2].next(high)),
    };

    // Tempo from the drum envelopes; downbeat evidence from chroma and drums.
    const cue = this.cue;
    cue.onset = 0.4 * onset.all + 0.3 * lowNorm + 0.3 * onset.snare;
    cue.kick = onset.kick;
    cue.snare = onset.snare;
    cue.silent = silent;
    const ts = this.tempo.step(cue);
    if (ts.beat) events.push('beat');
    if (ts.downbeat) events.push('downbeat');

    if (this.sections.step(low, mid, high, this.chroma, silent)) events.push('section');

    this.hops++;
    return {
      t: this.written / p.sampleRate,
      chroma: Float32Array.from(this.chroma),
      bassChroma: Float32Array.from(this.bassChroma),
      onset,
      events,
      rms,
      rmsSlow,
      bandRms,
      novelty: this.sections.novelty,
      section: this.sections.section,
      tempo: {
        bpm: ts.bpm,
        beatPhase: ts.beatPhase,
        barPhase: ts.barPhase,
        confidence: ts.confidence,
        source: 'analysis',
      },
    };
  }
}
