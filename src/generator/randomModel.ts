/**
 * A StyleGAN2 generator with seeded random weights, for any channel plan: the default model (runs out of the
 * box, no download) and the benchmark's full-size network both come from here.
 *
 * The layout follows NVIDIA's stylegan2-ada-pytorch `training/networks.py` (MappingNetwork with lr_mul 0.01 and
 * 2nd-moment-normalised z, SynthesisLayer, ToRGBLayer, skip architecture, W+ indexing). With `look` left at its
 * defaults the initialisation is NVIDIA's own (affine bias 1, noise strength 0, ToRGB style gain 1/√fan_in);
 * the `look` knobs bend that initialisation so an untrained network paints pictures worth looking at.
 *
 * Pure: the same options always give bit-identical weights (a counter-based PRNG, no Math.random).
 */
import { createHash } from 'node:crypto';
import type { FcWeights, ModConvWeights, StyleGan2Model, Tensor } from './types.js';

/** How an untrained network is coaxed into colourful, varied, responsive pictures. All default to NVIDIA's init. */
export interface RandomModelLook {
  /** Std of the affine (style) weights' effect: styles = 1 + styleStd·N(0,1)-ish for unit-variance w. Default 1. */
  styleStd: number;
  /** Learned noise strength per resolution (NVIDIA initialises 0). */
  noiseStrength: (resolution: number) => number;
  /** Multiplier of each ToRGB layer's contribution per resolution (1 = NVIDIA). */
  rgbGain: (resolution: number) => number;
  /** Std of the random ToRGB bias (a colour cast per resolution; NVIDIA initialises 0). */
  rgbBiasStd: number;
  /** Std of the learned constant input (NVIDIA: 1). */
  constStd: number;
}

export interface RandomModelOptions {
  seed: number;
  /** Output side, a power of two ≥ 4. */
  resolution: number;
  /** Channels at resolution r: min(floor(channelBase / r), channelMax), at least 1. */
  channelBase: number;
  channelMax: number;
  zDim?: number;
  wDim?: number;
  mappingLayers?: number;
  /**
   * Samples of z used to estimate w_avg (the truncation centre) here in TypeScript; 0 (default) leaves wAvg null
   * so the converter estimates it with onnxruntime (faster, more samples).
   */
  wAvgSamples?: number;
  look?: Partial<RandomModelLook>;
}

export const NVIDIA_LOOK: RandomModelLook = {
  styleStd: 1,
  noiseStrength: () => 0,
  rgbGain: () => 1,
  rgbBiasStd: 0,
  constStd: 1,
};

/** Channels at each resolution of the plan. */
export function channelsAt(resolution: number, channelBase: number, channelMax: number): number {
  return Math.max(1, Math.min(Math.floor(channelBase / resolution), channelMax));
}

export { SeededNormal } from '../contracts/random.js';
import { SeededNormal } from '../contracts/random.js';

function randnTensor(rng: SeededNormal, shape: number[], std = 1, mean = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: rng.fill(new Float32Array(n), std, mean) };
}

/** NVIDIA FullyConnectedLayer: weight ~ N(0,1)/lr_mul, weight_gain = lr_mul/√in, bias = bias_init, bias_gain = lr_mul. */
function fc(rng: SeededNormal, inDim: number, outDim: number, lrMul: number, biasInit: number, weightStd = 1): FcWeights {
  return {
    weight: randnTensor(rng, [outDim, inDim], weightStd / lrMul),
    bias: { shape: [outDim], data: new Float32Array(outDim).fill(biasInit / lrMul) },
    weightGain: lrMul / Math.sqrt(inDim),
    biasGain: lrMul,
  };
}

/** The full options with defaults filled in (one place for defaults). */
export function resolveRandomModelOptions(o: RandomModelOptions): Required<Omit<RandomModelOptions, 'look'>> & { look: RandomModelLook } {
  const { resolution } = o;
  if (!Number.isInteger(Math.log2(resolution)) || resolution < 4) {
    throw new RangeError(`randomModel: resolution must be a power of two ≥ 4, got ${resolution}`);
  }
  return {
    seed: o.seed,
    resolution,
    channelBase: o.channelBase,
    channelMax: o.channelMax,
    zDim: o.zDim ?? 512,
    wDim: o.wDim ?? 512,
    mappingLayers: o.mappingLayers ?? 8,
    wAvgSamples: o.wAvgSamples ?? 0,
    look: { ...NVIDIA_LOOK, ...o.look },
  };
}

/** Builds the model. Deterministic in its options. */
export function randomStyleGan2Model(options: RandomModelOptions): StyleGan2Model {
  const o = resolveRandomModelOptions(options);
  const { zDim, wDim, look } = o;
  const rng = new SeededNormal(o.seed);
  const log2 = Math.log2(o.resolution);
  const ch = (r: number) => channelsAt(r, o.channelBase, o.channelMax);

  const lrMul = 0.01;
  const mappingLayers: FcWeights[] = [];
  for (let i = 0; i < o.mappingLayers; i++) {
    mappingLayers.push(fc(rng, i === 0 ? zDim : wDim, wDim, lrMul, 0));
  }

  const convs: ModConvWeights[] = [];
  const toRgb: ModConvWeights[] = [];
  const synthLayer = (name: string, res: number, cin: number, cout: number, up: boolean, wIndex: number): ModConvWeights => {
    const k = 3;
    const strength = look.noiseStrength(res);
    return {
      name,
      resolution: res,
      inChannels: cin,
      outChannels: cout,
      kernel: k,
      up,
      // styleStd scales the affine weights around the bias of 1, so a unit-variance w moves styles by ~styleStd.
      affine: fc(rng, wDim, cin, 1, 1, look.styleStd),
      weight: randnTensor(rng, [cout, cin, k, k]),
      weightGain: 1 / Math.sqrt(cin * k * k),
      styleGain: 1,
      demodulate: true,
      bias: { shape: [cout], data: new Float32Array(cout) },
      noise: { strength, constNoise: randnTensor(rng, [res, res]) },
      activation: 'lrelu',
      activationGain: Math.SQRT2,
      clamp: null,
      wIndex,
    };
  };
  const rgbLayer = (name: string, res: number, cin: number, wIndex: number): ModConvWeights => ({
    name,
    resolution: res,
    inChannels: cin,
    outChannels: 3,
    kernel: 1,
    up: false,
    affine: fc(rng, wDim, cin, 1, 1, look.styleStd),
    weight: randnTensor(rng, [3, cin, 1, 1], look.rgbGain(res)),
    weightGain: 1,
    styleGain: 1 / Math.sqrt(cin),
    demodulate: false,
    bias: randnTensor(rng, [3], look.rgbBiasStd),
    noise: null,
    activation: 'linear',
    activationGain: 1,
    clamp: null,
    wIndex,
  });

  const constInput = randnTensor(rng, [ch(4), 4, 4], look.constStd);
  convs.push(synthLayer('b4.conv1', 4, ch(4), ch(4), false, 0));
  toRgb.push(rgbLayer('b4.torgb', 4, ch(4), 1));
  let wIdx = 1;
  for (let l = 3; l <= log2; l++) {
    const res = 2 ** l;
    convs.push(synthLayer(`b${res}.conv0`, res, ch(res / 2), ch(res), true, wIdx));
    convs.push(synthLayer(`b${res}.conv1`, res, ch(res), ch(res), false, wIdx + 1));
    toRgb.push(rgbLayer(`b${res}.torgb`, res, ch(res), wIdx + 2));
    wIdx += 2;
  }
  const numWs = wIdx + 1;

  const mapping = { layers: mappingLayers, normalizeZ: true, activationGain: Math.SQRT2 };
  const wAvg = o.wAvgSamples > 0 ? estimateWAvg(mapping, zDim, wDim, o.wAvgSamples, new SeededNormal(o.seed ^ 0x5eed)) : null;

  const describe = JSON.stringify({ ...o, look: describeLook(look, o.resolution) });
  return {
    source: {
      format: 'nvidia',
      file: `random:seed=${o.seed},res=${o.resolution},base=${o.channelBase},max=${o.channelMax}`,
      sha256: createHash('sha256').update(describe).digest('hex'),
    },
    zDim,
    wDim,
    numWs,
    resolution: o.resolution,
    imgChannels: 3,
    mapping,
    wAvg,
    constInput,
    convs,
    toRgb,
    blurKernel: [1, 3, 3, 1],
  };
}

/** The look's functions sampled at every resolution, so the hash (and the cache key) changes when they do. */
function describeLook(look: RandomModelLook, resolution: number): Record<string, unknown> {
  const per: Record<string, [number, number]> = {};
  for (let r = 4; r <= resolution; r *= 2) per[r] = [look.noiseStrength(r), look.rgbGain(r)];
  return { styleStd: look.styleStd, rgbBiasStd: look.rgbBiasStd, constStd: look.constStd, per };
}

/** z → w through the mapping network (NVIDIA MappingNetwork without the embed/truncation), in float64 scratch. */
export function mapZ(mapping: StyleGan2Model['mapping'], z: Float32Array, out: Float32Array): Float32Array {
  let x = Float64Array.from(z);
  if (mapping.normalizeZ) {
    let ms = 0;
    for (const v of x) ms += v * v;
    const s = 1 / Math.sqrt(ms / x.length + 1e-8);
    for (let i = 0; i < x.length; i++) x[i] = x[i]! * s;
  }
  for (const layer of mapping.layers) {
    const [outDim, inDim] = layer.weight.shape as [number, number];
    const y = new Float64Array(outDim);
    const w = layer.weight.data;
    for (let j = 0; j < outDim; j++) {
      let acc = 0;
      const row = j * inDim;
      for (let i = 0; i < inDim; i++) acc += w[row + i]! * x[i]!;
      let v = acc * layer.weightGain + (layer.bias ? layer.bias.data[j]! * layer.biasGain : 0);
      v = (v < 0 ? 0.2 * v : v) * mapping.activationGain;
      y[j] = v;
    }
    x = y;
  }
  for (let i = 0; i < out.length; i++) out[i] = x[i]!;
  return out;
}

function estimateWAvg(mapping: StyleGan2Model['mapping'], zDim: number, wDim: number, samples: number, rng: SeededNormal): Float32Array {
  const acc = new Float64Array(wDim);
  const z = new Float32Array(zDim);
  const w = new Float32Array(wDim);
  for (let s = 0; s < samples; s++) {
    mapZ(mapping, rng.fill(z), w);
    for (let i = 0; i < wDim; i++) acc[i] = acc[i]! + w[i]!;
  }
  return Float32Array.from(acc, (v) => v / Math.max(1, samples));
}
