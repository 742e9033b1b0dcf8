/**
 * The onset envelope's history and its leaky autocorrelations, for the tempo tracker (tempo.ts): the envelope,
 * mean-removed, in a ring; one autocorrelation with the tracker's memory over lags up to four beats at the slowest
 * tempo, and one with a short memory over two beats, both updated every hop.
 */
export class OnsetAcf {
  /** The mean-removed envelope, newest at (n − 1) mod its length. */
  readonly env: Float32Array;
  /** Autocorrelation with the long memory (lag in hops), and with the short one over its first lags. */
  readonly acf: Float64Array;
  readonly acfShort: Float64Array;
  /** Values pushed so far. */
  n = 0;
  private mean = 0;

  /**
   * `lags`: the longest lag; `keep` and `keepShort`: the per-hop leaks of the two memories; `shortLags`: the short
   * one's longest lag.
   */
  constructor(
    private readonly lags: number,
    private readonly keep: number,
    shortLags: number,
    private readonly keepShort: number,
  ) {
    this.env = new Float32Array(lags + 1);
    this.acf = new Float64Array(lags + 1);
    this.acfShort = new Float64Array(shortLags + 1);
  }

  push(onset: number): void {
    const k = this.keep;
    this.mean = k * this.mean + (1 - k) * onset;
    const x = onset - this.mean;
    const env = this.env;
    const L = env.length;
    env[this.n % L] = x;
    const acf = this.acf;
    const maxLag = Math.min(this.lags, this.n);
    // The ring index walks down and wraps (no modulo per lag: this loop runs over ~400 lags every hop).
    const kx = (1 - k) * x;
    const ks = this.keepShort;
    const ksx = (1 - ks) * x;
    const acfS = this.acfShort;
    const maxShort = Math.min(acfS.length - 1, maxLag);
    let lag = 0;
    let j = this.n % L;
    for (; lag <= maxShort; lag++, j--) {
      if (j < 0) j += L;
      const e = env[j]!;
      acf[lag] = k * acf[lag]! + kx * e;
      acfS[lag] = ks * acfS[lag]! + ksx * e;
    }
    for (; lag <= maxLag; lag++, j--) {
      if (j < 0) j += L;
      acf[lag] = k * acf[lag]! + kx * env[j]!;
    }
    this.n++;
  }

  /** Keeps `share` of the long autocorrelation (its past forgotten but for that). */
  forget(share: number): void {
    for (let i = 0; i < this.acf.length; i++) this.acf[i]! *= share;
  }
}
