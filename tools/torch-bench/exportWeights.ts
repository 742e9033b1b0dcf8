/**
 * Writes a StyleGan2Model for tools/torch-bench/stylegan2_torch.py: `model.json` (hyper-parameters, gains and the
 * layer list) plus one float32 `.npy` per tensor, so the PyTorch side runs the same architecture and the very
 * same weights as our ONNX graph.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeNpy } from '../../src/contracts/npy.js';
import type { ModConvWeights, StyleGan2Model, Tensor } from '../../src/generator/types.js';

export interface TorchLayerJson {
  name: string;
  resolution: number;
  inChannels: number;
  outChannels: number;
  kernel: number;
  up: boolean;
  wIndex: number;
  affineWeightGain: number;
  affineBiasGain: number;
  weightGain: number;
  styleGain: number;
  demodulate: boolean;
  noiseStrength: number | null;
  activation: 'lrelu' | 'linear';
  activationGain: number;
  clamp: number | null;
}

export interface TorchModelJson {
  resolution: number;
  numWs: number;
  wDim: number;
  blurKernel: number[];
  convs: TorchLayerJson[];
  toRgb: TorchLayerJson[];
}

function layerJson(l: ModConvWeights): TorchLayerJson {
  return {
    name: l.name,
    resolution: l.resolution,
    inChannels: l.inChannels,
    outChannels: l.outChannels,
    kernel: l.kernel,
    up: l.up,
    wIndex: l.wIndex,
    affineWeightGain: l.affine.weightGain,
    affineBiasGain: l.affine.biasGain,
    weightGain: l.weightGain,
    styleGain: l.styleGain,
    demodulate: l.demodulate,
    noiseStrength: l.noise ? l.noise.strength : null,
    activation: l.activation,
    activationGain: l.activationGain,
    clamp: l.clamp,
  };
}

/** Writes the synthesis network's weights (the mapping network is not part of the per-frame work). */
export async function exportTorchWeights(model: StyleGan2Model, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const writes: Array<Promise<void>> = [];
  const put = (name: string, t: Tensor) => writes.push(writeNpy(join(dir, `${name}.npy`), t));
  put('const', model.constInput);
  for (const l of [...model.convs, ...model.toRgb]) {
    put(`${l.name}.affine.weight`, l.affine.weight);
    put(`${l.name}.affine.bias`, l.affine.bias ?? { shape: [l.inChannels], data: new Float32Array(l.inChannels) });
    put(`${l.name}.weight`, l.weight);
    put(`${l.name}.bias`, l.bias);
    if (l.noise?.constNoise) put(`${l.name}.noise`, l.noise.constNoise);
  }
  const json: TorchModelJson = {
    resolution: model.resolution,
    numWs: model.numWs,
    wDim: model.wDim,
    blurKernel: model.blurKernel,
    convs: model.convs.map(layerJson),
    toRgb: model.toRgb.map(layerJson),
  };
  writes.push(writeFile(join(dir, 'model.json'), JSON.stringify(json, null, 1)));
  await Promise.all(writes);
}
