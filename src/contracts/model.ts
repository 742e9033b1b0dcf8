/**
 * The model as every stage sees it: the manifest written beside generator.onnx (the one source of the per-frame
 * layout, see frameParams.ts), dense tensors, and the rendered frame with its timing stamps.
 */

/** A dense float tensor in C order. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** A layer as described in manifest.json. */
export interface ManifestLayer {
  name: string;
  resolution: number;
  channels: number;
  wIndex: number;
  /** Index into noise inputs, or -1. */
  noiseIndex: number;
  /** Index into `bend` input rows, or -1. */
  bendIndex: number;
  /** Index into `rewrite` input, or -1. */
  rewriteIndex: number;
  /** Feature-map size at this layer (differs from `resolution` for a widened model). */
  height?: number;
  width?: number;
}

export interface Manifest {
  version: 1;
  width: number;
  height: number;
  numWs: number;
  wDim: number;
  zDim: number;
  /** Classes of a conditional model (the mapping takes a one-hot label `c` [batch, cDim]); absent or 0: none. */
  cDim?: number;
  layers: ManifestLayer[];
  /** Number of noise layers and bank size K (noise_mix is [numNoise, K]). */
  numNoise: number;
  noiseBank: number;
  /** Spatial mask regions R and mask side M (noise_mask is [R, M, M]). */
  maskRegions: number;
  maskSize: number;
  numBend: number;
  numRewrite: number;
  wAvg: number[];
  origin: { file: string; format: string; sha256: string };
  files: { generator: string; mapping: string; generatorFp16?: string };
  options: Record<string, unknown>;
}

/** One rendered picture with the timing stamps it collected on its way (ms, performance.now() clock unless stated). */
export interface Frame {
  frame: number;
  width: number;
  height: number;
  /** height × width × 4 RGBA. */
  rgba: Uint8Array;
  stamps: FrameStamps;
}

export interface FrameStamps {
  /** Audio time (s) of the features this frame was made from. */
  audioT: number;
  /** When the mapper produced the params. */
  paramsAt: number;
  /** Inference start and end. */
  inferStart: number;
  inferEnd: number;
  /** When the frame was handed to the outputs. */
  sentAt?: number;
}
