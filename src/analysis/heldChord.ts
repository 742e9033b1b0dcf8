/**
 * The chord net's reading held over the chord's span. A chord struck once and held (a piano's or a guitar's, for
 * two bars) decays, while the bass under it is struck again on every bar: after 1.5–3 s its weaker tones (a 7th, a
 * third) lie under the fresh bass's partials (the 5th partial of the bass reads as a major third, the 3rd partial of
 * the chord's third as a major seventh), and the net, which reads one frame at a time, trades them for those from
 * frame to frame. What the chord was is best heard near its strike, so the record's chroma adds to the short mean a
 * mean of the net's activations since the chord began (SEGMENT_WEIGHT times as loud), which keeps the tones it
 * heard clearly then.
 *
 * Where a chord begins: a new bass pitch class (chord changes mostly move the bass, and the bass chroma is steady),
 * or the short mean leaving the held mean both ways at once, pitch classes rising above it and others falling below
 * it by more than SPLIT_DIVERGENCE in all (a change over a held bass, or while the bass chroma still holds the last
 * note under a kick), or by more than SPLIT_STEADY for SPLIT_STEADY_FRAMES net frames in a row. A misread within a
 * held chord moves one tone at a time, by less, and not for long. The held mean starts SKIP_FRAMES net frames
 * into the new chord.
 */

/**
 * The held mean's weight against the short mean's (corpus chord top-k: 0.94 without it; 1: 0.96; 3: 0.97 and every
 * song ≥ 0.90; 5: no better).
 */
const SEGMENT_WEIGHT = 3;
/**
 * Net frames in the held mean's running average at most (an exponential mean with this time constant beyond that,
 * ≈ 1.9 s at 60 ms a net frame): a two-bar chord's decay (16 frames: the slowest songs' lowest top-k 0.91; 32: 0.95).
 */
const SEGMENT_FRAMES = 32;
/**
 * Sum of the rises (and, at the same time, of the falls) of the short mean against the held mean that starts a new
 * chord; activations are 0..1, so 1.2 is more than one pitch class coming in and one going out. At 0.9 the misread
 * thirds of a decaying chord split it too (waltz-jazz-musescore 0.95 → 0.89); without this split, chord changes
 * while the bass chroma holds the last note under a kick cost up to 0.04 per song.
 */
const SPLIT_DIVERGENCE = 1.2;
/**
 * A smaller move that lasts also starts a new chord: one tone changing over a held bass (C to Am/C) moves about 1
 * both ways, which SPLIT_DIVERGENCE lets pass and the long held mean would follow only after ≈ 1 s; a misread
 * third wavers back within a few frames. (No change on the corpus, where the bass moves with every chord.)
 */
const SPLIT_STEADY = 0.8;
const SPLIT_STEADY_FRAMES = 3;
/**
 * Net frames after a new chord begins that the held mean leaves out (the record is the short mean meanwhile): a
 * split comes while the net still reads some of the last chord, and a running average would keep that frame's
 * tones for a second. On the chord net's validation songs the record's worst loss against the short mean alone
 * fell from 0.077 to 0.026 (songs without a bass line, whose lowest note wavers); the corpus's slowest songs lose
 * up to 0.02.
 */
const SKIP_FRAMES = 2;

export class HeldChordMean {
  /** The mean of the activations since the chord began (zeros before any frame). */
  readonly held = new Float32Array(12);
  private frames = 0;
  private bassPc = -1;
  private movedFrames = 0;
  private skip = 0;

  /** Forgets the chord (silence). */
  reset(): void {
    this.held.fill(0);
    this.frames = 0;
    this.skip = 0;
    this.bassPc = -1;
    this.movedFrames = 0;
  }

  /**
   * One net frame: `probs` its activations, `shortMean` the record's short mean after this frame, `bassPc` the bass
   * chroma's strongest pitch class. Returns true when a new chord began here.
   */
  step(probs: ArrayLike<number>, shortMean: ArrayLike<number>, bassPc: number): boolean {
    const held = this.held;
    let rise = 0;
    let fall = 0;
    for (let i = 0; i < 12; i++) {
      const d = shortMean[i]! - held[i]!;
      if (d > 0) rise += d;
      else fall -= d;
    }
    const moved = Math.min(rise, fall);
    this.movedFrames = moved > SPLIT_STEADY ? this.movedFrames + 1 : 0;
    const split = bassPc !== this.bassPc || (this.frames > 0 && (moved > SPLIT_DIVERGENCE || this.movedFrames >= SPLIT_STEADY_FRAMES));
    if (split) {
      this.reset();
      this.bassPc = bassPc;
      this.skip = SKIP_FRAMES;
    }
    if (this.skip > 0) {
      this.skip--;
      return split;
    }
    if (this.frames < SEGMENT_FRAMES) this.frames++;
    const a = 1 / this.frames;
    for (let i = 0; i < 12; i++) held[i] = held[i]! + a * (probs[i]! - held[i]!);
    return split;
  }

  /** Writes short mean + SEGMENT_WEIGHT × held mean (none while it holds no frame yet), scaled to max 1, into `out`. */
  combine(shortMean: ArrayLike<number>, out: Float32Array): void {
    const w = this.frames === 0 ? 0 : SEGMENT_WEIGHT;
    let max = 0;
    for (let i = 0; i < 12; i++) {
      const v = shortMean[i]! + w * this.held[i]!;
      out[i] = v;
      if (v > max) max = v;
    }
    const inv = max > 0 ? 1 / max : 0;
    for (let i = 0; i < 12; i++) out[i] = out[i]! * inv;
  }
}
