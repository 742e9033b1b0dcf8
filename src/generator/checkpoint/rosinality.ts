/**
 * rosinality/stylegan2-pytorch checkpoints: `{ g_ema: state_dict, latent_avg?, … }` saved with torch.save.
 *
 * Everything is inferred from tensor names and shapes (resolution from the number of `convs.*`, channels
 * from each conv weight, mapping depth from `style.*`, style dim from the modulation weights), so
 * non-standard channel multipliers and sizes load. Formulas of model.py made explicit as gains:
 *   EqualLinear (mapping):  y = x·(W·lr/√in)ᵀ, then lrelu(y + b·lr)·√2, lr = lr_mlp (0.01, not stored)
 *   modulation:             s = x·(W/√in)ᵀ + b  (bias_init 1, lr 1)
 *   ModulatedConv2d:        W' = W·(1/√(in·k²))·s, demod = rsqrt(ΣW'² + 1e-8)
 *   StyledConv:             conv → + noise·weight → lrelu(x + bias)·√2
 *   ToRGB:                  modulated 1×1 conv without demodulation, + bias, + upsampled skip
 * W+ wiring (Generator.forward): conv1 ← w[0], to_rgb1 ← w[1]; for block i ≥ 1: convs[2i−2] ← w[2i−1],
 * convs[2i−1] ← w[2i], to_rgbs[i−1] ← w[2i+1]. Noise: conv1 ← noise_0, convs[j] ← noise_{j+1}.
 */
import type { FcWeights, ModConvWeights, StyleGan2Model, Tensor } from '../types.js';
import { UserError } from '../../errors.js';
import { StateDict, firTaps, squeezeTo } from './weights.js';

/** rosinality's Generator default (lr_mlp); the checkpoint does not record it. */
export const ROSINALITY_LR_MLP = 0.01;

const SQRT2 = Math.SQRT2;

export function rosinalityModel(
  sd: StateDict,
  latentAvg: Tensor | null,
  source: StyleGan2Model['source'],
): StyleGan2Model {
  const file = sd.file;
  // Mapping depth: style.1 … style.n (style.0 is PixelNorm).
  const mapping: FcWeights[] = [];
  for (let i = 1; sd.has(`style.${i}.weight`); i++) {
    const weight = sd.get(`style.${i}.weight`);
    const inDim = weight.shape[1] as number;
    mapping.push({
      weight,
      bias: sd.get(`style.${i}.bias`),
      weightGain: ROSINALITY_LR_MLP / Math.sqrt(inDim),
      biasGain: ROSINALITY_LR_MLP,
    });
  }
  if (mapping.length === 0) throw new UserError(`${file}: g_ema has no mapping layers (style.1.weight …); is it a rosinality StyleGAN2 generator?`);
  const zDim = mapping[0]?.weight.shape[1] as number;
  const wDim = mapping[mapping.length - 1]?.weight.shape[0] as number;

  const constInput = squeezeTo(sd.get('input.input'), 3);
  if (constInput.shape.length !== 3) throw new UserError(`${file}: 'input.input' has shape [${constInput.shape.join(', ')}], expected [1, C, 4, 4]`);

  let pairs = 0;
  while (sd.has(`convs.${2 * pairs}.conv.weight`) && sd.has(`convs.${2 * pairs + 1}.conv.weight`)) pairs++;
  if (!sd.has('to_rgb1.conv.weight')) throw new UserError(`${file}: g_ema has no 'to_rgb1.conv.weight'; is it a rosinality StyleGAN2 generator?`);
  const resolution = 4 * 2 ** pairs;
  const numWs = 2 * (pairs + 2) - 2;

  const noiseKey = (i: number): string => `noises.noise_${i}`;
  const modConv = (prefix: string, name: string, res: number, wIndex: number, up: boolean, noiseIndex: number | null, toRgb: boolean): ModConvWeights => {
    const weight = squeezeTo(sd.get(`${prefix}.conv.weight`), 4);
    const [outC, inC, k] = weight.shape as [number, number, number];
    const modW = sd.get(`${prefix}.conv.modulation.weight`);
    const noise =
      noiseIndex === null
        ? null
        : {
            strength: sd.scalar(`${prefix}.noise.weight`),
            constNoise: sd.has(noiseKey(noiseIndex)) ? squeezeTo(sd.get(noiseKey(noiseIndex)), 2) : null,
          };
    return {
      name,
      resolution: res,
      inChannels: inC,
      outChannels: outC,
      kernel: k,
      up,
      affine: {
        weight: modW,
        bias: sd.get(`${prefix}.conv.modulation.bias`),
        weightGain: 1 / Math.sqrt(modW.shape[1] as number),
        biasGain: 1,
      },
      weight,
      weightGain: 1 / Math.sqrt(inC * k * k),
      styleGain: 1,
      demodulate: !toRgb,
      bias: toRgb ? { shape: [outC], data: sd.get(`${prefix}.bias`).data } : sd.get(`${prefix}.activate.bias`),
      noise,
      activation: toRgb ? 'linear' : 'lrelu',
      activationGain: toRgb ? 1 : SQRT2,
      clamp: null,
      wIndex,
    };
  };

  const convs: ModConvWeights[] = [modConv('conv1', 'b4.conv1', 4, 0, false, 0, false)];
  const toRgb: ModConvWeights[] = [modConv('to_rgb1', 'b4.torgb', 4, 1, false, null, true)];
  for (let i = 1; i <= pairs; i++) {
    const res = 4 * 2 ** i;
    convs.push(modConv(`convs.${2 * i - 2}`, `b${res}.conv0`, res, 2 * i - 1, true, 2 * i - 1, false));
    convs.push(modConv(`convs.${2 * i - 1}`, `b${res}.conv1`, res, 2 * i, false, 2 * i, false));
    toRgb.push(modConv(`to_rgbs.${i - 1}`, `b${res}.torgb`, res, 2 * i + 1, false, null, true));
  }
  for (const c of [...convs, ...toRgb]) {
    if ((c.affine.weight.shape[1] as number) !== wDim) {
      throw new UserError(`${file}: '${c.name}' modulation takes ${c.affine.weight.shape[1]} inputs, but the mapping makes w of ${wDim}`);
    }
  }

  const blurKey = pairs > 0 ? 'convs.0.conv.blur.kernel' : null;
  const blurKernel = blurKey && sd.has(blurKey) ? firTaps(sd.get(blurKey), file, blurKey) : [1, 3, 3, 1];

  let wAvg: Float32Array | null = null;
  if (latentAvg) {
    if (latentAvg.data.length !== wDim) throw new UserError(`${file}: latent_avg holds ${latentAvg.data.length} values, expected w_dim ${wDim}`);
    wAvg = latentAvg.data;
  }
  const imgChannels = toRgb[0]?.outChannels as number;
  return {
    source,
    zDim,
    wDim,
    numWs,
    resolution,
    imgChannels,
    mapping: { layers: mapping, normalizeZ: true, activationGain: SQRT2 },
    wAvg,
    constInput,
    convs,
    toRgb,
    blurKernel,
  };
}
