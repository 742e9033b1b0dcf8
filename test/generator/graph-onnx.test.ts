import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, ops } from '../../src/generator/onnx/index.js';

test('onnxruntime loads and runs a model written by GraphBuilder (MatMul, Add, LeakyRelu, Gather, Conv)', async () => {
  const g = new GraphBuilder('tiny');
  const ws = g.input('ws', 'float', ['batch', 3, 4]);
  // Pick row 1 of W+, multiply by a 4×2 matrix, add a bias, leaky ReLU.
  const w = g.constFloat([1, 2, 3, 4, 5, 6, 7, 8], [4, 2], 'w');
  const row = ops.gather(g, ws, 1, 1);
  const y = ops.leakyRelu(g, ops.add(g, ops.matMul(g, row, w), g.constFloat([0.5, -100], [2])), 0.2);
  g.output(y, 'y', 'float', ['batch', 2]);
  // A 3×3 conv with padding 1 of a 1×1×3×3 image by a kernel that picks the left neighbour.
  const img = g.input('img', 'float', [1, 1, 3, 3]);
  const k = g.constFloat([0, 0, 0, 1, 0, 0, 0, 0, 0], [1, 1, 3, 3]);
  g.output(ops.conv(g, img, k, { pads: [1, 1, 1, 1] }), 'shifted', 'float', [1, 1, 3, 3]);
  // uint8 output through Cast.
  g.output(ops.cast(g, ops.clip(g, y, 0, 255), 'uint8'), 'bytes', 'uint8', ['batch', 2]);
  const bytes = g.toBytes({ opset: 17 });

  const session = await ort.InferenceSession.create(bytes);
  assert.deepEqual([...session.inputNames].sort(), ['img', 'ws']);
  const wsData = Float32Array.from({ length: 12 }, (_, i) => i * 0.1);
  const out = await session.run({
    ws: new ort.Tensor('float32', wsData, [1, 3, 4]),
    img: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 1, 3, 3]),
  });
  const r = [0.4, 0.5, 0.6, 0.7];
  const y0 = r[0]! * 1 + r[1]! * 3 + r[2]! * 5 + r[3]! * 7 + 0.5;
  const y1 = (r[0]! * 2 + r[1]! * 4 + r[2]! * 6 + r[3]! * 8 - 100) * 0.2;
  const yOut = out.y!.data as Float32Array;
  assert.ok(Math.abs(yOut[0]! - y0) < 1e-5, `y0 ${yOut[0]} vs ${y0}`);
  assert.ok(Math.abs(yOut[1]! - y1) < 1e-5, `y1 ${yOut[1]} vs ${y1}`);
  assert.deepEqual([...(out.shifted!.data as Float32Array)], [0, 1, 2, 0, 4, 5, 0, 7, 8]);
  assert.equal(out.bytes!.type, 'uint8');
  assert.deepEqual([...(out.bytes!.data as Uint8Array)], [Math.trunc(y0), 0]);
  await session.release();
});

test('GraphBuilder refuses constants whose data does not fill their dims', () => {
  const g = new GraphBuilder();
  assert.throws(() => g.constFloat([1, 2, 3], [2, 2]), /do not fill dims \[2, 2\]/);
});
