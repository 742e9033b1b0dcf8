/** The normalised StyleGAN2 weights the checkpoint readers produce; the manifest and frames are shared contracts. */
import type { Tensor } from '../contracts/model.js';

export type { Tensor, Manifest, ManifestLayer, Frame, FrameStamps } from '../contracts/model.js';


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
