/**
 * The mapping network z → w as its own small ONNX graph (rosinality PixelNorm + EqualLinear(lr_mul 0.01,
 * fused_lrelu); NVIDIA normalize_2nd_moment + FullyConnectedLayer(lr_multiplier 0.01, lrelu)):
 *   x = z / sqrt(mean(z²) + 1e-8);  x = lrelu(x · (W·gain)ᵀ + b·biasGain, 0.2) · √2   per layer.
 * Truncation and style mixing happen in TypeScript on its output.
 */
import { GraphBuilder, ops } from '../onnx/index.js';
import type { StyleGan2Model } from '../types.js';
import { foldFc } from './weights.js';

export function buildMappingGraph(model: StyleGan2Model, opset: number): Uint8Array {
  const g = new GraphBuilder('stylegan2_mapping');
  const z = g.input('z', 'float', ['batch', model.zDim]);
  let x = z;
  if (model.mapping.normalizeZ) {
    const meanSq = ops.reduceMean(g, ops.mul(g, z, z), [1], true);
    x = ops.mul(g, z, ops.reciprocal(g, ops.sqrt(g, ops.addScalar(g, meanSq, 1e-8))));
  }
  model.mapping.layers.forEach((fc, i) => {
    const { a, b, wDim: inDim } = foldFc(fc);
    const outDim = fc.weight.shape[0]!;
    x = ops.matMul(g, x, g.constFloat(a, [inDim, outDim], `mapping.${i}.weight`));
    if (fc.bias) x = ops.add(g, x, g.constFloat(b, [outDim], `mapping.${i}.bias`));
    x = ops.leakyRelu(g, x, 0.2);
    if (model.mapping.activationGain !== 1) x = ops.scale(g, x, model.mapping.activationGain);
  });
  g.output(x, 'w', 'float', ['batch', model.wDim]);
  return g.toBytes({ opset, docString: `StyleGAN2 mapping from ${model.source.file}` });
}
