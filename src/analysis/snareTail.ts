/**
 * Whether a snare candidate's tail darkens like a plucked string's. A snare's wires (a clap's bursts) are noise that
 * fades at much the same pace at every frequency: its rise above 6 kHz keeps step with its rise at 1–8 kHz. A plucked
 * string (a Karplus–Strong pluck, a harpsichord, a clavinet) starts as a broadband burst as flat as a snare's, but its
 * losses grow with frequency: within 30 ms the part above 6 kHz has mostly gone while the partials at 1–8 kHz ring on.
 * So TAIL_HOPS after the candidate's onset the rise over the spectrum PRE_HOPS before it is read in both bands, each
 * against its peak on the hops around the onset: where the 1–8 kHz rise keeps SUSTAIN of its peak, the share kept
 * above 6 kHz over that is the tail's darkening, and under TAIL_DRUM the tail is no drum's.
 * Measured on the corpus and the first four kept-apart sets, on the 126 true snare events that came 2 s or more after
 * the snare event before them (the ones DrumMerge may hold back): those whose 1–8 kHz rise kept half its peak 30 ms on
 * had kept 0.64 or more of their share above 6 kHz (a Zeppelin jazz waltz's snare 0.64, club mixes' first claps
 * 0.65–0.91); the false snares on the pluck chords of the fourth set's EDM drop 0.19–0.46, with 0.60–1.22 of their
 * 1–8 kHz rise kept. 40 ms on they part wider (0.55 against 0.30 at most), but a snare held that long may fall outside
 * 50 ms of its onset (the EDM drop's first clap after its break, which the net picks 15 ms after its onset).
 * Hand-written: a copy of the spectrum from the snare band's foot to the hats band's top per hop into a ring, and the
 * band sums only for the hops of a candidate asked about.
 */

/** Hops before the candidate whose spectrum is the one its rise is read over (before the attack enters the window). */
const PRE_HOPS = 4;
/** Hops after the candidate at which its tail is read (see the figures above). */
export const TAIL_HOPS = 3;
/** Hops around the candidate (from −1) over which each band's peak rise is taken. */
const PEAK_LAST_HOP = 1;
/**
 * Share of its peak 1–8 kHz rise energy a tail must keep to be read at all: a short drum's (an FM kit's snare, a
 * clap's last burst) has gone by then, and a tail that has gone is no plucked string's ringing on.
 */
const SUSTAIN = 0.5;
/** A tail that darkened to under this is no drum's (see the figures above)… */
export const TAIL_DRUM = 0.55;
/**
 * …and one under this a plucked string's beyond doubt: the first pluck of the EDM drop reads 0.22, its others
 * 0.19–0.46,
 * while true snares in a groove, held or not, read from 0.50 (club mixes' claps, whose bursts come and go, 0.50–0.55).
 */
export const TAIL_PLUCKED = 0.4;
const RING = PRE_HOPS + TAIL_HOPS + 1;

export class SnareTail {
  /** Ring bins of the 1–8 kHz band ([midLo, midHi)) and of the band above 6 kHz ([hiLo, width)). */
  private readonly midLo: number;
  private readonly midHi: number;
  private readonly hiLo: number;
  private readonly base: number;
  private readonly width: number;
  private readonly ring: Float32Array;
  /** Hops pushed so far. */
  private count = 0;

  /**
   * `binHz`, `bins`: the onset spectrum's bin width and count; `midHz`: the snare band (1–8 kHz), `hiHz`: the band
   * above it whose share is followed (6–16 kHz), both clipped to the spectrum.
   */
  constructor(binHz: number, bins: number, midHz: readonly [number, number], hiHz: readonly [number, number]) {
    const bin = (hz: number): number => Math.min(bins, Math.max(1, Math.round(hz / binHz)));
    this.base = Math.min(bin(midHz[0]), bin(hiHz[0]));
    const top = Math.max(bin(midHz[1]), bin(hiHz[1]), this.base + 1);
    this.width = top - this.base;
    this.midLo = bin(midHz[0]) - this.base;
    this.midHi = Math.max(this.midLo + 1, bin(midHz[1]) - this.base);
    this.hiLo = Math.min(this.width - 1, bin(hiHz[0]) - this.base);
    this.ring = new Float32Array(RING * this.width);
  }

  /** Stores this hop's spectrum (the hop after the previous push). */
  push(mag: Float32Array): void {
    this.ring.set(mag.subarray(this.base, this.base + this.width), (this.count % RING) * this.width);
    this.count++;
  }

  /**
   * How much the tail of the candidate TAIL_HOPS before the last pushed hop darkened: the share of its rise above
   * 6 kHz kept, over the share of its 1–8 kHz rise kept (Infinity where the latter kept under SUSTAIN, or nothing
   * rose: no tail to read). A drum's reads about 1, a plucked string's well under TAIL_DRUM.
   */
  darkening(): number {
    const at = this.count - 1 - TAIL_HOPS;
    // Before the stream's first hop the ring reads zeros, the silence a song starts from.
    const pre = (((at - PRE_HOPS) % RING) + RING) % RING * this.width;
    let midPeak = 0;
    let hiPeak = 0;
    for (let k = -1; k <= PEAK_LAST_HOP; k++) {
      midPeak = Math.max(midPeak, this.rise(pre, at + k, this.midLo, this.midHi));
      hiPeak = Math.max(hiPeak, this.rise(pre, at + k, this.hiLo, this.width));
    }
    if (midPeak <= 0 || hiPeak <= 0) return Infinity;
    const tail = at + TAIL_HOPS;
    const midKept = this.rise(pre, tail, this.midLo, this.midHi) / midPeak;
    if (midKept < SUSTAIN) return Infinity;
    return this.rise(pre, tail, this.hiLo, this.width) / hiPeak / midKept;
  }

  /** Σ of the squared positive rise of `hop`'s spectrum over the row at `pre`, ring bins [lo, hi). */
  private rise(pre: number, hop: number, lo: number, hi: number): number {
    const row = (((hop % RING) + RING) % RING) * this.width;
    const r = this.ring;
    let e = 0;
    for (let k = lo; k < hi; k++) {
      const d = r[row + k]! - r[pre + k]!;
      if (d > 0) e += d * d;
    }
    return e;
  }
}
