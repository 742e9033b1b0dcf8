/**
 * A small typed writer for ONNX models: collect nodes, initializers, inputs and outputs, then encode a
 * ModelProto with protobufjs (the schema is the subset of onnx.proto in ./schema.ts).
 *
 *   const g = new GraphBuilder();
 *   const x = g.input('ws', 'float', [1, 'numWs', 64]);
 *   const y = g.op('MatMul', [x, g.constFloat(w, [64, 64])]);
 *   g.output(y, 'y', 'float', [1, 'numWs', 64]);
 *   const bytes = g.toBytes({ opset: 17 });
 */
import protobuf from 'protobufjs';
import { onnxSchema, onnxDataType, onnxAttributeType } from './schema.js';

export type ElemType = keyof typeof onnxDataType;
/** A dimension: a fixed size or a symbolic name (dynamic). */
export type Dim = number | string;

/** A named tensor in the graph (an input, an initializer or a node output). */
export class Value {
  constructor(readonly name: string) {}
}

/** Constant tensor data, typed by element type. Byte order is little-endian (as ONNX raw_data requires). */
export type ConstData =
  | { type: 'float'; dims: readonly number[]; data: Float32Array }
  | { type: 'int64'; dims: readonly number[]; data: BigInt64Array }
  | { type: 'int32'; dims: readonly number[]; data: Int32Array }
  | { type: 'uint8'; dims: readonly number[]; data: Uint8Array };

/** A node attribute with its ONNX type explicit (a bare number would be ambiguous between INT and FLOAT). */
export type Attr =
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'ints'; value: readonly number[] }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: ConstData };

export const attr = {
  int: (value: number): Attr => ({ type: 'int', value }),
  float: (value: number): Attr => ({ type: 'float', value }),
  ints: (value: readonly number[]): Attr => ({ type: 'ints', value }),
  floats: (value: readonly number[]): Attr => ({ type: 'floats', value }),
  string: (value: string): Attr => ({ type: 'string', value }),
  tensor: (value: ConstData): Attr => ({ type: 'tensor', value }),
};

export interface ToBytesOptions {
  /** Default-domain opset version (ONNX operator set). */
  opset: number;
  docString?: string;
  /** Written as ModelProto.metadata_props. */
  metadata?: Record<string, string>;
}

interface NodeRecord {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: Record<string, unknown>[];
}

interface ValueInfoRecord {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: ({ dimValue: number } | { dimParam: string })[] } } };
}

const elementCount = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** The IR version that goes with an opset (ONNX versioning table). */
export function irVersionForOpset(opset: number): number {
  if (opset <= 8) return 3;
  if (opset <= 10) return 5;
  if (opset <= 12) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

let cachedModelType: protobuf.Type | null = null;
function modelType(): protobuf.Type {
  if (!cachedModelType) {
    cachedModelType = protobuf.Root.fromJSON(onnxSchema as unknown as protobuf.INamespace).lookupType('onnx.ModelProto');
  }
  return cachedModelType;
}

function rawBytes(c: ConstData): Uint8Array {
  // Typed arrays are in host byte order; every platform onnxruntime ships for is little-endian.
  return new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength);
}

function tensorProto(name: string, c: ConstData): Record<string, unknown> {
  if (c.data.length !== elementCount(c.dims)) {
    throw new Error(`constant ${name}: ${c.data.length} values do not fill dims [${c.dims.join(', ')}]`);
  }
  return { name, dims: [...c.dims], dataType: onnxDataType[c.type], rawData: rawBytes(c) };
}

function attributeProto(name: string, a: Attr): Record<string, unknown> {
  switch (a.type) {
    case 'int':
      if (!Number.isInteger(a.value)) throw new Error(`attribute ${name}: ${a.value} is not an integer`);
      return { name, type: onnxAttributeType.INT, i: a.value };
    case 'float':
      return { name, type: onnxAttributeType.FLOAT, f: a.value };
    case 'ints':
      return { name, type: onnxAttributeType.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: onnxAttributeType.FLOATS, floats: [...a.value] };
    case 'string':
      return { name, type: onnxAttributeType.STRING, s: new TextEncoder().encode(a.value) };
    case 'tensor':
      return { name, type: onnxAttributeType.TENSOR, t: tensorProto(name, a.value) };
  }
}

function valueInfo(name: string, type: ElemType, shape: readonly Dim[]): ValueInfoRecord {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnxDataType[type],
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export class GraphBuilder {
  private readonly nodes: NodeRecord[] = [];
  private readonly initializers: Record<string, unknown>[] = [];
  private readonly inputs: ValueInfoRecord[] = [];
  private readonly outputs: ValueInfoRecord[] = [];
  private readonly names = new Set<string>();
  private counter = 0;
  /** Bytes of initializer data so far (to stay well below protobuf's 2 GiB message limit). */
  private initializerBytes = 0;

  constructor(readonly graphName = 'latentvj') {}

  /** A fresh unique tensor name, derived from a hint. */
  uniqueName(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_.\/-]/g, '_') || 't';
    let name = base;
    while (this.names.has(name)) name = `${base}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  input(name: string, type: ElemType, shape: readonly Dim[]): Value {
    if (this.names.has(name)) throw new Error(`graph input ${name}: name already used`);
    this.names.add(name);
    this.inputs.push(valueInfo(name, type, shape));
    return new Value(name);
  }

  /** A constant stored as an initializer (weights, noise banks, index lists). */
  const(c: ConstData, hint = 'const'): Value {
    const name = this.uniqueName(hint);
    this.initializers.push(tensorProto(name, c));
    this.initializerBytes += c.data.byteLength;
    return new Value(name);
  }

  constFloat(data: Float32Array | readonly number[], dims: readonly number[], hint = 'const'): Value {
    const arr = data instanceof Float32Array ? data : Float32Array.from(data);
    return this.const({ type: 'float', dims, data: arr }, hint);
  }

  /** int64 constant, e.g. a shape for Reshape or indices for Gather; dims defaults to a 1-D list. */
  constInt64(values: readonly number[], dims: readonly number[] = [values.length], hint = 'ints'): Value {
    return this.const({ type: 'int64', dims, data: BigInt64Array.from(values.map((v) => BigInt(v))) }, hint);
  }

  /** Adds a node with one output. */
  op(opType: string, inputs: readonly (Value | null)[], attrs: Record<string, Attr> = {}, hint?: string): Value {
    return this.opMulti(opType, inputs, 1, attrs, hint)[0]!;
  }

  /** Adds a node with `outputs` outputs. Null inputs are ONNX's "optional input left out" (empty name). */
  opMulti(
    opType: string,
    inputs: readonly (Value | null)[],
    outputs: number,
    attrs: Record<string, Attr> = {},
    hint?: string,
  ): Value[] {
    const base = hint ?? opType;
    const outs = Array.from({ length: outputs }, (_, i) => this.uniqueName(outputs === 1 ? base : `${base}_${i}`));
    this.nodes.push({
      input: inputs.map((v) => (v ? v.name : '')),
      output: outs,
      name: this.uniqueName(`node_${base}`),
      opType,
      attribute: Object.entries(attrs).map(([k, a]) => attributeProto(k, a)),
    });
    return outs.map((n) => new Value(n));
  }

  /** Declares a graph output; the value is renamed to `name` through an Identity node when needed. */
  output(v: Value, name: string, type: ElemType, shape: readonly Dim[]): void {
    if (v.name !== name) {
      if (this.names.has(name)) throw new Error(`graph output ${name}: name already used`);
      this.names.add(name);
      this.nodes.push({ input: [v.name], output: [name], name: this.uniqueName(`node_out_${name}`), opType: 'Identity', attribute: [] });
    }
    this.outputs.push(valueInfo(name, type, shape));
  }

  get byteSize(): number {
    return this.initializerBytes;
  }

  toBytes(options: ToBytesOptions): Uint8Array {
    if (this.outputs.length === 0) throw new Error(`graph ${this.graphName}: no outputs declared`);
    if (this.initializerBytes > 1.9 * 2 ** 30) {
      throw new Error(`graph ${this.graphName}: ${this.initializerBytes} bytes of weights exceed protobuf's 2 GiB limit`);
    }
    const Model = modelType();
    const model = {
      irVersion: irVersionForOpset(options.opset),
      producerName: 'latentvj',
      producerVersion: '0.1',
      docString: options.docString ?? '',
      opsetImport: [{ domain: '', version: options.opset }],
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    const err = Model.verify(model);
    if (err) throw new Error(`graph ${this.graphName}: invalid ONNX model: ${err}`);
    return Model.encode(Model.fromObject(model)).finish();
  }
}
