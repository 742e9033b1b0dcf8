/**
 * The pitch a drum leaves in the spectrum, learnt from the detected hits: the kick's in the low band (bassChroma.ts),
 * a tonal snare's in the chord range (chordChroma.ts, without the octave rules below).
 *
 * A drum machine's kick is a decaying sine at one fixed pitch (an 808's or a "boom" kick at 45–60 Hz rings for a
 * second and more), and a sampled kit plays one sample: every kick puts the same low note into the bass window,
 * often louder than the bass line itself, which then reads as a bass note wherever the kick's hold (bassChroma.ts)
 * has run out or a kick was not detected. A bass line moves from chord to chord, so the note that rises at every
 * detected kick is the kick's, not the bass's.
 *
 * At each detected kick the semitone energies once the kick fills the window are compared with those of a frame
 * whose window ended before it. What counts is the rise of a note's fundamental beyond what the rise of its octave
 * bears out (`octaveSupport` times it): a bass note struck with the kick brings its octave partial, the kick's sine
 * none; and beyond the rise an octave below, where a note struck with the kick has its fundamental. That rise,
 * scaled to its largest, goes into a mean over kicks (exponential after the first few); a semitone whose mean stays
 * near the largest (FLAG_SHARE) is the kick's. Only notes below A2 are watched: kick bodies sit under 110 Hz, and
 * above it the octaves of bass notes would be taken for the kick's.
 * Where semitones are narrower than the spectrum's bins (below ≈ 90 Hz in the bass window), a sine between two
 * semitones reads on either from frame to frame, so the kick's neighbours there are the kick's too.
 */

/**
 * Share of a kick's rise that goes into the mean (≈ the last 5 kicks count). 0.1 and 0.3 measured besides: 0.1
 * followed a boom kick slowly; 0.3 let a bass note that rose with a few kicks in a row count (pop-fluid+room 0.92 →
 * 0.89).
 */
const RISE_WEIGHT = 0.2;
/** A semitone is the kick's once its mean rise is at least this share of the largest… */
const FLAG_SHARE = 0.6;
/**
 * …after this many kicks; up to 1 / RISE_WEIGHT kicks the mean is the plain mean, so a kick's pitch counts from
 * the third kick on (an exponential mean from zero took 5 kicks and more, 10 s of a half-time song whose detector
 * misses its ghost kicks: 0.77 → 0.83 bass on the DnB organ over a boom kick; 2 read a little higher there, on the
 * evidence of two kicks only).
 */
const MIN_KICKS = 3;

export class DrumPitch {
  /** Per semitone: 1 where the drum's body sits (updated per hit). */
  readonly isDrum: Uint8Array;
  private readonly rise: Float64Array;
  private readonly ring: Float64Array[];
  private pos = 0;
  private kicks = 0;
  private seenKickHop = -1e9;

  /**
   * `notes` semitones observed; `riseAtHops`: the kick's age (hops) at which its rise is read; `frameHops`: hops
   * between frames; `beforeFrames`: how many frames back the frame before the kick lies (its window ended before the
   * kick, detection lag included).
   */
  constructor(
    private readonly notes: number,
    private readonly riseAtHops: number,
    private readonly frameHops: number,
    private readonly beforeFrames: number,
    private readonly octaveSupport: number,
    /** Semitones from index 0 that are narrower than a bin. */
    private readonly narrowNotes = 0,
    /**
     * Whether a rise an octave below explains a note's rise (a kick's sine has nothing under it); false for drums
     * whose tones stand in octaves (a tonal snare's two modes), with `octaveSupport` 0.
     */
    private readonly underExplains = true,
  ) {
    this.isDrum = new Uint8Array(notes);
    this.rise = new Float64Array(notes);
    this.ring = Array.from({ length: beforeFrames + 1 }, () => new Float64Array(notes + 12));
  }

  /**
   * The rise of note m's fundamental beyond what its octave's rise bears out, and beyond the rise an octave below
   * (then m is the octave partial of a note struck with the kick; below a kick's body nothing rises).
   */
  private riseOf(after: Float64Array, before: Float64Array, m: number): number {
    const octave = Math.max(0, after[m + 12]! - before[m + 12]!);
    const under = this.underExplains && m >= 12 ? Math.max(0, after[m - 12]! - before[m - 12]!) : 0;
    return after[m]! - before[m]! - this.octaveSupport * octave - under;
  }

  /** One frame: its semitone energies (from index 0, an octave past `notes`), the hop, and the newest kick's hop. */
  observe(semis: Float64Array, hop: number, lastKickHop: number): void {
    this.ring[this.pos]!.set(semis.subarray(0, this.notes + 12));
    const age = hop - lastKickHop;
    // The first frame at or past riseAtHops after a kick not yet read (frames come every frameHops hops).
    if (lastKickHop !== this.seenKickHop && age >= this.riseAtHops && age < this.riseAtHops + this.frameHops) {
      this.seenKickHop = lastKickHop;
      const len = this.ring.length;
      const before = this.ring[(this.pos - this.beforeFrames + len * 2) % len]!;
      let max = 0;
      for (let m = 0; m < this.notes; m++) max = Math.max(max, this.riseOf(semis, before, m));
      if (max > 0) {
        this.kicks++;
        const w = Math.max(RISE_WEIGHT, 1 / this.kicks);
        for (let m = 0; m < this.notes; m++) {
          const d = Math.max(0, this.riseOf(semis, before, m)) / max;
          this.rise[m] = (1 - w) * this.rise[m]! + w * d;
          this.isDrum[m] = this.kicks >= MIN_KICKS && this.rise[m]! >= FLAG_SHARE ? 1 : 0;
        }
        for (let m = 0; m < this.narrowNotes; m++) {
          if (this.rise[m]! < FLAG_SHARE) continue;
          if (m > 0) this.isDrum[m - 1] = 1;
          if (m + 1 < this.notes) this.isDrum[m + 1] = 1;
        }
      }
    }
    this.pos = (this.pos + 1) % this.ring.length;
  }
}
