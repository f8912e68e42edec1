/**
 * @file NumPy `.npy` arrays: magic "\x93NUMPY", version, a little header (a Python dict literal
 * with 'descr', 'fortran_order', 'shape'), then the raw data. Fortran-order arrays are transposed
 * to row-major. Every size is checked against the header before reading.
 */
import { DatasetError } from './errors';

export interface NpyArray {
  /** NumPy type string without byte order, e.g. "f4", "i8", "u1", "b1". */
  dtype: string;
  shape: number[];
  /** Values as float64, row-major (C order). */
  values: Float64Array;
  /** True when the dtype is an integer or boolean type. */
  integer: boolean;
}

const TYPE_BYTES: Record<string, number> = { b1: 1, i1: 1, u1: 1, i2: 2, u2: 2, i4: 4, u4: 4, i8: 8, u8: 8, f2: 2, f4: 4, f8: 8 };

function readValue(view: DataView, at: number, type: string, little: boolean): number {
  switch (type) {
    case 'b1': case 'u1': return view.getUint8(at);
    case 'i1': return view.getInt8(at);
    case 'i2': return view.getInt16(at, little);
    case 'u2': return view.getUint16(at, little);
    case 'i4': return view.getInt32(at, little);
    case 'u4': return view.getUint32(at, little);
    case 'i8': return Number(view.getBigInt64(at, little));
    case 'u8': return Number(view.getBigUint64(at, little));
    case 'f2': return halfToFloat(view.getUint16(at, little));
    case 'f4': return view.getFloat32(at, little);
    default: return view.getFloat64(at, little);
  }
}

/** IEEE half: sign, 5-bit exponent (bias 15), 10-bit mantissa. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function headerText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

export function parseNpy(data: Uint8Array, fileName = '.npy file'): NpyArray {
  const bad = (why: string) => new DatasetError('E_DATA_WRONG_FORMAT', `${fileName}: ${why}`, { file: fileName });
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (data.length < 10 || magic.some((b, i) => data[i] !== b)) throw bad('not a NumPy .npy file (the magic "\\x93NUMPY" is missing); save it with numpy.save.');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const major = data[6];
  const headerLength = major >= 2 ? view.getUint32(8, true) : view.getUint16(8, true);
  const start = major >= 2 ? 12 : 10;
  if (data.length < start + headerLength) throw bad('the header is truncated.');
  const header = headerText(data.subarray(start, start + headerLength));
  const descr = /'descr'\s*:\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeMatch) throw bad(`unreadable header ${JSON.stringify(header.trim())} (structured and object arrays are not supported).`);
  const type = descr[2];
  const bytes = TYPE_BYTES[type];
  if (!bytes) throw bad(`dtype '${descr[1]}${type}' is not supported; use float32, float64, an integer type or bool.`);
  const little = descr[1] !== '>';
  const shape = shapeMatch[1].split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLength;
  if (data.length < dataStart + count * bytes) {
    throw new DatasetError('E_DATA_WRONG_FORMAT', `${fileName} is truncated: the header announces ${shape.join('x')} '${type}' values (${count * bytes} bytes) but ${data.length - dataStart} follow; save the array again.`, { file: fileName });
  }
  const raw = new Float64Array(count);
  for (let i = 0; i < count; i++) raw[i] = readValue(view, dataStart + i * bytes, type, little);
  const values = fortran[1] === 'True' ? fortranToC(raw, shape) : raw;
  return { dtype: type, shape, values, integer: type[0] !== 'f' };
}

/** Column-major element (i0..ik) sits at sum(i_j * prod(shape[<j])); write it at its row-major place. */
function fortranToC(raw: Float64Array, shape: readonly number[]): Float64Array {
  const out = new Float64Array(raw.length);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  for (let f = 0; f < raw.length; f++) {
    let c = 0;
    for (let d = 0; d < rank; d++) c = c * shape[d] + index[d];
    out[c] = raw[f];
    for (let d = 0; d < rank; d++) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

/** Encode a row-major float32 or int32 array as .npy version 1.0 (tests and exports). */
export function encodeNpy(values: Float32Array | Int32Array | Float64Array, shape: readonly number[]): Uint8Array {
  const descr = values instanceof Float32Array ? '<f4' : values instanceof Int32Array ? '<i4' : '<f8';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + values.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), 10 + header.length);
  return out;
}
