/**
 * The beat phase as the onset envelope shows it, for the tempo tracker (tempo.ts): a pulse-train correlation of the
 * recent envelope against beats one period apart (recent beats weighted more), for every phase within the last
 * period. Its best phase is where the last beat was; how far that phase stands out of all phases is its salience.
 */

/** Beats the pulse train reaches back (fewer where the envelope's history is shorter), and each one's weight decay. */
const MAX_BEATS = 8;
const BEAT_DECAY = 0.8;

export class PulseTrain {
  /** Hops back of the best phase (0: the newest hop), its correlation, and its salience (0..1) at the last measure. */
  bestPhi = 0;
  best = 0;
  salience = 0;
  /** Per beat of the train: whole and fractional offsets (hops) and weight, the same for every phase. */
  private readonly whole = new Float64Array(MAX_BEATS);
  private readonly frac = new Float64Array(MAX_BEATS);
  private readonly weight = new Float64Array(MAX_BEATS);

  /**
   * Measures the envelope `env` (a ring whose newest value is at (n − 1) mod its length; `n` values written in all)
   * at period `p` hops.
   */
  measure(env: Float32Array, n: number, p: number): void {
    const L = env.length;
    const beats = Math.max(2, Math.min(MAX_BEATS, Math.floor(L / p) - 1));
    let best = -Infinity;
    let bestPhi = 0;
    const span = Math.floor(p);
    let sumS = 0;
    let worst = Infinity;
    // envAgo(phi + b·p) unrolled: phi is whole, so each beat's whole and fractional offsets and weight are the same
    // for every phi (this loop reads ~400 envelope values every second hop).
    const reach = Math.min(L, n);
    const newest = (n - 1) % L;
    const whole = this.whole;
    const frac = this.frac;
    const weight = this.weight;
    let w = 1;
    for (let b = 0; b < beats; b++) {
      whole[b] = Math.floor(b * p);
      frac[b] = b * p - whole[b]!;
      weight[b] = w;
      w *= BEAT_DECAY;
    }
    for (let phi = 0; phi <= span; phi++) {
      let s = 0;
      for (let b = 0; b < beats; b++) {
        const i = phi + whole[b]!;
        if (i + 1 >= reach) break;
        let at = newest - i;
        if (at < 0) at += L;
        const before = at === 0 ? L - 1 : at - 1;
        const f = frac[b]!;
        s += weight[b]! * (env[at]! * (1 - f) + env[before]! * f);
      }
      sumS += s;
      if (s < worst) worst = s;
      if (s > best) {
        best = s;
        bestPhi = phi;
      }
    }
    this.best = best;
    this.bestPhi = bestPhi;
    // Salience: where the best phase sits between the mean and the worst one. A pulse train over drums has one sharp
    // peak (→ 1); over an envelope without a pulse the best phase is only the luckiest (→ ½).
    this.salience = best > worst ? (best - sumS / (span + 1)) / (best - worst) : 0;
  }
}
