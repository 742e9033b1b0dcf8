/**
 * A cue mean-removed into a ring and its leaky autocorrelation at lag 0 and from `lagMin` up, updated every hop:
 * what the drum and hats pulses (drumPulse.ts, hatsPulse.ts) read periods from. Hand-written: it runs every hop
 * over up to a few hundred lags.
 */
export class LeakyAcf {
  /** Autocorrelation by lag in hops (lags 1 … lagMin − 1 stay 0). */
  readonly acf: Float64Array;
  /** The mean-removed cue, a ring whose newest value is at (n − 1) mod its length (what a pulse train reads). */
  readonly env: Float32Array;
  private mean = 0;
  /** Values pushed in all. */
  n = 0;

  /** `keep`: the per-hop leak of both the mean and the autocorrelation; `ringLength`: the history kept (≥ lags). */
  constructor(
    private readonly keep: number,
    lags: number,
    readonly lagMin: number,
    ringLength = lags,
  ) {
    this.acf = new Float64Array(lags);
    this.env = new Float32Array(ringLength);
  }

  push(value: number): void {
    const k = this.keep;
    this.mean = k * this.mean + (1 - k) * value;
    const x = value - this.mean;
    const env = this.env;
    const L = env.length;
    const at = this.n % L;
    env[at] = x;
    const acf = this.acf;
    const kx = (1 - k) * x;
    acf[0] = k * acf[0]! + kx * x;
    const maxLag = Math.min(acf.length - 1, this.n);
    // The ring index walks down and wraps (no modulo per lag).
    let j = at - this.lagMin;
    for (let lag = this.lagMin; lag <= maxLag; lag++, j--) {
      if (j < 0) j += L;
      acf[lag] = k * acf[lag]! + kx * env[j]!;
    }
    this.n++;
  }

  /** Keeps `share` of the autocorrelation (its past forgotten but for that). */
  forget(share: number): void {
    for (let i = 0; i < this.acf.length; i++) this.acf[i]! *= share;
  }
}
