/**
 * fp16 variants of a generator graph, for GPU providers (half the memory traffic, tensor cores).
 *
 *  - `toFp16`: every float32 initializer, constant and intermediate becomes float16; the graph's float inputs
 *    stay float32 and are cast on entry, float outputs are cast back on exit, so the runtime feeds and reads
 *    exactly what it does for the fp32 model.
 *  - `emulateFp16`: the fp32 graph with every float tensor (weights and every node's output) rounded to fp16
 *    precision by a Cast pair. It runs on the CPU provider (which has few fp16 kernels), so the accuracy of the
 *    fp16 variant can be measured on any machine: it matches fp16 storage with fp32 accumulation, which is how
 *    GPU fp16 convolutions and GEMMs accumulate.
 *
 * Written here, over the ONNX writer's protobuf schema, because the conversion is a short walk over the graph
 * and the npm converters we know of are Python (onnxconverter-common) or pull in a full ONNX toolchain.
 */
import protobuf from 'protobufjs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onnxSchema } from '../onnx/schema.js';
import { halfToFloat } from '../../contracts/npy.js';

const FLOAT = 1;
const FLOAT16 = 10;
const INT64 = 7;

interface TensorMsg {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
  floatData: number[];
}
interface AttributeMsg {
  name: string;
  i: number | { toNumber(): number };
  t?: TensorMsg | null;
}
interface NodeMsg {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: AttributeMsg[];
}
interface ValueInfoMsg {
  name: string;
  type?: { tensorType?: { elemType: number } | null } | null;
}
interface GraphMsg {
  node: NodeMsg[];
  initializer: TensorMsg[];
  input: ValueInfoMsg[];
  output: ValueInfoMsg[];
  valueInfo: ValueInfoMsg[];
}
interface ModelMsg {
  graph: GraphMsg;
}

let root: protobuf.Root | null = null;
function types(): { Model: protobuf.Type; Node: protobuf.Type; Attribute: protobuf.Type } {
  root ??= protobuf.Root.fromJSON(onnxSchema as unknown as protobuf.INamespace);
  return {
    Model: root.lookupType('onnx.ModelProto'),
    Node: root.lookupType('onnx.NodeProto'),
    Attribute: root.lookupType('onnx.AttributeProto'),
  };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE half bits, round to nearest even; overflow → ±Inf, underflow → subnormals/±0. */
export function floatToHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    if (rem > half || (rem === half && (m & 1))) m += 1;
    return sign | m;
  }
  let h = sign | (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h += 1; // may carry into the exponent: still correct
  return h;
}

function floatValues(t: TensorMsg): Float32Array {
  if (t.rawData && t.rawData.length > 0) {
    const copy = new Uint8Array(t.rawData); // aligned copy
    return new Float32Array(copy.buffer, 0, copy.length / 4);
  }
  return Float32Array.from(t.floatData ?? []);
}

function toHalfTensor(t: TensorMsg): void {
  const v = floatValues(t);
  const h = new Uint16Array(v.length);
  for (let i = 0; i < v.length; i++) h[i] = floatToHalf(v[i]!);
  t.rawData = new Uint8Array(h.buffer);
  t.floatData = [];
  t.dataType = FLOAT16;
}

function roundTensorToHalf(t: TensorMsg): void {
  const v = floatValues(t);
  for (let i = 0; i < v.length; i++) v[i] = halfToFloat(floatToHalf(v[i]!));
  t.rawData = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  t.floatData = [];
}

const attrInt = (a: AttributeMsg): number => (typeof a.i === 'number' ? a.i : a.i.toNumber());

function castNode(input: string, output: string, to: number): NodeMsg {
  const { Node, Attribute } = types();
  return Node.create({
    input: [input],
    output: [output],
    name: `fp16_cast_${output}`,
    opType: 'Cast',
    attribute: [Attribute.create({ name: 'to', type: 2, i: to })],
  }) as unknown as NodeMsg;
}

/** Element type of every value, propagated through the ops our graphs use (output type = first input's). */
function elementTypes(g: GraphMsg): Map<string, number> {
  const ty = new Map<string, number>();
  for (const i of g.input) ty.set(i.name, i.type?.tensorType?.elemType ?? 0);
  for (const t of g.initializer) ty.set(t.name, t.dataType);
  for (const n of g.node) {
    let out = n.input[0] ? (ty.get(n.input[0]) ?? 0) : 0;
    if (n.opType === 'Cast') out = attrInt(n.attribute.find((a) => a.name === 'to')!);
    else if (n.opType === 'Shape' || n.opType === 'Size') out = INT64;
    else if (n.opType === 'Constant') out = n.attribute.find((a) => a.name === 'value')?.t?.dataType ?? 0;
    for (const o of n.output) ty.set(o, out);
  }
  return ty;
}

/** The fp16 variant of a float32 generator graph (float inputs and outputs keep float32). */
export function toFp16(bytes: Uint8Array): Uint8Array {
  const { Model } = types();
  const model = Model.decode(bytes) as unknown as ModelMsg;
  const g = model.graph;
  for (const t of g.initializer) if (t.dataType === FLOAT) toHalfTensor(t);
  for (const n of g.node) {
    for (const a of n.attribute) {
      if (a.t && a.t.dataType === FLOAT) toHalfTensor(a.t);
      if (n.opType === 'Cast' && a.name === 'to' && attrInt(a) === FLOAT) a.i = FLOAT16;
    }
  }
  const head: NodeMsg[] = [];
  const rename = new Map<string, string>();
  for (const i of g.input) {
    if (i.type?.tensorType?.elemType !== FLOAT) continue;
    const half = `${i.name}__fp16`;
    rename.set(i.name, half);
    head.push(castNode(i.name, half, FLOAT16));
  }
  for (const n of g.node) n.input = n.input.map((x) => rename.get(x) ?? x);
  const tail: NodeMsg[] = [];
  for (const o of g.output) {
    if (o.type?.tensorType?.elemType !== FLOAT) continue;
    const half = `${o.name}__fp16`;
    for (const n of g.node) n.output = n.output.map((x) => (x === o.name ? half : x));
    for (const n of g.node) n.input = n.input.map((x) => (x === o.name ? half : x));
    tail.push(castNode(half, o.name, FLOAT));
  }
  g.node = [...head, ...g.node, ...tail];
  for (const v of g.valueInfo ?? []) if (v.type?.tensorType?.elemType === FLOAT) v.type.tensorType.elemType = FLOAT16;
  return Model.encode(model as unknown as protobuf.Message).finish();
}

/** The float32 graph with every float weight and intermediate rounded to fp16 precision (see the header). */
export function emulateFp16(bytes: Uint8Array): Uint8Array {
  const { Model } = types();
  const model = Model.decode(bytes) as unknown as ModelMsg;
  const g = model.graph;
  for (const t of g.initializer) if (t.dataType === FLOAT) roundTensorToHalf(t);
  const ty = elementTypes(g);
  const outputs = new Set(g.output.map((o) => o.name));
  const nodes: NodeMsg[] = [];
  const rename = new Map<string, string>();
  // Inputs are rounded on entry, as the fp16 model's entry casts do.
  for (const i of g.input) {
    if (i.type?.tensorType?.elemType !== FLOAT) continue;
    nodes.push(castNode(i.name, `${i.name}__h`, FLOAT16), castNode(`${i.name}__h`, `${i.name}__r`, FLOAT));
    rename.set(i.name, `${i.name}__r`);
  }
  for (const n of g.node) {
    n.input = n.input.map((x) => rename.get(x) ?? x);
    nodes.push(n);
    for (const o of n.output) {
      if (ty.get(o) !== FLOAT || outputs.has(o)) continue;
      nodes.push(castNode(o, `${o}__h`, FLOAT16), castNode(`${o}__h`, `${o}__r`, FLOAT));
      rename.set(o, `${o}__r`);
    }
  }
  g.node = nodes;
  return Model.encode(model as unknown as protobuf.Message).finish();
}

/** Writes `generator.fp16.onnx` beside a model's generator and names it in manifest.json (files.generatorFp16). */
export async function writeFp16Variant(modelDir: string): Promise<string> {
  const manifestFile = join(modelDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { files: { generator: string; generatorFp16?: string } };
  const name = manifest.files.generator.replace(/\.onnx$/, '') + '.fp16.onnx';
  await writeFile(join(modelDir, name), toFp16(await readFile(join(modelDir, manifest.files.generator))));
  manifest.files.generatorFp16 = name;
  await writeFile(manifestFile, JSON.stringify(manifest, null, 1) + '\n');
  return join(modelDir, name);
}
