/**
 * @file `.npz` archives: a zip of `.npy` members (numpy.savez, stored; numpy.savez_compressed,
 * deflated). A small zip reader: find the end-of-central-directory record, walk the central
 * directory, inflate each member with Node's zlib. Zip64 and encryption are refused clearly.
 */
import { inflateRawSync } from 'node:zlib';
import { DatasetError, parseNpy, type NpyArray } from '../../../core/data';

export function readNpz(data: Uint8Array, file: string): Record<string, NpyArray> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const bad = (why: string) => new DatasetError('E_DATA_WRONG_FORMAT', `${file}: ${why}`, { file });
  // End of central directory: signature 0x06054b50, within the last 22 + 65535 bytes.
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw bad('not a zip archive (.npz): no end-of-central-directory record; the file is truncated or not an .npz.');
  const entries = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  if (at === 0xffffffff) throw bad('is a zip64 archive, which is not supported; save it with numpy.savez in smaller parts.');
  const arrays: Record<string, NpyArray> = {};
  for (let e = 0; e < entries; e++) {
    if (at + 46 > data.length || view.getUint32(at, true) !== 0x02014b50) throw bad('the zip central directory is damaged.');
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = String.fromCharCode(...data.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 1) throw bad(`member ${name} is encrypted.`);
    if (local + 30 > data.length || view.getUint32(local, true) !== 0x04034b50) throw bad(`member ${name}: damaged local header.`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + compressed > data.length) throw bad(`member ${name} is truncated.`);
    const body = data.subarray(start, start + compressed);
    let raw: Uint8Array;
    if (method === 0) raw = body;
    else if (method === 8) {
      try {
        raw = inflateRawSync(body);
      } catch (error) {
        throw bad(`member ${name} cannot be inflated (${(error as Error).message}).`);
      }
    } else throw bad(`member ${name} uses zip method ${method}; only stored and deflated members are supported.`);
    arrays[name.replace(/\.npy$/, '')] = parseNpy(raw, `${file}:${name}`);
  }
  if (Object.keys(arrays).length === 0) throw new DatasetError('E_DATA_EMPTY', `${file} holds no arrays.`, { file });
  return arrays;
}
