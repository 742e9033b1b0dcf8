/**
 * The small multilayer perceptrons of the analysis (chordNet.ts, bassNet.ts, drumNet.ts): their weights file format,
 * its parser and a forward pass in flat Float32Array loops. Inference is written out here rather than run through
 * onnxruntime: the nets are 6–29 thousand multiply-adds each (the bass net's ensemble of three the most; a few µs per
 * hop), while an onnxruntime session call costs tens of µs of fixed overhead (tensor wrapping, a native call, an async
 * result), more than a whole net, and would make the synchronous per-hop path asynchronous.
 *
 * File format (little endian): a four-byte magic naming the net, u32 version (1), u32 layer count L, u32 sizes[L + 1]
 * (inputs, hidden …, outputs), then per layer its weights (out × in, row-major) and biases (out) as float32. Hidden
 * layers are ReLU, outputs sigmoid.
 */
import { readFileSync } from 'node:fs';

export interface MlpWeights {
  sizes: number[];
  /** Per layer: weights (out × in) and biases (out). */
  w: Float32Array[];
  b: Float32Array[];
}

/** What a weights file must be: its magic (the first four bytes as a little-endian u32), shape, and what errors call it. */
export interface MlpKind {
  magic: number;
  /** Names the net in errors ("chord net"). */
  what: string;
  inputs: number;
  outputs: number;
  /** Where errors say the file comes from. */
  madeBy: string;
}

/** Serialises weights in the file format above. */
export function encodeMlp(net: MlpWeights, magic: number): Uint8Array {
  const L = net.sizes.length - 1;
  let floats = 0;
  for (let l = 0; l < L; l++) floats += net.w[l]!.length + net.b[l]!.length;
  const buf = new ArrayBuffer(12 + 4 * (L + 1) + 4 * floats);
  const dv = new DataView(buf);
  dv.setUint32(0, magic, true);
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

/** Parses weights of `kind`; `name` (the file) is in every error. */
export function decodeMlp(bytes: Uint8Array, name: string, kind: MlpKind): MlpWeights {
  const bad = (why: string): Error => new Error(`${kind.what} weights ${name}: ${why}`);
  if (bytes.length < 12) throw bad(`${bytes.length} bytes is too short for a header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== kind.magic) throw bad(`not a ${kind.what} file (wrong magic)`);
  const version = dv.getUint32(4, true);
  if (version !== 1) throw bad(`version ${version}, expected 1`);
  const L = dv.getUint32(8, true);
  if (L < 1 || L > 8) throw bad(`${L} layers (1–8 expected)`);
  if (bytes.length < 12 + 4 * (L + 1)) throw bad('truncated layer sizes');
  const sizes: number[] = [];
  for (let i = 0; i <= L; i++) sizes.push(dv.getUint32(12 + 4 * i, true));
  if (sizes[0] !== kind.inputs || sizes[L] !== kind.outputs) throw bad(`layer sizes ${sizes.join('×')}: expected ${kind.inputs} inputs and ${kind.outputs} outputs`);
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

/** Reads and parses a weights file; errors name the file and say where it comes from. */
export function readMlp(file: string, kind: MlpKind): MlpWeights {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new Error(`${kind.what} weights ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); they are committed with the repository and rebuilt by ${kind.madeBy}`);
  }
  return decodeMlp(bytes, file, kind);
}

/**
 * A net's weights file: its kind and committed path; encode and decode in the format above, and a load that parses the
 * committed file once per process (every analyser shares its weights) and any other file each time.
 */
export class MlpFile {
  private cached: MlpWeights | null = null;

  constructor(
    readonly kind: MlpKind,
    readonly committed: string,
  ) {}

  encode(net: MlpWeights): Uint8Array {
    return encodeMlp(net, this.kind.magic);
  }

  /** `name` (the file) is in every error. */
  decode(bytes: Uint8Array, name: string): MlpWeights {
    return decodeMlp(bytes, name, this.kind);
  }

  load(file = this.committed): MlpWeights {
    if (file !== this.committed) return readMlp(file, this.kind);
    this.cached ??= readMlp(file, this.kind);
    return this.cached;
  }
}

/**
 * Forward pass with preallocated scratch; `run` writes the sigmoid outputs. Each layer is computed input by input
 * (y += x_i · row i of the transposed weights), skipping inputs that are 0: many inputs are (a chord chroma's empty
 * semitones, a quiet band's flux) and many ReLU units are off, so this skips a good part of the multiply-adds of the
 * row-by-row product (measured about 1.3× faster per frame on the chord net's training frames). A row visits only the
 * span of outputs its weights reach: in an ensemble's block-diagonal layers (tools/mlpEnsemble.ts) that is its
 * member's block, so an ensemble costs what its members cost run one by one (the chord net's pair of 64×64 members:
 * 25.7 → 21.9 µs a frame on dense inputs, best of six runs).
 */
export class Mlp {
  private readonly acts: Float64Array[];
  /** Per layer: weights transposed to in × out. */
  private readonly wt: Float32Array[];
  /** Per layer and input: the first output its row's weights reach, and one past the last. */
  private readonly spanLo: Int32Array[];
  private readonly spanHi: Int32Array[];

  constructor(readonly weights: MlpWeights) {
    const { sizes, w } = weights;
    this.acts = sizes.map((s) => new Float64Array(s));
    this.wt = w.map((W, l) => {
      const nIn = sizes[l]!;
      const nOut = sizes[l + 1]!;
      const t = new Float32Array(W.length);
      for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) t[i * nOut + o] = W[o * nIn + i]!;
      return t;
    });
    this.spanLo = sizes.slice(0, -1).map((n) => new Int32Array(n));
    this.spanHi = sizes.slice(0, -1).map((n) => new Int32Array(n));
    this.wt.forEach((t, l) => {
      const nOut = sizes[l + 1]!;
      for (let i = 0, row = 0; i < sizes[l]!; i++, row += nOut) {
        let lo = 0;
        let hi = nOut;
        while (lo < hi && t[row + lo] === 0) lo++;
        while (hi > lo && t[row + hi - 1] === 0) hi--;
        this.spanLo[l]![i] = lo;
        this.spanHi[l]![i] = hi;
      }
    });
  }

  run(input: ArrayLike<number>, out: Float32Array): void {
    const { sizes, b } = this.weights;
    const L = sizes.length - 1;
    let x: ArrayLike<number> = input;
    for (let l = 0; l < L; l++) {
      const y = this.acts[l + 1]!;
      const Wt = this.wt[l]!;
      const B = b[l]!;
      const nIn = sizes[l]!;
      const nOut = sizes[l + 1]!;
      const lo = this.spanLo[l]!;
      const hi = this.spanHi[l]!;
      for (let o = 0; o < nOut; o++) y[o] = B[o]!;
      for (let i = 0, row = 0; i < nIn; i++, row += nOut) {
        const xi = x[i]!;
        if (xi === 0) continue;
        for (let o = lo[i]!, end = hi[i]!; o < end; o++) y[o]! += xi * Wt[row + o]!;
      }
      if (l < L - 1) for (let o = 0; o < nOut; o++) if (y[o]! < 0) y[o] = 0;
      x = y;
    }
    for (let o = 0; o < sizes[L]!; o++) out[o] = 1 / (1 + Math.exp(-x[o]!));
  }
}
