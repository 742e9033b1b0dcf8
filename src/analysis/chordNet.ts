/**
 * A small causal chord-chroma network: per chroma frame, the chord chroma's 72 semitone levels (E2 … D#8, before
 * partial suppression), the hand-made chord chroma and the bass chroma in; 12 pitch-class activations (sigmoid,
 * multi-label: is this pitch class in the chord?) out. It sees only the current frame, whose windows end at the
 * newest sample, so it adds no latency.
 *
 * Trained by tools/chordnet/train.ts on synthetic renders kept apart from the evaluation corpus; the weights are
 * committed at models/chordnet/chord-chroma.bin. Inference is written out here rather than run through
 * onnxruntime: the net is ~10 k multiply-adds (a few µs in flat Float32Array loops), while an onnxruntime session
 * call costs tens of µs of fixed overhead (tensor wrapping, a native call, an async result) per frame, more than
 * the whole net, and would make the synchronous per-hop path asynchronous.
 *
 * File format (little endian): "LVCN", u32 version (1), u32 layer count L, u32 sizes[L + 1] (inputs, hidden …,
 * outputs), then per layer its weights (out × in, row-major) and biases (out) as float32. Hidden layers are ReLU.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { argmax } from './chroma.js';
import { HeldChordMean } from './heldChord.js';

/** Semitone levels the net reads (the chord chroma's grid, E2 up). */
export const NET_NOTES = 72;
export const NET_INPUTS = NET_NOTES + 24;
const MAGIC = 0x4e43564c; // "LVCN"

/** The committed weights (this module runs from dist/src/analysis: three levels up is the repository). */
export const CHORD_NET_FILE = fileURLToPath(new URL('../../../models/chordnet/chord-chroma.bin', import.meta.url));

export interface ChordNetWeights {
  sizes: number[];
  /** Per layer: weights (out × in) and biases (out). */
  w: Float32Array[];
  b: Float32Array[];
}

/** Serialises weights in the file format above. */
export function encodeChordNet(net: ChordNetWeights): Uint8Array {
  const L = net.sizes.length - 1;
  let floats = 0;
  for (let l = 0; l < L; l++) floats += net.w[l]!.length + net.b[l]!.length;
  const buf = new ArrayBuffer(12 + 4 * (L + 1) + 4 * floats);
  const dv = new DataView(buf);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, 1, true);
  dv.setUint32(8, L, true);
  let o = 12;
  for (const s of net.sizes) {
    dv.setUint32(o, s, true);
    o += 4;
  }
  for (let l = 0; l < L; l++) {
    for (const arr of [net.w[l]!, net.b[l]!]) {
      for (let i = 0; i < arr.length; i++, o += 4) dv.setFloat32(o, arr[i]!, true);
    }
  }
  return new Uint8Array(buf);
}

/** Parses weights; `name` (the file) is in every error. */
export function decodeChordNet(bytes: Uint8Array, name: string): ChordNetWeights {
  const bad = (why: string): Error => new Error(`chord net weights ${name}: ${why}`);
  if (bytes.length < 12) throw bad(`${bytes.length} bytes is too short for a header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw bad('not a chord net file (no LVCN magic)');
  const version = dv.getUint32(4, true);
  if (version !== 1) throw bad(`version ${version}, expected 1`);
  const L = dv.getUint32(8, true);
  if (L < 1 || L > 8) throw bad(`${L} layers (1–8 expected)`);
  if (bytes.length < 12 + 4 * (L + 1)) throw bad('truncated layer sizes');
  const sizes: number[] = [];
  for (let i = 0; i <= L; i++) sizes.push(dv.getUint32(12 + 4 * i, true));
  if (sizes[0] !== NET_INPUTS || sizes[L] !== 12) throw bad(`layer sizes ${sizes.join('×')}: expected ${NET_INPUTS} inputs and 12 outputs`);
  if (sizes.some((s) => s < 1 || s > 1024)) throw bad(`layer sizes ${sizes.join('×')} out of range`);
  let floats = 0;
  for (let l = 0; l < L; l++) floats += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
  const want = 12 + 4 * (L + 1) + 4 * floats;
  if (bytes.length !== want) throw bad(`${bytes.length} bytes, expected ${want} for layers ${sizes.join('×')}`);
  let o = 12 + 4 * (L + 1);
  const read = (n: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++, o += 4) {
      const v = dv.getFloat32(o, true);
      if (!Number.isFinite(v)) throw bad(`non-finite value at byte ${o}`);
      a[i] = v;
    }
    return a;
  };
  const w: Float32Array[] = [];
  const b: Float32Array[] = [];
  for (let l = 0; l < L; l++) {
    w.push(read(sizes[l]! * sizes[l + 1]!));
    b.push(read(sizes[l + 1]!));
  }
  return { sizes, w, b };
}

let cached: ChordNetWeights | null = null;

/** Reads (once) and parses the committed weights, or a given file; errors name the file. */
export function loadChordNet(file = CHORD_NET_FILE): ChordNetWeights {
  if (file === CHORD_NET_FILE && cached) return cached;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new Error(`chord net weights ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); they are committed with the repository and rebuilt by tools/chordnet/train.ts`);
  }
  const net = decodeChordNet(bytes, file);
  if (file === CHORD_NET_FILE) cached = net;
  return net;
}

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

/**
 * Forward pass with preallocated scratch; `run` writes 12 sigmoid activations. Each layer is computed input by
 * input (y += x_i · row i of the transposed weights), skipping inputs that are 0: most semitones of the grid hold
 * no spectral peak (about 40 % on the training frames) and many ReLU units are off, so this skips a good part of
 * the multiply-adds of the row-by-row product (measured about 1.3× faster per frame on training frames).
 */
export class ChordNet {
  private readonly acts: Float64Array[];
  /** Per layer: weights transposed to in × out. */
  private readonly wt: Float32Array[];

  constructor(readonly weights: ChordNetWeights) {
    const { sizes, w } = weights;
    this.acts = sizes.map((s) => new Float64Array(s));
    this.wt = w.map((W, l) => {
      const nIn = sizes[l]!;
      const nOut = sizes[l + 1]!;
      const t = new Float32Array(W.length);
      for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) t[i * nOut + o] = W[o * nIn + i]!;
      return t;
    });
  }

  run(input: Float32Array, out: Float32Array): void {
    const { sizes, b } = this.weights;
    const L = sizes.length - 1;
    let x: Float64Array | Float32Array = input;
    for (let l = 0; l < L; l++) {
      const y = this.acts[l + 1]!;
      const Wt = this.wt[l]!;
      const B = b[l]!;
      const nIn = sizes[l]!;
      const nOut = sizes[l + 1]!;
      for (let o = 0; o < nOut; o++) y[o] = B[o]!;
      for (let i = 0, row = 0; i < nIn; i++, row += nOut) {
        const xi = x[i]!;
        if (xi === 0) continue;
        for (let o = 0; o < nOut; o++) y[o]! += xi * Wt[row + o]!;
      }
      if (l < L - 1) for (let o = 0; o < nOut; o++) if (y[o]! < 0) y[o] = 0;
      x = y;
    }
    for (let o = 0; o < 12; o++) out[o] = 1 / (1 + Math.exp(-x[o]!));
  }
}

/**
 * Share of the previous net frame kept in the record's chroma (an exponential mean over net frames, ≈ 70 ms apart
 * at the defaults: a time constant of about 100 ms). The net reads one frame at a time, and within a held chord its
 * weakest tone and the strongest foreign one trade places from frame to frame; on the corpus the mean raised chord
 * top-k from 0.926 to 0.938 (0.934 at 0.3), where the scoring leaves out the first 0.15 s after a change. The
 * chord estimate reads the activations themselves and smooths them on its own.
 */
const RECORD_KEEP = 0.5;

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
  private readonly net: ChordNet;
  private readonly input = new Float32Array(NET_INPUTS);

  constructor(weights: ChordNetWeights = loadChordNet()) {
    this.net = new ChordNet(weights);
  }

  step(levels: ArrayLike<number>, handChroma: Float32Array, bassChroma: Float32Array): void {
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
    this.held.step(p, m, argmax(bassChroma));
    this.held.combine(m, this.chroma);
  }
}
