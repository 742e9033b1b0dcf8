/**
 * The StyleGAN2 synthesis network as an ONNX graph, in the non-fused form: activations are scaled by the styles,
 * conv weights stay constant initializers, outputs are multiplied by demodulation coefficients from one MatMul of
 * squared styles against precomputed squared-weight sums. Batch stays dynamic.
 *
 * Per modulated conv (both references, all gains explicit in ModConvWeights):
 *   s     = w[wIndex] · A + b                                   (affine with weight/bias/style gains folded)
 *   y     = conv(x · s, W·weightGain)          or, when up:    blur(convT₂(x · s, (W·weightGain)ᵀ))
 *   d     = 1 / sqrt(s² @ S0 + 1e-8),  S0[i,o] = Σ_k (W·weightGain)[o,i,k]²
 *   y     = y · d + noise;  act(y + bias) · gain;  clamp
 * With a rewrite of strength a (ΔW = W∘(R−1)):  y = conv(x·s, W) + a·conv(x·s, ΔW),
 *   d = 1 / sqrt(s² @ S0 + 2a·s² @ S1 + a²·s² @ S2 + 1e-8),  S1 = Σ_k W·ΔW,  S2 = Σ_k ΔW²  (exact, one MatMul).
 *
 * Inputs: ws [batch, numWs, wDim]; noise_mix [numNoise, K]; noise_strength [numNoise]; noise_mask [R, M, M];
 * noise_region [R]; bend [numBend, 2, 3]; rewrite [numRewrite] (the last three only when used).
 * Outputs: rgba uint8 [batch·H, W, 4]; image float [batch·3, H, W] (raw, before clamping).
 */
import { GraphBuilder, type Value, ops } from '../onnx/index.js';
import { UserError } from '../../errors.js';
import type { ManifestLayer, ModConvWeights, StyleGan2Model } from '../types.js';
import { constSize, type GraphOptions } from './options.js';
import { blurPads, fir2d, flip2d, upsampleConvTransposePads, widenMap } from './resample.js';
import { foldedAffine, kernelDotSums, noiseBank, rewriteDelta, scaledWeight, transposeOutIn } from './weights.js';

const DEMOD_EPS = 1e-8;

export interface BuiltGenerator {
  bytes: Uint8Array;
  width: number;
  height: number;
  layers: ManifestLayer[];
  numNoise: number;
  numBend: number;
  numRewrite: number;
  inputNames: string[];
  outputNames: string[];
}

/** The base sampling grid [h·w, 3] of pixel centres in normalised coordinates (x, y, 1), align_corners = 0. */
function baseGrid(h: number, w: number): Float32Array {
  const g = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      g[o] = (2 * x + 1) / w - 1;
      g[o + 1] = (2 * y + 1) / h - 1;
      g[o + 2] = 1;
    }
  }
  return g;
}

export function buildGeneratorGraph(model: StyleGan2Model, opts: GraphOptions): BuiltGenerator {
  if (model.imgChannels !== 3) throw new UserError(`${model.source.file}: ${model.imgChannels} image channels; latentvj paints RGB (3)`);
  const g = new GraphBuilder('stylegan2_synthesis');
  const h0 = model.constInput.shape[1]!;
  const w0 = model.constInput.shape[2]!;
  const cSize = constSize(model, opts.aspect);
  const baseRes = model.convs[0]?.resolution ?? h0;
  const sizeAt = (res: number): { h: number; w: number } => ({
    h: (res / baseRes) * cSize.h,
    w: (res / baseRes) * cSize.w,
  });
  const outSize = sizeAt(model.resolution);

  const noiseLayers = model.convs.filter((c) => c.noise !== null);
  const numNoise = noiseLayers.length;
  const K = opts.noiseBank;
  const R = opts.maskRegions;
  const M = opts.maskSize;
  const numBend = opts.bendLayers.length;
  const numRewrite = opts.rewriteLayers.length;

  // ---- inputs
  const ws = g.input('ws', 'float', ['batch', model.numWs, model.wDim]);
  const noiseMix = !opts.noiseInputs && numNoise > 0 ? g.input('noise_mix', 'float', [numNoise, K]) : null;
  const noiseStrength = numNoise > 0 ? g.input('noise_strength', 'float', [numNoise]) : null;
  const noiseMask = numNoise > 0 ? g.input('noise_mask', 'float', [R, M, M]) : null;
  const noiseRegion = numNoise > 0 ? g.input('noise_region', 'float', [R]) : null;
  const noiseMaps = opts.noiseInputs
    ? noiseLayers.map((c, j) => {
        const s = sizeAt(c.resolution);
        return g.input(`noise_${j}`, 'float', [1, 1, s.h, s.w]);
      })
    : [];
  const bend = numBend > 0 ? g.input('bend', 'float', [numBend, 2, 3]) : null;
  const rewrite = numRewrite > 0 ? g.input('rewrite', 'float', [numRewrite]) : null;

  // ---- shared pieces, built once and reused
  const wRows = new Map<number, Value>();
  const wRow = (i: number): Value => {
    let v = wRows.get(i);
    if (!v) wRows.set(i, (v = ops.gather(g, ws, i, 1)));
    return v;
  };
  let maskCombined: Value | null = null;
  const maskFields = new Map<string, Value>();
  const maskField = (h: number, w: number): Value => {
    const key = `${h}x${w}`;
    let f = maskFields.get(key);
    if (f) return f;
    if (!maskCombined) {
      // Σ_r region[r]·mask[r]: the sum commutes with the (linear) resize, so it is done once at M×M.
      const flat = ops.reshape(g, noiseMask!, [R, M * M]);
      const weighted = ops.matMul(g, ops.unsqueeze(g, noiseRegion!, [0]), flat);
      maskCombined = ops.reshape(g, weighted, [1, 1, M, M]);
    }
    f = ops.resizeBilinear(g, maskCombined, [1, 1, h, w]);
    maskFields.set(key, f);
    return f;
  };
  const grids = new Map<string, Value>();
  const gridBase = (h: number, w: number): Value => {
    const key = `${h}x${w}`;
    let v = grids.get(key);
    if (!v) grids.set(key, (v = g.constFloat(baseGrid(h, w), [h * w, 3], `grid_${key}`)));
    return v;
  };
  const blurWeights = new Map<number, Value>();
  const blurWeight = (channels: number): Value => {
    let v = blurWeights.get(channels);
    if (v) return v;
    const k = model.blurKernel.length;
    // upfirdn2d convolves (flipped filter); Conv correlates, so the weight is the flipped filter. Gain up² = 4.
    const f = flip2d(fir2d(model.blurKernel, 4), k);
    const data = new Float32Array(channels * k * k);
    for (let c = 0; c < channels; c++) for (let i = 0; i < k * k; i++) data[c * k * k + i] = f[i]!;
    v = g.constFloat(data, [channels, 1, k, k], `blur_${channels}`);
    blurWeights.set(channels, v);
    return v;
  };

  const styles = (layer: ModConvWeights): Value => {
    const { a, b, wDim } = foldedAffine(layer);
    const s = ops.matMul(g, wRow(layer.wIndex), g.constFloat(a, [wDim, layer.inChannels], `${layer.name}.affine`));
    return ops.add(g, s, g.constFloat(b, [layer.inChannels], `${layer.name}.affine_bias`));
  };

  /** bias, activation (leaky ReLU 0.2) times its gain, then the clamp — bias_act / FusedLeakyReLU. */
  const biasActClamp = (layer: ModConvWeights, x: Value): Value => {
    let y = ops.add(g, x, g.constFloat(layer.bias.data, [1, layer.outChannels, 1, 1], `${layer.name}.bias`));
    if (layer.activation === 'lrelu') y = ops.leakyRelu(g, y, 0.2);
    if (layer.activationGain !== 1) y = ops.scale(g, y, layer.activationGain);
    if (layer.clamp !== null) y = ops.clip(g, y, -layer.clamp, layer.clamp);
    return y;
  };

  /**
   * y · 1/sqrt(s² @ S0 + eps); with a rewrite of strength a and perturbation ΔW the squared norm of W + a·ΔW is
   * expanded exactly as s² @ S0 + 2a·s² @ S1 + a²·s² @ S2, with [S0 | S1 | S2] side by side in one MatMul.
   */
  const demodulate = (layer: ModConvWeights, y: Value, s: Value, wScaled: Float32Array, delta: Float32Array | null, a: Value | null): Value => {
    const { inChannels: cin, outChannels: cout, kernel: k } = layer;
    const kk = k * k;
    const s2 = ops.mul(g, s, s);
    let d2: Value;
    if (delta && a) {
      const sums = [kernelDotSums(wScaled, wScaled, cout, cin, kk), kernelDotSums(wScaled, delta, cout, cin, kk), kernelDotSums(delta, delta, cout, cin, kk)];
      const cat = new Float32Array(cin * 3 * cout);
      for (let i = 0; i < cin; i++) sums.forEach((m, j) => cat.set(m.subarray(i * cout, (i + 1) * cout), (i * 3 + j) * cout));
      const m = ops.reshape(g, ops.matMul(g, s2, g.constFloat(cat, [cin, 3 * cout], `${layer.name}.wsq3`)), [-1, 3, cout]);
      const a1 = ops.unsqueeze(g, a, [0]);
      const coef = ops.concat(g, [g.constFloat([1], [1]), ops.scale(g, a1, 2), ops.mul(g, a1, a1)], 0);
      d2 = ops.reduceSum(g, ops.mul(g, m, ops.reshape(g, coef, [1, 3, 1])), [1], false);
    } else {
      d2 = ops.matMul(g, s2, g.constFloat(kernelDotSums(wScaled, wScaled, cout, cin, kk), [cin, cout], `${layer.name}.wsq`));
    }
    const d = ops.reciprocal(g, ops.sqrt(g, ops.addScalar(g, d2, DEMOD_EPS)));
    return ops.mul(g, y, ops.reshape(g, d, [-1, cout, 1, 1]));
  };

  const layers: ManifestLayer[] = [];

  /** One modulated conv with everything after it (noise, bias, activation, clamp, bend). */
  const modConv = (layer: ModConvWeights, x: Value): Value => {
    const { inChannels: cin, outChannels: cout, kernel: k } = layer;
    const kk = k * k;
    const size = sizeAt(layer.resolution);
    const s = styles(layer);
    const xs = ops.mul(g, x, ops.reshape(g, s, [-1, cin, 1, 1]));
    const wScaled = scaledWeight(layer);
    const convWith = (w: Float32Array, hint: string): Value => {
      if (layer.up) {
        const wt = g.constFloat(transposeOutIn(w, cout, cin, kk), [cin, cout, k, k], hint);
        return ops.convTranspose(g, xs, wt, { strides: [2, 2] });
      }
      const p = Math.floor(k / 2);
      return ops.conv(g, xs, g.constFloat(w, [cout, cin, k, k], hint), { pads: [p, p, p, p] });
    };
    let y = convWith(wScaled, `${layer.name}.weight`);
    const rIndex = opts.rewriteLayers.indexOf(layer.name);
    let delta: Float32Array | null = null;
    let a: Value | null = null;
    if (rIndex >= 0) {
      const dStored = rewriteDelta(layer, opts.rewriteSeed, opts.rewriteSigma);
      delta = new Float32Array(dStored.length);
      for (let i = 0; i < dStored.length; i++) delta[i] = dStored[i]! * layer.weightGain;
      a = ops.gather(g, rewrite!, rIndex, 0);
      y = ops.add(g, y, ops.mul(g, convWith(delta, `${layer.name}.rewrite_delta`), a));
    }
    if (layer.up) {
      const [p0, p1] = blurPads(model.blurKernel.length, k);
      y = ops.conv(g, y, blurWeight(cout), { pads: [p0, p0, p1, p1], group: cout });
    }
    if (layer.demodulate) y = demodulate(layer, y, s, wScaled, delta, a);
    let noiseIndex = -1;
    if (layer.noise) {
      noiseIndex = noiseLayers.indexOf(layer);
      const strength = ops.scale(g, ops.gather(g, noiseStrength!, noiseIndex, 0), layer.noise.strength);
      let n: Value;
      if (opts.noiseInputs) {
        n = ops.mul(g, noiseMaps[noiseIndex]!, strength);
      } else {
        const bank = noiseBank(layer, K, size.h, size.w, opts.noiseSeed, opts.widen);
        const row = ops.unsqueeze(g, ops.mul(g, ops.gather(g, noiseMix!, noiseIndex, 0), strength), [0]);
        const mixed = ops.matMul(g, row, g.constFloat(bank, [K, size.h * size.w], `${layer.name}.noise_bank`));
        n = ops.reshape(g, mixed, [1, 1, size.h, size.w]);
      }
      y = ops.add(g, y, ops.mul(g, n, maskField(size.h, size.w)));
    }
    y = biasActClamp(layer, y);
    const bIndex = opts.bendLayers.indexOf(layer.name);
    if (bIndex >= 0) {
      const theta = ops.gather(g, bend!, bIndex, 0);
      const grid = ops.matMul(g, gridBase(size.h, size.w), ops.transpose(g, theta, [1, 0]));
      const grid4 = ops.reshape(g, grid, [1, size.h, size.w, 2]);
      // Batch and channels folded into GridSample's channel axis, so one grid serves any batch.
      const flat = ops.reshape(g, y, [1, -1, size.h, size.w]);
      y = ops.reshape(g, ops.gridSample(g, flat, grid4, opts.bendPadding), [-1, cout, size.h, size.w]);
    }
    if (opts.featureOutputs.includes(layer.name)) g.output(y, `feat_${layer.name}`, 'float', ['batch', cout, size.h, size.w]);
    layers.push({
      name: layer.name,
      resolution: layer.resolution,
      channels: cout,
      wIndex: layer.wIndex,
      noiseIndex,
      bendIndex: bIndex,
      rewriteIndex: rIndex,
      height: size.h,
      width: size.w,
    });
    return y;
  };

  /** ToRGB: a modulated 1×1 conv without demodulation, plus bias (and clamp); linear. */
  const toRgb = (layer: ModConvWeights, x: Value): Value => {
    const { inChannels: cin, outChannels: cout, kernel: k } = layer;
    const size = sizeAt(layer.resolution);
    const s = styles(layer);
    const xs = ops.mul(g, x, ops.reshape(g, s, [-1, cin, 1, 1]));
    const p = Math.floor(k / 2);
    const wScaled = scaledWeight(layer);
    let y = ops.conv(g, xs, g.constFloat(wScaled, [cout, cin, k, k], `${layer.name}.weight`), { pads: [p, p, p, p] });
    if (layer.demodulate) y = demodulate(layer, y, s, wScaled, null, null);
    y = biasActClamp(layer, y);
    layers.push({
      name: layer.name,
      resolution: layer.resolution,
      channels: cout,
      wIndex: layer.wIndex,
      noiseIndex: -1,
      bendIndex: -1,
      rewriteIndex: -1,
      height: size.h,
      width: size.w,
    });
    return y;
  };

  /** ×2 FIR up-sampling of the skip image as one depthwise stride-2 ConvTranspose (filter as is, gain 4). */
  const upsampleImage = (img: Value): Value => {
    const k = model.blurKernel.length;
    const f = fir2d(model.blurKernel, 4);
    const c = model.imgChannels;
    const data = new Float32Array(c * k * k);
    for (let ch = 0; ch < c; ch++) for (let i = 0; i < k * k; i++) data[ch * k * k + i] = f[i]!;
    const [b, e] = upsampleConvTransposePads(k);
    return ops.convTranspose(g, img, g.constFloat(data, [c, 1, k, k], 'upsample_fir'), { strides: [2, 2], pads: [b, b, e, e], group: c });
  };

  // ---- the network
  const cIn = model.constInput.shape[0]!;
  const constData = widenMap(model.constInput.data, cIn, h0, w0, cSize.h, cSize.w, opts.widen);
  let x: Value = g.constFloat(constData, [1, cIn, cSize.h, cSize.w], 'const_input');
  let img: Value | null = null;
  const resolutions = [...new Set([...model.convs.map((c) => c.resolution), ...model.toRgb.map((c) => c.resolution)])].sort((p, q) => p - q);
  for (const res of resolutions) {
    for (const c of model.convs.filter((l) => l.resolution === res)) x = modConv(c, x);
    for (const t of model.toRgb.filter((l) => l.resolution === res)) {
      const y = toRgb(t, x);
      img = img ? ops.add(g, upsampleImage(img), y) : y;
    }
  }
  if (!img) throw new UserError(`${model.source.file}: the model has no ToRGB layer`);

  // ---- outputs
  const { h: H, w: W } = outSize;
  if (opts.imageOutput) g.output(ops.reshape(g, img, [-1, H, W]), 'image', 'float', ['batch3', H, W]);
  // clamp to [-1, 1] → 0..255 rounded, channels last, alpha 255.
  const scaled = ops.round(g, ops.addScalar(g, ops.scale(g, ops.clip(g, img, -1, 1), 127.5), 127.5));
  const hwc = ops.transpose(g, scaled, [0, 2, 3, 1]);
  const withAlpha = ops.padConstant(g, hwc, [0, 0, 0, 0, 0, 0, 0, 1], 255);
  g.output(ops.reshape(g, ops.cast(g, withAlpha, 'uint8'), [-1, W, 4]), 'rgba', 'uint8', ['batchH', W, 4]);

  const inputNames = ['ws'];
  if (noiseMix) inputNames.push('noise_mix');
  if (noiseStrength) inputNames.push('noise_strength', 'noise_mask', 'noise_region');
  noiseMaps.forEach((_, j) => inputNames.push(`noise_${j}`));
  if (bend) inputNames.push('bend');
  if (rewrite) inputNames.push('rewrite');
  const outputNames = ['rgba', ...(opts.imageOutput ? ['image'] : []), ...opts.featureOutputs.map((n) => `feat_${n}`)];
  return {
    bytes: g.toBytes({ opset: opts.opset, docString: `StyleGAN2 synthesis from ${model.source.file}` }),
    width: W,
    height: H,
    layers,
    numNoise,
    numBend,
    numRewrite,
    inputNames,
    outputNames,
  };
}
