import { createRequire } from 'node:module';

/**
 * Real FFT magnitude spectrum over preallocated buffers. The transform itself is the installed `fft.js` (a radix-4
 * real transform; its own benchmark puts it ahead of the other pure-JS FFTs, and in our profile the 2048 + 4096/3
 * + 512/2 points per hop cost about a third of the analysis), so we did not write our own. It is wrapped so that
 * nothing is allocated per call: the windowed input, the complex output and the magnitudes are reused.
 */
interface FftJs {
  size: number;
  realTransform(out: ArrayLike<number>, input: ArrayLike<number>): void;
}
type FftCtor = new (size: number) => FftJs;
const FFT = createRequire(import.meta.url)('fft.js') as FftCtor;

export function isPowerOfTwo(n: number): boolean {
  return n >= 2 && (n & (n - 1)) === 0;
}

/** Nearest power of two (in the log domain) to `n`, at least 2. */
export function nearestPowerOfTwo(n: number): number {
  return Math.max(2, 2 ** Math.round(Math.log2(Math.max(2, n))));
}

/** Periodic Hann window of length n. */
export function hann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

export class MagnitudeSpectrum {
  readonly size: number;
  /** Number of bins kept: size/2 (DC … just below Nyquist; fft.js fills only these). */
  readonly bins: number;
  /** |X[k]| of the last transform, scaled so that a full-scale sine has magnitude ≈ 1. */
  readonly mag: Float32Array;
  private readonly fft: FftJs;
  private readonly window: Float64Array;
  private readonly frame: Float64Array;
  private readonly out: Float64Array;
  private readonly scale: number;

  constructor(size: number) {
    if (!isPowerOfTwo(size)) throw new Error(`analysis: FFT size ${size} is not a power of two`);
    this.size = size;
    this.bins = size / 2;
    this.fft = new FFT(size);
    this.window = hann(size);
    this.frame = new Float64Array(size);
    this.out = new Float64Array(size * 2);
    this.mag = new Float32Array(this.bins);
    // Hann has coherent gain 0.5: a full-scale sine gives |X| = size/4.
    this.scale = 4 / size;
  }

  /**
   * Transforms the `size` samples of `ring` that end at absolute sample index `end` (exclusive). `ring` is a
   * power-of-two circular buffer addressed by absolute index & mask.
   */
  computeFromRing(ring: Float32Array, mask: number, end: number): Float32Array {
    const n = this.size;
    const f = this.frame;
    const w = this.window;
    // Two contiguous runs instead of masking every index.
    const start = (end - n) & mask;
    const firstRun = Math.min(n, mask + 1 - start);
    for (let i = 0; i < firstRun; i++) f[i] = ring[start + i]! * w[i]!;
    for (let i = firstRun; i < n; i++) f[i] = ring[i - firstRun]! * w[i]!;
    this.fft.realTransform(this.out, f);
    const o = this.out;
    const m = this.mag;
    const s = this.scale;
    for (let k = 0, j = 0; k < this.bins; k++, j += 2) {
      const re = o[j]!;
      const im = o[j + 1]!;
      m[k] = Math.sqrt(re * re + im * im) * s;
    }
    return m;
  }
}
