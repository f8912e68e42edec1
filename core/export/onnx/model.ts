/**
 * @file The subset of ONNX (onnx.proto, IR version 8, opset 17) the exporter writes, as plain
 * data, and its encoding. Field numbers are those of onnx.proto:
 *   ModelProto   { ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8, metadata_props 14 }
 *   GraphProto   { node 1, name 2, initializer 5, input 11, output 12 }
 *   NodeProto    { input 1, output 2, name 3, op_type 4, attribute 5 }
 *   AttributeProto { name 1, f 2, i 3, t 5, floats 7, ints 8, type 20 }
 *   TensorProto  { dims 1, data_type 2, name 8, raw_data 9 }
 *   ValueInfoProto { name 1, type 2 } → TypeProto { tensor_type 1 { elem_type 1, shape 2 { dim 1 { dim_value 1, dim_param 2 } } } }
 */
import { ProtoWriter } from './protobuf';

export const IR_VERSION = 8;
export const OPSET = 17;

/** TensorProto.DataType */
export const ONNX_FLOAT = 1;
export const ONNX_INT32 = 6;
export const ONNX_INT64 = 7;
export type OnnxElemType = typeof ONNX_FLOAT | typeof ONNX_INT32 | typeof ONNX_INT64;

/** AttributeProto.AttributeType */
const ATTR = { float: 1, int: 2, tensor: 4, floats: 6, ints: 7 } as const;

export type AttributeValue = number | { float: number } | readonly number[] | { floats: readonly number[] };

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  /** Integers as numbers and integer lists as arrays; floats wrapped: `{ float: 1e-5 }`. */
  attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  type: OnnxElemType;
  /** Row-major values; written as little-endian raw_data. */
  values: ArrayLike<number>;
}

/** A dimension is a size or a symbolic name (`batch`). */
export interface OnnxValueInfo {
  name: string;
  type: OnnxElemType;
  dims: readonly (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  graph: OnnxGraph;
  producerVersion: string;
  metadata: Readonly<Record<string, string>>;
}

function rawData(t: OnnxTensor): Uint8Array {
  const size = t.type === ONNX_INT64 ? 8 : 4;
  const out = new Uint8Array(t.values.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < t.values.length; i++) {
    const v = t.values[i];
    if (t.type === ONNX_FLOAT) view.setFloat32(i * 4, v, true);
    else if (t.type === ONNX_INT32) view.setInt32(i * 4, v, true);
    else view.setBigInt64(i * 8, BigInt(v), true);
  }
  return out;
}

const writeTensor = (w: ProtoWriter, t: OnnxTensor): void => {
  w.packedInts(1, t.dims).int(2, t.type).string(8, t.name).raw(9, rawData(t));
};

const writeValueInfo = (w: ProtoWriter, v: OnnxValueInfo): void => {
  w.string(1, v.name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, v.type).message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      }),
    ),
  );
};

function writeAttribute(w: ProtoWriter, name: string, value: AttributeValue): void {
  w.string(1, name);
  if (typeof value === 'number') w.int(3, value).int(20, ATTR.int);
  else if (Array.isArray(value)) w.packedInts(8, value as readonly number[]).int(20, ATTR.ints);
  else if ('floats' in (value as object)) w.packedFloats(7, (value as { floats: readonly number[] }).floats).int(20, ATTR.floats);
  else w.float(2, (value as { float: number }).float).int(20, ATTR.float);
}

function writeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const [name, value] of Object.entries(n.attributes ?? {})) w.message(5, (a) => writeAttribute(a, name, value));
}

export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, IR_VERSION).string(2, 'Brrr Studio').string(3, model.producerVersion);
  w.message(7, (g) => {
    for (const n of model.graph.nodes) g.message(1, (m) => writeNode(m, n));
    g.string(2, model.graph.name);
    for (const t of model.graph.initializers) g.message(5, (m) => writeTensor(m, t));
    for (const v of model.graph.inputs) g.message(11, (m) => writeValueInfo(m, v));
    for (const v of model.graph.outputs) g.message(12, (m) => writeValueInfo(m, v));
  });
  w.message(8, (o) => o.string(1, '').int(2, OPSET));
  for (const [key, value] of Object.entries(model.metadata)) w.message(14, (m) => m.string(1, key).string(2, value));
  return w.finish();
}
