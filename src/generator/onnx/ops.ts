/**
 * One helper per ONNX operator we use (opset 17 semantics), so graph code reads like the maths and attribute
 * types are right by construction.
 */
import { attr, type Attr, type GraphBuilder, type Value } from './builder.js';

export const add = (g: GraphBuilder, a: Value, b: Value): Value => g.op('Add', [a, b]);
export const sub = (g: GraphBuilder, a: Value, b: Value): Value => g.op('Sub', [a, b]);
export const mul = (g: GraphBuilder, a: Value, b: Value): Value => g.op('Mul', [a, b]);
export const div = (g: GraphBuilder, a: Value, b: Value): Value => g.op('Div', [a, b]);
export const matMul = (g: GraphBuilder, a: Value, b: Value): Value => g.op('MatMul', [a, b]);
export const sqrt = (g: GraphBuilder, x: Value): Value => g.op('Sqrt', [x]);
export const reciprocal = (g: GraphBuilder, x: Value): Value => g.op('Reciprocal', [x]);
export const round = (g: GraphBuilder, x: Value): Value => g.op('Round', [x]);
export const identity = (g: GraphBuilder, x: Value): Value => g.op('Identity', [x]);
export const shape = (g: GraphBuilder, x: Value): Value => g.op('Shape', [x]);

/** y = x·scale for a scalar constant. */
export const scale = (g: GraphBuilder, x: Value, s: number): Value => mul(g, x, g.constFloat([s], []));
/** y = x + c for a scalar constant. */
export const addScalar = (g: GraphBuilder, x: Value, c: number): Value => add(g, x, g.constFloat([c], []));

export const leakyRelu = (g: GraphBuilder, x: Value, alpha: number): Value =>
  g.op('LeakyRelu', [x], { alpha: attr.float(alpha) });

/** Clip with scalar float bounds (opset ≥ 11 takes them as inputs). */
export const clip = (g: GraphBuilder, x: Value, min: number, max: number): Value =>
  g.op('Clip', [x, g.constFloat([min], []), g.constFloat([max], [])]);

export const cast = (g: GraphBuilder, x: Value, to: 'float' | 'uint8' | 'int64'): Value =>
  g.op('Cast', [x], { to: attr.int(to === 'float' ? 1 : to === 'uint8' ? 2 : 7) });

export const reshape = (g: GraphBuilder, x: Value, dims: readonly number[]): Value =>
  g.op('Reshape', [x, g.constInt64(dims)]);

export const transpose = (g: GraphBuilder, x: Value, perm: readonly number[]): Value =>
  g.op('Transpose', [x], { perm: attr.ints(perm) });

export const unsqueeze = (g: GraphBuilder, x: Value, axes: readonly number[]): Value =>
  g.op('Unsqueeze', [x, g.constInt64(axes)]);

export const gather = (g: GraphBuilder, x: Value, index: number, axis: number): Value =>
  g.op('Gather', [x, g.constInt64([index], [])], { axis: attr.int(axis) });

export const concat = (g: GraphBuilder, xs: readonly Value[], axis: number): Value =>
  g.op('Concat', xs, { axis: attr.int(axis) });

export const slice = (
  g: GraphBuilder,
  x: Value,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[],
): Value => g.op('Slice', [x, g.constInt64(starts), g.constInt64(ends), g.constInt64(axes)]);

export const reduceSum = (g: GraphBuilder, x: Value, axes: readonly number[], keepdims = true): Value =>
  g.op('ReduceSum', [x, g.constInt64(axes)], { keepdims: attr.int(keepdims ? 1 : 0) });

export const reduceMean = (g: GraphBuilder, x: Value, axes: readonly number[], keepdims = true): Value =>
  // ReduceMean takes axes as an attribute up to opset 17.
  g.op('ReduceMean', [x], { axes: attr.ints(axes), keepdims: attr.int(keepdims ? 1 : 0) });

export interface ConvOptions {
  /** [top, left, bottom, right]. */
  pads?: readonly number[];
  strides?: readonly number[];
  group?: number;
}

const convAttrs = (o: ConvOptions): Record<string, Attr> => {
  const a: Record<string, Attr> = {};
  if (o.pads) a.pads = attr.ints(o.pads);
  if (o.strides) a.strides = attr.ints(o.strides);
  if (o.group && o.group !== 1) a.group = attr.int(o.group);
  return a;
};

/** Cross-correlation with weights [out, in/group, kh, kw] (same as torch.nn.functional.conv2d). */
export const conv = (g: GraphBuilder, x: Value, w: Value, o: ConvOptions = {}, bias?: Value): Value =>
  g.op('Conv', bias ? [x, w, bias] : [x, w], convAttrs(o));

/** Transposed conv with weights [in, out/group, kh, kw] (same as torch.nn.functional.conv_transpose2d). */
export const convTranspose = (g: GraphBuilder, x: Value, w: Value, o: ConvOptions = {}): Value =>
  g.op('ConvTranspose', [x, w], convAttrs(o));

/** Constant-value padding; pads are [x1_begin, x2_begin, ..., x1_end, x2_end, ...] over all axes. */
export const padConstant = (g: GraphBuilder, x: Value, pads: readonly number[], value: number): Value =>
  g.op('Pad', [x, g.constInt64(pads), g.constFloat([value], [])], { mode: attr.string('constant') });

/** Reflect or edge padding of all axes. */
export const padMode = (g: GraphBuilder, x: Value, pads: readonly number[], mode: 'reflect' | 'edge'): Value =>
  g.op('Pad', [x, g.constInt64(pads)], { mode: attr.string(mode) });

/** Bilinear resize of an NCHW tensor to a fixed size (pixel-centre aligned, like align_corners=False). */
export const resizeBilinear = (g: GraphBuilder, x: Value, sizes: readonly number[]): Value =>
  g.op('Resize', [x, null, null, g.constInt64(sizes)], {
    mode: attr.string('linear'),
    coordinate_transformation_mode: attr.string('half_pixel'),
  });

/** Opset 16–19 GridSample: grid [N, Ho, Wo, 2] holds (x, y) in [-1, 1]. */
export const gridSample = (
  g: GraphBuilder,
  x: Value,
  grid: Value,
  paddingMode: 'zeros' | 'border' | 'reflection',
  alignCorners = false,
): Value =>
  g.op('GridSample', [x, grid], {
    mode: attr.string('bilinear'),
    padding_mode: attr.string(paddingMode),
    align_corners: attr.int(alignCorners ? 1 : 0),
  });
