import type { AnalysisConfig } from './config.js';
import { MagnitudeSpectrum, nearestPowerOfTwo } from './fft.js';
import { PeakNormaliser } from './onsets.js';
import { SilenceGate, type LineHum } from './silenceGate.js';

/** Parameters resolved for one sample rate (sizes in samples/bins). */
export interface ResolvedParams {
  sampleRate: number;
  hopSamples: number;
  hopRateHz: number;
  onsetFftSize: number;
  chromaFftSize: number;
  bassDecimation: number;
  bassRateHz: number;
  /** The decimator's anti-alias low-pass (Hz). */
  bassCutoffHz: number;
  bassFftSize: number;
}

/** The rate the analysis was tuned at (Hz). */
export const ANALYSIS_RATE_HZ = 44100;

/**
 * The rate the analysis runs at for an input at `inputRateHz`: 44.1 kHz for any input above it (resampled,
 * resampler.ts), which is the rate every threshold and net was tuned on; lower rates as they come (their windows
 * scaled to the same lengths in ms, below).
 */
export function analysisRateOf(inputRateHz: number): number {
  checkRate(inputRateHz);
  return inputRateHz > ANALYSIS_RATE_HZ ? ANALYSIS_RATE_HZ : inputRateHz;
}

function checkRate(sampleRate: number): void {
  if (!(sampleRate >= 4000 && sampleRate <= 768000)) {
    throw new RangeError(`analysis: sample rate ${sampleRate} Hz is outside 4000–768000 Hz`);
  }
}

/** FFT sizes are tuned at 44.1/48 kHz; other rates get the power of two nearest to the same window in ms. */
export function resolveParams(cfg: AnalysisConfig, sampleRate: number): ResolvedParams {
  checkRate(sampleRate);
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
    bassCutoffHz: Math.min(900, (0.3 * sampleRate) / bassDecimation),
    bassFftSize: cfg.bassFftSize,
  };
}

/** A power-of-two circular buffer of samples addressed by absolute sample index (`written` = samples so far). */
export class SampleRing {
  readonly data: Float32Array;
  readonly mask: number;
  written = 0;

  constructor(minSize: number) {
    const size = nearestPowerOfTwo(Math.max(2, minSize));
    this.data = new Float32Array(size < minSize ? size * 2 : size);
    this.mask = this.data.length - 1;
  }

  push(s: number): void {
    this.data[this.written & this.mask] = s;
    this.written++;
  }

  /** Appends `n` samples of `src`. */
  pushBlock(src: Float64Array, n: number): void {
    const data = this.data;
    const mask = this.mask;
    let w = this.written;
    for (let i = 0; i < n; i++) data[w++ & mask] = src[i]!;
    this.written = w;
  }

  /** Magnitude spectrum of the newest `spec.size` samples. */
  spectrum(spec: MagnitudeSpectrum): Float32Array {
    return spec.computeFromRing(this.data, this.mask, this.written);
  }
}

/**
 * What every feature extractor sees of one hop, computed once: the hop's level, the silence decision, the onset
 * spectrum (its window ends at the newest sample) with its power in three bands, and the sample rings for
 * extractors that need windows of their own. One object, refilled every hop (extractors copy what they keep).
 */
export interface HopInput {
  /** Hop index (0 for the first). */
  hop: number;
  /** RMS of this hop's samples. */
  rmsRaw: number;
  /** Under the silence level (SilenceGate): extractors report nothing new. */
  silent: boolean;
  /** Running input level (decaying peak of the hop RMS, never below `levelFloorDb`). */
  level: number;
  /** Onset spectrum magnitudes (`onsetFftSize` window). */
  onsetMag: Float32Array;
  onsetBinHz: number;
  /** Power of the onset spectrum below 200 Hz, 200 Hz–4 kHz, above 4 kHz. */
  lowPower: number;
  midPower: number;
  highPower: number;
  /** Input after gain and DC blocking, and the decimated low band (for the bass). */
  ring: SampleRing;
  bassRing: SampleRing;
}

/** Fills the shared HopInput from the rings once per hop. */
export class HopFrontEnd {
  readonly input: HopInput;
  private readonly onsetSpec: MagnitudeSpectrum;
  private readonly levelPeak: PeakNormaliser;
  /** The silence decision (silenceGate.ts). */
  private readonly gate: SilenceGate;
  private readonly lowHi: number;
  private readonly midHi: number;

  /** `hum`: mains hum in the low band (humCanceller.ts), for the silence gate. */
  constructor(
    cfg: AnalysisConfig,
    p: ResolvedParams,
    ring: SampleRing,
    bassRing: SampleRing,
    hum?: LineHum,
  ) {
    this.gate = new SilenceGate(cfg, p, hum);
    this.onsetSpec = new MagnitudeSpectrum(p.onsetFftSize);
    const binHz = p.sampleRate / p.onsetFftSize;
    const decay = Math.exp(-p.hopSamples / (cfg.normDecayS * p.sampleRate));
    const levelFloor = Math.pow(10, cfg.levelFloorDb / 20);
    this.levelPeak = new PeakNormaliser(decay, levelFloor);
    this.lowHi = Math.max(1, Math.round(200 / binHz));
    this.midHi = Math.max(2, Math.round(Math.min(4000, 0.45 * p.sampleRate) / binHz));
    this.input = {
      hop: -1,
      rmsRaw: 0,
      silent: true,
      level: levelFloor,
      onsetMag: this.onsetSpec.mag,
      onsetBinHz: binHz,
      lowPower: 0,
      midPower: 0,
      highPower: 0,
      ring,
      bassRing,
    };
  }

  get onsetBins(): number {
    return this.onsetSpec.bins;
  }

  /** Computes the hop's shared input from its sum of squares. */
  next(hopSumSq: number, hopSamples: number): HopInput {
    const inp = this.input;
    inp.hop++;
    const rmsRaw = Math.sqrt(hopSumSq / hopSamples);
    inp.rmsRaw = rmsRaw;
    // The onset spectra are divided by the running level before compression, so envelopes do not depend on it.
    this.levelPeak.next(rmsRaw);
    inp.level = this.levelPeak.current;
    const mag = inp.ring.spectrum(this.onsetSpec);
    let low = 0;
    let mid = 0;
    let high = 0;
    const { lowHi, midHi } = this;
    // Three straight loops rather than one with a branch per bin (this runs every hop over all bins).
    const n = mag.length;
    const a = Math.min(lowHi, n);
    const b = Math.min(Math.max(midHi, a), n);
    for (let k = 1; k < a; k++) low += mag[k]! * mag[k]!;
    for (let k = a; k < b; k++) mid += mag[k]! * mag[k]!;
    for (let k = b; k < n; k++) high += mag[k]! * mag[k]!;
    inp.lowPower = low;
    inp.midPower = mid;
    inp.highPower = high;
    inp.silent = this.gate.step(rmsRaw, low, mid, high);
    return inp;
  }
}
