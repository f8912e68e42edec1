/**
 * @file safetensors: an 8-byte little-endian header length N, N bytes of JSON
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": { string: string } }`
 * (offsets relative to the byte after the header), then the raw little-endian tensor bytes.
 * Used for exported weights and for checkpoints; files from other tools (PyTorch, HF) load too.
 */
import { decodeUtf8, encodeUtf8 } from '../util/utf8';

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export interface NamedTensor {
  dtype: SafetensorsDtype;
  shape: readonly number[];
  /** Decoded values: F16/BF16/F64 are widened to Float64Array, I64 narrowed to Float64Array. */
  data: Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array;
}

export interface SafetensorsFile {
  tensors: Record<string, NamedTensor>;
  metadata: Record<string, string>;
}

export class SafetensorsError extends Error {}

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** Writable tensors: F32 (Float32Array), F64 (Float64Array), I32 (Int32Array), U8 (Uint8Array). */
export function encodeSafetensors(tensors: Readonly<Record<string, { shape: readonly number[]; data: Float32Array | Float64Array | Int32Array | Uint8Array }>>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  const names = Object.keys(tensors).sort();
  for (const name of names) {
    const { shape, data } = tensors[name];
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new SafetensorsError(`Tensor ${name}: shape [${shape.join(', ')}] holds ${count} values but ${data.length} were given.`);
    const dtype = data instanceof Float32Array ? 'F32' : data instanceof Float64Array ? 'F64' : data instanceof Int32Array ? 'I32' : 'U8';
    header[name] = { dtype, shape: [...shape], data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned (as the reference writer does).
  json += ' '.repeat((8 - ((8 + encodeUtf8(json).length) % 8)) % 8);
  const headerBytes = encodeUtf8(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const { data } = tensors[name];
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (littleEndian) out.set(bytes, at);
    else throw new SafetensorsError('Big-endian hosts are not supported.');
    at += data.byteLength;
  }
  return out;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

export function decodeSafetensors(bytes: Uint8Array, fileName = 'safetensors file'): SafetensorsFile {
  if (bytes.length < 8) throw new SafetensorsError(`${fileName} is too short to be a safetensors file.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8 || headerLength > 100_000_000) throw new SafetensorsError(`${fileName}: the header length (${headerLength} bytes) does not fit in the file.`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(decodeUtf8(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  } catch {
    throw new SafetensorsError(`${fileName}: the header is not valid JSON.`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const tensors: Record<string, NamedTensor> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      for (const [k, v] of Object.entries((entry ?? {}) as Record<string, unknown>)) metadata[k] = String(v);
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = e.dtype as SafetensorsDtype;
    if (!(dtype in BYTES)) throw new SafetensorsError(`${fileName}: tensor ${name} has unknown dtype ${String(e.dtype)}.`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new SafetensorsError(`${fileName}: tensor ${name} has an invalid shape.`);
    const shape = e.shape as number[];
    const [begin, end] = Array.isArray(e.data_offsets) ? (e.data_offsets as number[]) : [NaN, NaN];
    const count = shape.reduce((a, b) => a * b, 1);
    if (!(begin >= 0 && end <= dataLength && end - begin === count * BYTES[dtype])) throw new SafetensorsError(`${fileName}: tensor ${name} has data offsets [${begin}, ${end}] that do not match its ${dtype} shape [${shape.join(', ')}].`);
    // A copy (not `slice`: on a Node Buffer that is a view into pooled memory), aligned for typed views.
    const raw = new Uint8Array(bytes.subarray(dataStart + begin, dataStart + end));
    const dv = new DataView(raw.buffer);
    let data: NamedTensor['data'];
    switch (dtype) {
      case 'F32': data = new Float32Array(raw.buffer); break;
      case 'F64': data = new Float64Array(raw.buffer); break;
      case 'I32': data = new Int32Array(raw.buffer); break;
      case 'I16': data = new Int16Array(raw.buffer); break;
      case 'I8': data = new Int8Array(raw.buffer); break;
      case 'U8': case 'BOOL': data = raw; break;
      case 'F16': data = Float64Array.from({ length: count }, (_, i) => halfToFloat(dv.getUint16(2 * i, true))); break;
      case 'BF16': data = Float64Array.from({ length: count }, (_, i) => new Float32Array(new Uint32Array([dv.getUint16(2 * i, true) << 16]).buffer)[0]); break;
      case 'I64': data = Float64Array.from({ length: count }, (_, i) => Number(dv.getBigInt64(8 * i, true))); break;
      default: throw new SafetensorsError(`${fileName}: dtype ${String(dtype)} is not supported.`);
    }
    tensors[name] = { dtype, shape, data };
  }
  return { tensors, metadata };
}
