/** Contracts of the generator stage: the model manifest, the normalised StyleGAN2 weights, and frames. */

/** A dense float tensor in C order. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** A fully connected layer with equalised-learning-rate gains kept explicit: y = x · (weight·weightGain)ᵀ + bias·biasGain. */
export interface FcWeights {
  /** [out, in], as stored in the checkpoint. */
  weight: Tensor;
  /** [out], as stored. */
  bias: Tensor | null;
  weightGain: number;
  biasGain: number;
}

/**
 * One modulated convolution (a synthesis layer or a ToRGB layer), with all gains explicit so that both
 * implementations' exact formulas can be reproduced:
 *   styles = affine(w) · styleGain
 *   Wmod   = weight · weightGain · styles[in]
 *   demod  = 1 / sqrt(Σ Wmod² + 1e-8)   (when demodulate)
 *   x      = conv(x, Wmod) · demod  (+ noise · noiseStrength) ; then act(x + bias) · activationGain, clamp
 */
export interface ModConvWeights {
  /** Stable name, e.g. 'b4.conv1', 'b8.conv0', 'b8.torgb'. */
  name: string;
  /** Output resolution (square side for the unwidened model). */
  resolution: number;
  inChannels: number;
  outChannels: number;
  kernel: number;
  /** Upsample ×2 (transposed conv + [1,3,3,1] FIR blur) before the conv. */
  up: boolean;
  affine: FcWeights;
  /** [out, in, k, k], as stored. */
  weight: Tensor;
  weightGain: number;
  styleGain: number;
  demodulate: boolean;
  /** [out]. */
  bias: Tensor;
  /** Per-layer noise: learned strength and the checkpoint's constant noise buffer [res, res]. */
  noise: { strength: number; constNoise: Tensor | null } | null;
  activation: 'lrelu' | 'linear';
  activationGain: number;
  /** Clamp after the activation gain (NVIDIA conv_clamp), or null. */
  clamp: number | null;
  /** Which row of W+ drives this layer. */
  wIndex: number;
}

export interface StyleGan2Model {
  source: { format: 'rosinality' | 'nvidia'; file: string; sha256: string };
  zDim: number;
  wDim: number;
  numWs: number;
  resolution: number;
  imgChannels: number;
  mapping: {
    layers: FcWeights[];
    normalizeZ: boolean;
    activationGain: number;
    /**
     * Class embedding of a conditional model (NVIDIA MappingNetwork.embed, linear): y = normalise(c·Eᵀ), fed to
     * the first layer after z (x = [normalise(z), y]); absent for unconditional models.
     */
    embed?: FcWeights | null;
  };
  /** Number of classes of a conditional model (0 or absent: unconditional). */
  cDim?: number;
  /** Average W for truncation, or null when the checkpoint has none. */
  wAvg: Float32Array | null;
  /** The learned constant input [C, 4, 4]. */
  constInput: Tensor;
  /** Synthesis convs in order of execution. */
  convs: ModConvWeights[];
  /** ToRGB layers, one per resolution (skip architecture), in order. */
  toRgb: ModConvWeights[];
  /** 1-D FIR kernel of the resampling filter, normally [1, 3, 3, 1]. */
  blurKernel: number[];
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
