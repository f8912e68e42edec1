/**
 * @file What a file really is, from its first bytes (magic numbers), so that a file whose
 * extension lies ("photo.png" that is a text file) gets a clear message instead of a decoder crash.
 */

export type SniffedFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'npy' | 'zip' | 'idx' | 'binary' | 'text' | 'empty';

export function sniffFormat(head: Uint8Array): SniffedFormat {
  if (head.length === 0) return 'empty';
  const at = (i: number, ...bytes: number[]) => bytes.every((b, k) => head[i + k] === b);
  if (at(0, 0x89, 0x50, 0x4e, 0x47)) return 'png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  if (at(0, 0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59)) return 'npy';
  if (at(0, 0x50, 0x4b, 0x03, 0x04) || at(0, 0x50, 0x4b, 0x05, 0x06)) return 'zip';
  if (head.length >= 4 && head[0] === 0 && head[1] === 0 && [0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e].includes(head[2]) && head[3] > 0 && head[3] < 8) return 'idx';
  // Text: no NUL and few control bytes other than tab, newline, carriage return.
  let control = 0;
  for (const b of head) {
    if (b === 0) return 'binary';
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13) control++;
  }
  return control > head.length / 100 ? 'binary' : 'text';
}

const DESCRIBED: Record<SniffedFormat, string> = {
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  npy: 'a NumPy .npy array',
  zip: 'a zip archive (.npz)',
  idx: 'an IDX array',
  binary: 'a binary file',
  text: 'a text file',
  empty: 'an empty file',
};

export const describeFormat = (format: SniffedFormat): string => DESCRIBED[format];
