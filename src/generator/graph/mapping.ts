/**
 * The mapping network z → w as its own small ONNX graph (rosinality PixelNorm + EqualLinear(lr_mul 0.01,
 * fused_lrelu); NVIDIA normalize_2nd_moment + FullyConnectedLayer(lr_multiplier 0.01, lrelu)):
 *   x = z / sqrt(mean(z²) + 1e-8);  x = lrelu(x · (W·gain)ᵀ + b·biasGain, 0.2) · √2   per layer.
 * Truncation and style mixing happen in TypeScript on its output.
 */
import { GraphBuilder, ops, type Value } from '../onnx/index.js';
import type { StyleGan2Model } from '../types.js';
import { foldFc } from './weights.js';

export function buildMappingGraph(model: StyleGan2Model, opset: number): Uint8Array {
  const g = new GraphBuilder('stylegan2_mapping');
  const z = g.input('z', 'float', ['batch', model.zDim]);
  const normalise = (v: Value): Value => {
    const meanSq = ops.reduceMean(g, ops.mul(g, v, v), [1], true);
    return ops.mul(g, v, ops.reciprocal(g, ops.sqrt(g, ops.addScalar(g, meanSq, 1e-8))));
  };
  let x = model.mapping.normalizeZ ? normalise(z) : z;
  const embed = model.mapping.embed;
  if (embed && model.cDim) {
    // Conditional (NVIDIA): y = normalise(c·(E·gain)ᵀ + b·biasGain); x = [x, y].
    const c = g.input('c', 'float', ['batch', model.cDim]);
    const { a, b } = foldFc(embed);
    const outDim = embed.weight.shape[0]!;
    let y = ops.matMul(g, c, g.constFloat(a, [model.cDim, outDim], 'mapping.embed.weight'));
    if (embed.bias) y = ops.add(g, y, g.constFloat(b, [outDim], 'mapping.embed.bias'));
    x = ops.concat(g, [x, normalise(y)], 1);
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
