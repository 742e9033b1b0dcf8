/**
 * How much of a hop's 1–16 kHz percussive flux is the snare's and how much the kick's beater click: the flux, summed
 * into a few coarse bands, is unmixed as a·K + b·S over two spectral templates (a two-component NMF with fixed
 * templates per hop, non-negative least squares), and the templates are learnt from this song's own hits.
 *
 * Why: the level of the snare band alone cannot tell a snare from a kick's click. Some kits' clicks are two to three
 * times louder in 1–8 kHz than their snares (the snare normaliser's peak is then set by kicks and the snares fall
 * under the threshold), and claps stacked on four-on-the-floor kicks add only a fifth to the click's energy. The
 * shapes differ, though: a click peaks at 1.5–4 kHz with little at 1–1.5 kHz and above 6 kHz, a snare or clap
 * carries much of its energy at 1–1.5 kHz and above 4 kHz (corpus, per kit, with templates taken from the song's
 * isolated hits: the snare activation of kick-only hits has a median 0.003–0.02, of snares alone 0.08–0.5, of claps
 * on kicks 0.06–0.09). Learnt online, a clap on a kick is not told as reliably from a click (its template is never
 * heard alone): SnareUnmix applies the split only in kits whose snares come apart from their kicks.
 * Hand-written: an 8×2 least-squares fit per hop; no library does this causally at this size.
 */

/** Edges of the coarse bands, Hz (the hats band's top ends the last one). */
const GROUP_EDGES_HZ = [1000, 1500, 2000, 3000, 4000, 6000, 8000, 11000, 16000];
/**
 * The templates a song starts from (shares of the coarse bands' flux, summing to 1): the means of the corpus kits'
 * isolated kicks and snares. They differ mostly at 1–1.5 kHz and above 6 kHz; the song's own hits then sharpen them.
 */
const KICK_PRIOR = [0.08, 0.22, 0.24, 0.2, 0.13, 0.08, 0.03, 0.02];
const SNARE_PRIOR = [0.25, 0.1, 0.15, 0.14, 0.14, 0.11, 0.07, 0.04];
/** Learning rate of the templates per hit (a running mean over about the last 1/rate hits). */
const TEMPLATE_RATE = 0.15;
/** A snare teaches the snare template only if no kick fired within this many hops either side. */
const SNARE_CLEAR_HOPS = 3;

export class DrumTemplates {
  /** Snare part of this hop's flux as a share of it, 0..1 (1 where nothing is the kick's). */
  snareShare = 1;
  /** Activations of the last unmix: the kick's and the snare's flux (coarse-band units). */
  kickAct = 0;
  snareAct = 0;
  readonly kick: Float64Array;
  readonly snare: Float64Array;
  private readonly groupOf: Int32Array;
  private readonly perGroup: Float64Array;
  private readonly v: Float64Array;
  private readonly prev: Float64Array;
  private readonly pendingSnare: Float64Array;
  private readonly scratch: Float64Array;
  private pendingSnareHop = -1;

  /** `centreHz`: centre of each band of the flux that `unmix` gets. */
  constructor(centreHz: Float32Array, topHz: number) {
    const g = GROUP_EDGES_HZ.length - 1;
    this.groupOf = new Int32Array(centreHz.length).fill(-1);
    this.perGroup = new Float64Array(g);
    for (let b = 0; b < centreHz.length; b++) {
      const hz = centreHz[b]!;
      if (hz > topHz) continue;
      for (let i = 0; i < g; i++)
        if (hz >= GROUP_EDGES_HZ[i]! && hz < GROUP_EDGES_HZ[i + 1]!) {
          this.groupOf[b] = i;
          this.perGroup[i]!++;
        }
    }
    this.kick = Float64Array.from(KICK_PRIOR);
    this.snare = Float64Array.from(SNARE_PRIOR);
    this.v = new Float64Array(g);
    this.prev = new Float64Array(g);
    this.pendingSnare = new Float64Array(g);
    this.scratch = new Float64Array(g);
  }

  /** Splits this hop's per-band flux `diff` between the templates (sets snareShare, kickAct, snareAct). */
  unmix(diff: Float32Array): void {
    const { v, prev, groupOf, perGroup, kick: K, snare: S } = this;
    prev.set(v);
    v.fill(0);
    for (let b = 0; b < diff.length; b++) {
      const i = groupOf[b]!;
      if (i >= 0) v[i]! += diff[b]!;
    }
    let kk = 0;
    let ss = 0;
    let ks = 0;
    let kv = 0;
    let sv = 0;
    let total = 0;
    for (let i = 0; i < v.length; i++) {
      const x = perGroup[i]! > 0 ? v[i]! / perGroup[i]! : 0;
      v[i] = x;
      total += x;
      kk += K[i]! * K[i]!;
      ss += S[i]! * S[i]!;
      ks += K[i]! * S[i]!;
      kv += K[i]! * x;
      sv += S[i]! * x;
    }
    // Normal equations of min |v − aK − bS|², with a, b ≥ 0 (the one-template fit where the pair gives a negative).
    const det = kk * ss - ks * ks;
    let a = det > 1e-12 ? (ss * kv - ks * sv) / det : 0;
    let b = det > 1e-12 ? (kk * sv - ks * kv) / det : sv / ss;
    if (a < 0) {
      a = 0;
      b = Math.max(0, sv / ss);
    } else if (b < 0) {
      b = 0;
      a = Math.max(0, kv / kk);
    }
    this.kickAct = a;
    this.snareAct = b;
    this.snareShare = total > 0 ? Math.min(1, b / total) : 1;
  }

  /**
   * A kick fired on this hop: its click over this hop and the last, less the snare part that the fit found (a clap
   * struck with it), teaches the kick template.
   */
  learnKick(): void {
    const { v, prev, snare: S } = this;
    const x = this.scratch;
    let sum = 0;
    for (let i = 0; i < v.length; i++) {
      const e = Math.max(0, v[i]! + prev[i]! - this.snareAct * S[i]!);
      x[i] = e;
      sum += e;
    }
    if (sum > 0) this.teach(this.kick, x, sum);
    // A snare waiting to teach its template came with this kick: it does not.
    this.pendingSnareHop = -1;
  }

  /** A snare fired on this hop: it teaches the snare template SNARE_CLEAR_HOPS later if no kick fired meanwhile. */
  noteSnare(hop: number, lastKickHop: number): void {
    const { v, prev, kick: K, pendingSnare: x } = this;
    if (hop - lastKickHop <= SNARE_CLEAR_HOPS) return;
    for (let i = 0; i < v.length; i++) x[i] = Math.max(0, v[i]! + prev[i]! - this.kickAct * K[i]!);
    this.pendingSnareHop = hop;
  }

  /** Once a hop, after the kick decision: a pending snare that stayed clear of kicks teaches the snare template. */
  settle(hop: number): void {
    if (this.pendingSnareHop < 0 || hop - this.pendingSnareHop < SNARE_CLEAR_HOPS) return;
    const x = this.pendingSnare;
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += x[i]!;
    if (sum > 0) this.teach(this.snare, x, sum);
    this.pendingSnareHop = -1;
  }

  private teach(t: Float64Array, x: Float64Array, sum: number): void {
    for (let i = 0; i < t.length; i++) t[i]! += TEMPLATE_RATE * (x[i]! / sum - t[i]!);
  }
}
