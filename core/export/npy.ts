/**
 * @file NumPy's .npy format (version 1.0), both ways: the magic `\x93NUMPY`, version bytes 1 0, a
 * little-endian u16 header length, an ASCII dict `{'descr': '<f4', 'fortran_order': False,
 * 'shape': (2, 3), }` padded with spaces to a multiple of 64 bytes and ended by `\n`, then the
 * raw values in C order. Exports write datasets with it; `brrr predict` reads inputs with it.
 */

export type NpyArray = { shape: number[]; data: Float32Array | Float64Array | Int32Array | Uint8Array };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

const descrOf = (data: NpyArray['data']): string =>
  data instanceof Float32Array ? '<f4' : data instanceof Float64Array ? '<f8' : data instanceof Int32Array ? '<i4' : '|u1';

const ascii = (s: string): number[] => Array.from(s, (ch) => ch.charCodeAt(0) & 0x7f);

export function encodeNpy(array: NpyArray): Uint8Array {
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${descrOf(array.data)}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const bytes = new Uint8Array(MAGIC.length + 4 + header.length + array.data.byteLength);
  bytes.set(MAGIC, 0);
  bytes.set([1, 0, header.length & 0xff, header.length >> 8], MAGIC.length);
  bytes.set(ascii(header), MAGIC.length + 4);
  const body = new DataView(bytes.buffer, MAGIC.length + 4 + header.length);
  const d = array.data;
  for (let i = 0; i < d.length; i++) {
    if (d instanceof Float32Array) body.setFloat32(4 * i, d[i], true);
    else if (d instanceof Float64Array) body.setFloat64(8 * i, d[i], true);
    else if (d instanceof Int32Array) body.setInt32(4 * i, d[i], true);
    else body.setUint8(i, d[i]);
  }
  return bytes;
}

/** Reads float (f4, f8), integer (i1–i8, u1) and bool arrays as numbers; C order only. */
export function decodeNpy(bytes: Uint8Array, fileName: string): { shape: number[]; data: Float64Array } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error(`${fileName} is not a .npy file (no \\x93NUMPY magic).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = String.fromCharCode(...bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([<>|=]?)([a-z])(\d+)'/.exec(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !shapeText) throw new Error(`${fileName}: the .npy header is not understood (${header.trim()}).`);
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${fileName} is stored in Fortran order; save it with np.ascontiguousarray first.`);
  const [, order, kind, width] = descr;
  const size = Number(width);
  const shape = shapeText[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLength;
  if (bytes.length - offset < count * size) throw new Error(`${fileName}: holds fewer values than its shape (${shape.join('x')}) says.`);
  const little = order !== '>';
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const at = offset + i * size;
    if (kind === 'f' && size === 4) data[i] = view.getFloat32(at, little);
    else if (kind === 'f' && size === 8) data[i] = view.getFloat64(at, little);
    else if (kind === 'i' && size === 1) data[i] = view.getInt8(at);
    else if (kind === 'i' && size === 2) data[i] = view.getInt16(at, little);
    else if (kind === 'i' && size === 4) data[i] = view.getInt32(at, little);
    else if (kind === 'i' && size === 8) data[i] = Number(view.getBigInt64(at, little));
    else if ((kind === 'u' || kind === 'b') && size === 1) data[i] = view.getUint8(at);
    else throw new Error(`${fileName}: dtype ${order}${kind}${width} is not supported (use float32, float64 or an integer type).`);
  }
  return { shape, data };
}
