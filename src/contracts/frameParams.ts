/**
 * FrameParams: everything the generator and the display need for one frame, and nothing else. One layout,
 * from the model manifest (frameLayout); an owner at every moment: the producer's buffers are valid until it
 * says otherwise, and a consumer that keeps them copies (copyFrameParams; the generator does on submit).
 */
import type { Manifest } from './model.js';

/** One network-bending transform applied to the feature maps after a bendable layer. */
export interface Bend {
  /** Index into the manifest's bendable layers. */
  layer: number;
  zoom: number;
  /** Turns (1 = 360°), counter-clockwise on screen. */
  rotate: number;
  /** Translation in units of the feature map (1 = full width). */
  tx: number;
  ty: number;
  mirrorX: boolean;
  mirrorY: boolean;
}

export interface PostParams {
  brightness: number;
  contrast: number;
  hueShift: number;
  trails: number;
  /** Mix of the previous scene's last picture over the new one, 0..1 (0 = the new scene only). */
  crossfade: number;
  blackout: boolean;
  freeze: boolean;
}

/** Post-processing that leaves the picture as the generator made it (a fresh object each call). */
export const neutralPostParams = (): PostParams => ({
  brightness: 0,
  contrast: 1,
  hueShift: 0,
  trails: 0,
  crossfade: 0,
  blackout: false,
  freeze: false,
});

export interface FrameParams {
  frame: number;
  /** Audio time (s) this frame represents. */
  t: number;
  /** W+ latents, row-major [numWs × wDim]. */
  ws: Float32Array;
  /** Noise mixing weights, row-major [numNoise × K] (see generator manifest). */
  noiseMix: Float32Array;
  /** Per noise layer strength multipliers [numNoise]. */
  noiseStrength: Float32Array;
  /** Low-resolution spatial masks [R × M × M], each region's strength folded in (Σ_r mask[r] is the noise gain). */
  noiseMask: Float32Array;
  /** Affine 2×3 matrices per bendable layer, row-major [numBend × 2 × 3] (contracts/bend.ts writeBendMatrix). */
  bend: Float32Array;
  /** Rewrite strength per rewritable layer [numRewrite]. */
  rewrite: Float32Array;
  truncation: number;
  scene: number | string;
  post: PostParams;
}

/**
 * A copy of `p` that owns its arrays (into `into` when given and of the same layout, else fresh): what a
 * consumer keeps beyond the producer's lifetime for the buffers it handed out.
 */
export function copyFrameParams(p: FrameParams, into?: FrameParams): FrameParams {
  const arr = (src: Float32Array, dst: Float32Array | undefined): Float32Array => {
    if (dst && dst.length === src.length && dst !== src) {
      dst.set(src);
      return dst;
    }
    return src.slice();
  };
  if (!into) {
    return { ...p, ws: p.ws.slice(), noiseMix: p.noiseMix.slice(), noiseStrength: p.noiseStrength.slice(), noiseMask: p.noiseMask.slice(), bend: p.bend.slice(), rewrite: p.rewrite.slice(), post: { ...p.post } };
  }
  into.frame = p.frame;
  into.t = p.t;
  into.ws = arr(p.ws, into.ws);
  into.noiseMix = arr(p.noiseMix, into.noiseMix);
  into.noiseStrength = arr(p.noiseStrength, into.noiseStrength);
  into.noiseMask = arr(p.noiseMask, into.noiseMask);
  into.bend = arr(p.bend, into.bend);
  into.rewrite = arr(p.rewrite, into.rewrite);
  into.truncation = p.truncation;
  into.scene = p.scene;
  Object.assign(into.post, p.post);
  return into;
}

/** The length of each FrameParams array for a model: the one layout, from its manifest. */
export interface FrameLayout {
  ws: number;
  noiseMix: number;
  noiseStrength: number;
  noiseMask: number;
  bend: number;
  rewrite: number;
}

export function frameLayout(m: Pick<Manifest, 'numWs' | 'wDim' | 'numNoise' | 'noiseBank' | 'maskRegions' | 'maskSize' | 'numBend' | 'numRewrite'>): FrameLayout {
  return {
    ws: m.numWs * m.wDim,
    noiseMix: m.numNoise * m.noiseBank,
    noiseStrength: m.numNoise,
    noiseMask: m.maskRegions * m.maskSize * m.maskSize,
    bend: m.numBend * 6,
    rewrite: m.numRewrite,
  };
}

/** Zeroed FrameParams in the model's layout (ψ = 1, scene 0, neutral post). */
export function newFrameParams(m: Parameters<typeof frameLayout>[0]): FrameParams {
  const l = frameLayout(m);
  return {
    frame: 0,
    t: 0,
    ws: new Float32Array(l.ws),
    noiseMix: new Float32Array(l.noiseMix),
    noiseStrength: new Float32Array(l.noiseStrength),
    noiseMask: new Float32Array(l.noiseMask),
    bend: new Float32Array(l.bend),
    rewrite: new Float32Array(l.rewrite),
    truncation: 1,
    scene: 0,
    post: neutralPostParams(),
  };
}
