/**
 * Small IIR building blocks for the per-sample path (DC blocking, the bass decimator's anti-alias low-pass, the
 * click reader's band-pass).
 * Written here because they are a few lines each and must run allocation-free inside the sample loop.
 */

/** One biquad section, transposed direct form II, RBJ cookbook low-, high- or band-pass. */
export class Biquad {
  private b0 = 1;
  private b1 = 0;
  private b2 = 0;
  private a1 = 0;
  private a2 = 0;
  private z1 = 0;
  private z2 = 0;

  static lowpass(cutoffHz: number, q: number, sampleRate: number): Biquad {
    const bq = new Biquad();
    const w0 = (2 * Math.PI * Math.min(cutoffHz, 0.45 * sampleRate)) / sampleRate;
    const cos = Math.cos(w0);
    const alpha = Math.sin(w0) / (2 * q);
    const a0 = 1 + alpha;
    bq.b0 = (1 - cos) / 2 / a0;
    bq.b1 = (1 - cos) / a0;
    bq.b2 = (1 - cos) / 2 / a0;
    bq.a1 = (-2 * cos) / a0;
    bq.a2 = (1 - alpha) / a0;
    return bq;
  }

  static highpass(cutoffHz: number, q: number, sampleRate: number): Biquad {
    const bq = new Biquad();
    const w0 = (2 * Math.PI * Math.min(cutoffHz, 0.45 * sampleRate)) / sampleRate;
    const cos = Math.cos(w0);
    const alpha = Math.sin(w0) / (2 * q);
    const a0 = 1 + alpha;
    bq.b0 = (1 + cos) / 2 / a0;
    bq.b1 = -(1 + cos) / a0;
    bq.b2 = (1 + cos) / 2 / a0;
    bq.a1 = (-2 * cos) / a0;
    bq.a2 = (1 - alpha) / a0;
    return bq;
  }

  /** RBJ band-pass with 0 dB at `centreHz`. */
  static bandpass(centreHz: number, q: number, sampleRate: number): Biquad {
    const bq = new Biquad();
    const w0 = (2 * Math.PI * Math.min(centreHz, 0.45 * sampleRate)) / sampleRate;
    const alpha = Math.sin(w0) / (2 * q);
    const a0 = 1 + alpha;
    bq.b0 = alpha / a0;
    bq.b1 = 0;
    bq.b2 = -alpha / a0;
    bq.a1 = (-2 * Math.cos(w0)) / a0;
    bq.a2 = (1 - alpha) / a0;
    return bq;
  }

  /** Forgets the past input (a fresh run over other samples). */
  reset(): void {
    this.z1 = 0;
    this.z2 = 0;
  }

  /** Filters `n` samples of `buf` in place (the same arithmetic as `process`, with the state in locals). */
  processBlock(buf: Float64Array, n: number): void {
    const { b0, b1, b2, a1, a2 } = this;
    let z1 = this.z1;
    let z2 = this.z2;
    for (let i = 0; i < n; i++) {
      const x = buf[i]!;
      const y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      buf[i] = y;
    }
    this.z1 = z1;
    this.z2 = z2;
  }

  process(x: number): number {
    const y = this.b0 * x + this.z1;
    this.z1 = this.b1 * x - this.a1 * y + this.z2;
    this.z2 = this.b2 * x - this.a2 * y;
    return y;
  }
}

/** Q factors of the biquad sections of an 8th-order Butterworth low-pass. */
const BUTTERWORTH8_Q = [0.5098, 0.6013, 0.9, 2.5629];

/**
 * Integer-factor decimator: 8th-order Butterworth low-pass at `cutoffHz`, then every `factor`-th sample.
 * Delay: the filter's group delay at low frequencies is about 1.5/cutoff (≈ 4 ms at 400 Hz).
 */
export class Decimator {
  private readonly sections: Biquad[];
  private phase = 0;

  constructor(
    readonly factor: number,
    cutoffHz: number,
    sampleRate: number,
  ) {
    this.sections = BUTTERWORTH8_Q.map((q) => Biquad.lowpass(cutoffHz, q, sampleRate));
  }

  /**
   * Feeds `n` samples of `buf` (overwritten: it is filtered in place, section by section, which keeps each
   * section's state in registers) and writes the output samples to `out` from index 0; returns how many.
   */
  pushBlock(buf: Float64Array, n: number, out: Float64Array): number {
    for (const s of this.sections) s.processBlock(buf, n);
    let count = 0;
    let phase = this.phase;
    for (let i = 0; i < n; i++) {
      phase++;
      if (phase >= this.factor) {
        phase = 0;
        out[count++] = buf[i]!;
        this.value = buf[i]!;
      }
    }
    this.phase = phase;
    return count;
  }

  /** Feeds one input sample; returns true when an output sample is ready in `value`. */
  value = 0;
  push(x: number): boolean {
    const s = this.sections;
    const y = s[3]!.process(s[2]!.process(s[1]!.process(s[0]!.process(x))));
    this.phase++;
    if (this.phase >= this.factor) {
      this.phase = 0;
      this.value = y;
      return true;
    }
    return false;
  }
}

/** One-pole DC blocker: y = x − x₋₁ + r·y₋₁, corner ≈ (1 − r)·sr/2π. */
export class DcBlocker {
  private x1 = 0;
  private y1 = 0;
  private readonly r: number;
  constructor(cornerHz: number, sampleRate: number) {
    this.r = Math.exp((-2 * Math.PI * cornerHz) / sampleRate);
  }
  /** Filters `n` samples of `buf` in place. */
  processBlock(buf: Float64Array, n: number): void {
    const r = this.r;
    let x1 = this.x1;
    let y1 = this.y1;
    for (let i = 0; i < n; i++) {
      const x = buf[i]!;
      const y = x - x1 + r * y1;
      x1 = x;
      y1 = y;
      buf[i] = y;
    }
    this.x1 = x1;
    this.y1 = y1;
  }

  process(x: number): number {
    const y = x - this.x1 + this.r * this.y1;
    this.x1 = x;
    this.y1 = y;
    return y;
  }
}
