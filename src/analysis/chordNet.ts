/**
 * A small causal chord-chroma network: per chroma frame, the chord chroma's 72 semitone levels (E2 … D#8, before
 * partial suppression), the hand-made chord chroma and the bass chroma in; 12 pitch-class activations (sigmoid,
 * multi-label: is this pitch class in the chord?) out. It sees only the current frame, whose windows end at the
 * newest sample, so it adds no latency.
 *
 * Trained by tools/chordnet/train.ts on synthetic renders kept apart from the evaluation corpus; the weights are
 * committed at models/chordnet/chord-chroma.bin: the ensemble of two nets trained from two seeds, ~22 k multiply-adds
 * (block-diagonal hidden layers), run by mlp.ts (its file format, magic "LVCN").
 */
import { fileURLToPath } from 'node:url';
import { argmax } from './chroma.js';
import { HeldChordMean } from './heldChord.js';
import { Mlp, MlpFile, type MlpWeights } from './mlp.js';

/** Semitone levels the net reads (the chord chroma's grid, E2 up). */
export const NET_NOTES = 72;
export const NET_INPUTS = NET_NOTES + 24;

/** The committed weights (this module runs from dist/src/analysis: three levels up is the repository). */
export const CHORD_NET_FILE = fileURLToPath(new URL('../../../models/chordnet/chord-chroma.bin', import.meta.url));

export type ChordNetWeights = MlpWeights;
const FILE = new MlpFile({ magic: 0x4e43564c /* "LVCN" */, what: 'chord net', inputs: NET_INPUTS, outputs: 12, madeBy: 'tools/chordnet/train.ts' }, CHORD_NET_FILE);
/** Serialises weights in mlp.ts's file format. */
export const encodeChordNet = (net: ChordNetWeights): Uint8Array => FILE.encode(net);
/** Parses weights; `name` (the file) is in every error. */
export const decodeChordNet = (bytes: Uint8Array, name: string): ChordNetWeights => FILE.decode(bytes, name);
/** Reads (once) and parses the committed weights, or a given file; errors name the file. */
export const loadChordNet = (file?: string): ChordNetWeights => FILE.load(file);

/**
 * Fills the net's input: the semitone levels scaled to max 1, then the chord chroma and the bass chroma (both
 * already max 1). `shift` transposes by that many semitones (training augmentation; levels shifted off the grid drop).
 */
export function chordNetInput(levels: ArrayLike<number>, chroma: ArrayLike<number>, bassChroma: ArrayLike<number>, out: Float32Array, shift = 0): void {
  let max = 0;
  for (let i = 0; i < NET_NOTES; i++) if (levels[i]! > max) max = levels[i]!;
  const inv = max > 1e-20 ? 1 / max : 0;
  for (let i = 0; i < NET_NOTES; i++) {
    const j = i - shift;
    out[i] = j >= 0 && j < NET_NOTES ? levels[j]! * inv : 0;
  }
  const s = ((shift % 12) + 12) % 12;
  for (let pc = 0; pc < 12; pc++) {
    const from = (pc - s + 12) % 12;
    out[NET_NOTES + pc] = chroma[from]!;
    out[NET_NOTES + 12 + pc] = bassChroma[from]!;
  }
}

/** The chord net's forward pass (12 sigmoid pitch-class activations). */
export { Mlp as ChordNet } from './mlp.js';

/**
 * Share of the previous net frame kept in the record's chroma (an exponential mean over net frames, 60 ms apart
 * at the defaults: a time constant of about 90 ms). The net reads one frame at a time, and within a held chord its
 * weakest tone and the strongest foreign one trade places from frame to frame; on the corpus the mean raised chord
 * top-k from 0.926 to 0.938 (0.934 at 0.3), where the scoring leaves out the first 0.15 s after a change. The
 * chord estimate reads the activations themselves and smooths them on its own.
 */
const RECORD_KEEP = 0.5;

/**
 * Where a new chord begins (heldChord.ts) and the net is this sure of three pitch classes, the short mean starts
 * afresh from the net's reading rather than holding half of the last chord's for a frame. Of the corpus's chroma
 * frames 0.15–0.2 s after a chord change (the first the scoring counts), 61 % were wrong, where the net's own
 * readings were wrong in 27 %; with the fresh start 50 %, and 0.2–0.25 s after a change 22 % rather than 27 %
 * (harmonyDiag.js). Chord top-k rose 0.01–0.03 on 65 of the 138 songs of the corpus and the five kept-apart sets
 * and fell 0.01 on two (targets met 123 → 124). Not where the net is unsure: a decaying bass whose strongest pitch
 * class wavers splits a held chord, and a misread frame then stood alone (fourth kept-apart set's museRoom ramp
 * 0.94 → 0.90 at every split; 0.91 from 0.5, 0.92 from 0.7, 0.93 from 0.85).
 */
const SURE_CHORD = 0.85;

/** The third largest of 12 values. */
function thirdLargest(v: ArrayLike<number>): number {
  let a = -Infinity;
  let b = -Infinity;
  let c = -Infinity;
  for (let i = 0; i < 12; i++) {
    const x = v[i]!;
    if (x > a) {
      c = b;
      b = a;
      a = x;
    } else if (x > b) {
      c = b;
      b = x;
    } else if (x > c) c = x;
  }
  return c;
}

/**
 * The net as a chroma stage: run on each new chord-chroma frame; the record's chroma is the exponential mean of its
 * activations (RECORD_KEEP) plus their mean held since the chord began (heldChord.ts), scaled to max 1 (the record's
 * chroma convention). Zeros where the hand-made chroma is zero (silence).
 */
export class NetChordChroma {
  readonly chroma = new Float32Array(12);
  /** The activations themselves (the chance of each pitch class being in the chord; zeros in silence). */
  readonly probs = new Float32Array(12);
  private readonly mean = new Float32Array(12);
  private readonly held = new HeldChordMean();
  private readonly net: Mlp;
  private readonly input = new Float32Array(NET_INPUTS);

  constructor(weights: ChordNetWeights = loadChordNet()) {
    this.net = new Mlp(weights);
  }

  /**
   * `bassChroma`: the hand-made bass chroma (the net's input, as in training); `bass`: the record's bass chroma, whose
   * argmax marks a new chord for the held mean (the learned one where it runs: corpus chord top-k mean 0.953 → 0.957,
   * third holdout set 0.923 → 0.927, against the hand-made one's argmax).
   */
  step(levels: ArrayLike<number>, handChroma: Float32Array, bassChroma: Float32Array, bass: Float32Array = bassChroma): void {
    let any = false;
    for (let i = 0; i < 12; i++) if (handChroma[i]! > 0) any = true;
    if (!any) {
      this.chroma.fill(0);
      this.probs.fill(0);
      this.mean.fill(0);
      this.held.reset();
      return;
    }
    chordNetInput(levels, handChroma, bassChroma, this.input);
    const p = this.probs;
    this.net.run(this.input, p);
    const m = this.mean;
    for (let i = 0; i < 12; i++) m[i] = RECORD_KEEP * m[i]! + (1 - RECORD_KEEP) * p[i]!;
    if (this.held.step(p, m, argmax(bass)) && thirdLargest(p) >= SURE_CHORD) m.set(p);
    this.held.combine(m, this.chroma);
  }
}
