/** Reads float32 initializers (weights) back out of an ONNX model's bytes, by name. */
import protobuf from 'protobufjs';
import { onnxSchema } from './schema.js';

const FLOAT = 1;

interface TensorMsg {
  name: string;
  dims: Array<number | { toNumber(): number }>;
  dataType: number;
  rawData: Uint8Array;
  floatData: number[];
}

let modelType: protobuf.Type | null = null;

/** The float32 initializers whose names pass `keep`, as { dims, data } (data copied, aligned). */
export function floatInitializers(bytes: Uint8Array, keep: (name: string) => boolean): Map<string, { dims: number[]; data: Float32Array }> {
  modelType ??= protobuf.Root.fromJSON(onnxSchema as unknown as protobuf.INamespace).lookupType('onnx.ModelProto');
  const model = modelType.decode(bytes) as unknown as { graph: { initializer: TensorMsg[] } };
  const out = new Map<string, { dims: number[]; data: Float32Array }>();
  for (const t of model.graph.initializer) {
    if (t.dataType !== FLOAT || !keep(t.name)) continue;
    const dims = t.dims.map((d) => (typeof d === 'number' ? d : d.toNumber()));
    const data = t.rawData && t.rawData.length > 0 ? new Float32Array(new Uint8Array(t.rawData).buffer) : Float32Array.from(t.floatData ?? []);
    out.set(t.name, { dims, data });
  }
  return out;
}
