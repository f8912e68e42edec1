/**
 * @file IDX files (the MNIST format): a big-endian header of magic (0x00 0x00 dtype rank),
 * one uint32 per dimension, then the data. Parsing never trusts the header: sizes are checked.
 */

const IDX_TYPES: Record<number, { name: string; bytes: number }> = {
  0x08: { name: 'uint8', bytes: 1 },
  0x09: { name: 'int8', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
};

export interface IdxArray {
  dtype: string;
  shape: number[];
  /** Values as float64, row-major. */
  values: Float64Array;
  /** The raw uint8 payload when dtype is uint8 (no copy). */
  bytes?: Uint8Array;
}

export class IdxError extends Error {}

export function parseIdx(data: Uint8Array, fileName = 'IDX file'): IdxArray {
  if (data.length < 4) throw new IdxError(`${fileName} is too short to be an IDX file (${data.length} bytes).`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data[0] !== 0 || data[1] !== 0) throw new IdxError(`${fileName} is not an IDX file: the first two bytes must be zero.`);
  const type = IDX_TYPES[data[2]];
  if (!type) throw new IdxError(`${fileName} has unknown IDX element type 0x${data[2].toString(16)}.`);
  const rank = data[3];
  const headerBytes = 4 + 4 * rank;
  if (rank === 0 || data.length < headerBytes) throw new IdxError(`${fileName} has a truncated IDX header.`);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const needed = headerBytes + count * type.bytes;
  if (data.length < needed) throw new IdxError(`${fileName} is truncated: header announces ${shape.join('x')} ${type.name} values (${needed} bytes) but the file has ${data.length}.`);
  const values = new Float64Array(count);
  let bytes: Uint8Array | undefined;
  if (type.name === 'uint8') {
    bytes = data.subarray(headerBytes, headerBytes + count);
    for (let i = 0; i < count; i++) values[i] = bytes[i];
  } else {
    for (let i = 0, at = headerBytes; i < count; i++, at += type.bytes) {
      values[i] =
        type.name === 'int8' ? view.getInt8(at)
        : type.name === 'int16' ? view.getInt16(at, false)
        : type.name === 'int32' ? view.getInt32(at, false)
        : type.name === 'float32' ? view.getFloat32(at, false)
        : view.getFloat64(at, false);
    }
  }
  return { dtype: type.name, shape, values, bytes };
}
