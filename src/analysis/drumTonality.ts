/**
 * How tonal a drum candidate's rise is. A drum's attack is noise: its spectrum rises over the whole 1–8 kHz band
 * at once. A chord or a bass note struck with a hammer or a pick rises at its partials, a few narrow peaks with
 * little between them. The peakedness of the positive spectral difference (this hop against LAG_HOPS before) over
 * the band tells them apart: Σd²·n / (Σd)², 1 for a perfectly even rise, about n / (bins risen) for a sparse one.
 * Corpus, kicks and snares fired in drumless passages: 1.7–13; true ones where no cymbal is heard: 1.4–1.6.
 * Hand-written: a copy of the band per hop into a ring and two sums on the hops that need them.
 */
import { CYMBAL_HIT } from './drumHits.js';

const LAG_HOPS = 2;
const RING = 4;
/**
 * The test applies only where no cymbal has been heard for KIT_MEMORY_S (a hit: the hats envelope rising over
 * CYMBAL_HIT, as in drumHits.ts): hats, rides and crashes are noise that pitched instruments seldom make, and every
 * drum part of ours keeps time on one, while drumless passages have none. Under a cymbal a kick or snare may come
 * with a chord and rise as tonally (true kicks with cymbals read up to 5 on some kits). Without one, a rise more
 * peaked than TONAL_PEAKEDNESS is no drum.
 * Corpus: every true kick or snare that rose more peaked than that had a cymbal within 1 s; a bar of 4/4 at 80 BPM
 * is 3 s. A longer memory lets the chords of a break's first seconds through (one kick at 3.98 s in the EDM break).
 */
const KIT_MEMORY_S = 3;
const TONAL_PEAKEDNESS = 1.7;

export class DrumTonality {
  private readonly lo: number;
  private readonly kitMemoryHops: number;
  private lastCymbalHop = -1e9;
  private cymbalAbove = false;
  private readonly width: number;
  private readonly ring: Float32Array;
  private hop = 0;

  /** `binHz`, `bins`: the onset spectrum's bin width and count; the band measured, Hz. */
  constructor(binHz: number, bins: number, loHz: number, hiHz: number, hopRateHz: number) {
    this.kitMemoryHops = Math.round(KIT_MEMORY_S * hopRateHz);
    this.lo = Math.min(bins - 2, Math.max(1, Math.round(loHz / binHz)));
    const hi = Math.min(bins, Math.max(this.lo + 2, Math.round(hiHz / binHz)));
    this.width = hi - this.lo;
    this.ring = new Float32Array(RING * this.width);
  }

  /** A cymbal hit is a rising edge of the hats envelope (normalised, 0..1) over CYMBAL_HIT. */
  hats(envelope: number, hop: number): void {
    const above = envelope >= CYMBAL_HIT;
    if (above && !this.cymbalAbove) this.lastCymbalHop = hop;
    this.cymbalAbove = above;
  }

  /** A kick or snare candidate at `hop` (after push and hats of that hop) rose like a pitched note, no kit heard. */
  tonal(hop: number): boolean {
    return hop - this.lastCymbalHop > this.kitMemoryHops && this.peakedness() > TONAL_PEAKEDNESS;
  }

  /** Stores this hop's band of the onset magnitude spectrum. */
  push(mag: Float32Array): void {
    this.ring.set(mag.subarray(this.lo, this.lo + this.width), (this.hop % RING) * this.width);
    this.hop++;
  }

  /** Peakedness of the last pushed hop's rise over the band (0 where nothing rose or before LAG_HOPS hops). */
  peakedness(): number {
    if (this.hop <= LAG_HOPS) return 0;
    const w = this.width;
    const now = ((this.hop - 1) % RING) * w;
    const before = ((this.hop - 1 - LAG_HOPS) % RING) * w;
    const r = this.ring;
    let s = 0;
    let s2 = 0;
    for (let k = 0; k < w; k++) {
      const d = r[now + k]! - r[before + k]!;
      if (d > 0) {
        s += d;
        s2 += d * d;
      }
    }
    return s > 0 ? (s2 * w) / (s * s) : 0;
  }
}
