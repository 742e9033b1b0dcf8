/** The ONNX writer: a typed graph builder over protobufjs, plus one helper per operator. */
export { GraphBuilder, Value, attr, irVersionForOpset } from './builder.js';
export type { Attr, ConstData, Dim, ElemType, ToBytesOptions } from './builder.js';
export * as ops from './ops.js';
