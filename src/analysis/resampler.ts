/**
 * Streaming sample-rate conversion of the mono mix, so that the analysis hears any input above 44.1 kHz at 44.1 kHz:
 * every threshold and all three nets were measured and trained on 44.1 kHz renders, and a window of the same number
 * of samples is 8 % shorter at 48 kHz (the rate the line-in opens at). Played at 48 kHz (sox), the five tuned sets lost
 * snare F on 28 songs and gained on 10 (targets 98 → 93 of 114), kick targets 96 → 94, chord 111 → 109.
 *
 * Band-limited interpolation (J. O. Smith, "Digital Audio Resampling"): each output sample is the input convolved with
 * a Kaiser-windowed sinc centred on its exact position, its taps taken from a table of phases (the position's fraction
 * of an input sample; exact for rates in a small whole-number ratio, as 48000/44100 = 160/147). The analysis reads
 * nothing above 16 kHz (its top drum band), so the kernel need only pass that band flat and stop what would fold into
 * it: content above 28.1 kHz (44.1 − 16). What lies between the output's Nyquist frequency and 28.1 kHz folds above
 * 16 kHz, where nothing reads it. So the cutoff sits at the output's Nyquist frequency and the kernel is short:
 * HALF_WIDTH_S either side, 18 taps at 48 kHz (a transition band of about 11 kHz); measured, tones to 16 kHz come out
 * with their error 65 dB down or more, and tones at 30 and 40 kHz from 96 kHz 73 dB down. Higher input rates get more
 * taps (the same span in seconds, so the same transition band in Hz).
 * Written here rather than taken from a library: the converters on npm are WebAssembly builds of libsamplerate with an
 * asynchronous start, or whole-buffer only; the extractor is synchronous and must not allocate per block, and this is
 * one loop over a table.
 *
 * Output sample n lies at input position n · inRate / outRate exactly, so times stay on the input's clock; it is
 * produced once the input reaches HALF_WIDTH_S past it (`lookaheadS`, 0.19 ms). Before the first sample the input is
 * taken as silence, and after the last too once the extractor is flushed (FeatureExtractor.flush).
 */

/**
 * Half the kernel's span, s: 9 taps either side at 48 kHz. With KAISER_BETA the error on tones to 16 kHz stays 65 dB
 * down or more at 48, 88.2 and 96 kHz (8 taps and β 6: 56 dB at 14 kHz from 88.2 kHz; 8 and β 7: 50 dB at 16 kHz).
 */
const HALF_WIDTH_S = 9 / 48000;
/** Kaiser window β (see HALF_WIDTH_S). */
const KAISER_BETA = 7;
/** Cutoff as a share of the output's Nyquist frequency (see above). */
const CUTOFF_SHARE = 1;
/**
 * Most phases tabled; ratios with a larger denominator take the nearest tabled phase (an error under 1/2048 sample).
 */
const MAX_PHASES = 1024;

export class Resampler {
  /** Input samples per output sample, as the fraction step = whole + num/den. */
  private readonly whole: number;
  private readonly num: number;
  private readonly den: number;
  private readonly phases: number;
  /** Taps per phase (2 · half width). */
  readonly taps: number;
  private readonly half: number;
  /**
   * (phases + 1) × taps coefficients, each phase summing to 1: phase `phases` is a whole sample on, so rounding to the
   * nearest phase never reads past the taps of the position's own sample.
   */
  private readonly table: Float64Array;
  /** Input history: buf[i] is input sample bufStart + i. */
  private buf: Float64Array;
  private bufStart: number;
  private bufLen: number;
  /** The next output's position: whole input sample `pos` plus frac/den. */
  private pos = 0;
  private frac = 0;

  constructor(
    readonly inRateHz: number,
    readonly outRateHz: number,
  ) {
    if (!(Number.isInteger(inRateHz) && Number.isInteger(outRateHz) && inRateHz > 0 && outRateHz > 0)) {
      throw new RangeError(`resampler: rates ${inRateHz} → ${outRateHz} Hz must be positive whole numbers`);
    }
    const g = gcd(inRateHz, outRateHz);
    const n = inRateHz / g;
    this.den = outRateHz / g;
    this.whole = Math.floor(n / this.den);
    this.num = n % this.den;
    this.phases = Math.min(this.den, MAX_PHASES);
    this.half = Math.max(2, Math.round(HALF_WIDTH_S * inRateHz));
    this.taps = 2 * this.half;
    // Cutoff in cycles per input sample: below both Nyquist frequencies.
    const fc = (CUTOFF_SHARE * 0.5 * Math.min(inRateHz, outRateHz)) / inRateHz;
    this.table = new Float64Array((this.phases + 1) * this.taps);
    const i0 = besselI0(KAISER_BETA);
    for (let p = 0; p <= this.phases; p++) {
      const phi = p / this.phases;
      let sum = 0;
      for (let j = 0; j < this.taps; j++) {
        // Tap j reads input sample pos − half + 1 + j, at this distance from the output's position.
        const tau = phi + this.half - 1 - j;
        const x = tau / this.half;
        const w = Math.abs(x) < 1 ? besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / i0 : 0;
        const h = 2 * fc * sinc(2 * fc * tau) * w;
        this.table[p * this.taps + j] = h;
        sum += h;
      }
      for (let j = 0; j < this.taps; j++) this.table[p * this.taps + j]! /= sum;
    }
    // The silence before the stream: the first output (at input 0) reads half − 1 samples before it.
    this.buf = new Float64Array(4 * this.taps + 1024);
    this.bufStart = -(this.half - 1);
    this.bufLen = this.half - 1;
  }

  /** How far past an output's position the input must reach before it is produced (s). */
  get lookaheadS(): number {
    return this.half / this.inRateHz;
  }

  /** The same in input samples (what flushing the end of a stream pushes). */
  get lookaheadSamples(): number {
    return this.half;
  }

  /** Output samples that `inputSamples` more input can give at most (for sizing the output buffer). */
  maxOutput(inputSamples: number): number {
    return Math.ceil(((inputSamples + 1) * this.den) / (this.whole * this.den + this.num)) + 1;
  }

  /**
   * Takes `n` input samples from `input` and writes the outputs they complete to `out` (from index 0), returning how
   * many. `out` must hold `maxOutput(n)`.
   */
  process(input: ArrayLike<number>, n: number, out: Float64Array): number {
    this.append(input, n);
    const { table, taps, half, whole, num, den, phases } = this;
    const buf = this.buf;
    const last = this.bufStart + this.bufLen - 1;
    const start = this.bufStart;
    let pos = this.pos;
    let frac = this.frac;
    let count = 0;
    while (pos + half <= last) {
      const p = phases === den ? frac : Math.floor((frac * phases) / den + 0.5);
      const base = pos - half + 1 - start;
      const off = p * taps;
      // Three running sums: the adds of one no longer wait on the last (9.6 µs a 48 kHz hop against 12.0 with one).
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let j = 0;
      for (; j + 2 < taps; j += 3) {
        s0 += buf[base + j]! * table[off + j]!;
        s1 += buf[base + j + 1]! * table[off + j + 1]!;
        s2 += buf[base + j + 2]! * table[off + j + 2]!;
      }
      for (; j < taps; j++) s0 += buf[base + j]! * table[off + j]!;
      out[count++] = s0 + s1 + s2;
      pos += whole;
      frac += num;
      if (frac >= den) {
        frac -= den;
        pos++;
      }
    }
    this.pos = pos;
    this.frac = frac;
    this.compact();
    return count;
  }

  private append(input: ArrayLike<number>, n: number): void {
    if (this.bufLen + n > this.buf.length) {
      const grown = new Float64Array(Math.max(2 * this.buf.length, this.bufLen + n));
      grown.set(this.buf.subarray(0, this.bufLen));
      this.buf = grown;
    }
    const buf = this.buf;
    for (let i = 0, j = this.bufLen; i < n; i++, j++) buf[j] = input[i]!;
    this.bufLen += n;
  }

  /** Drops the input no later output reads (before the next output's first tap). */
  private compact(): void {
    const keepFrom = this.pos - this.half + 1 - this.bufStart;
    if (keepFrom <= 0) return;
    this.buf.copyWithin(0, keepFrom, this.bufLen);
    this.bufLen -= keepFrom;
    this.bufStart += keepFrom;
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** The modified Bessel function of the first kind, order 0 (its power series; converges fast for β ≤ 10). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}
