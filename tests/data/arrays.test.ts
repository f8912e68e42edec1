/** @file NumPy .npy/.npz (files written by NumPy itself and by our encoder), IDX folders of arrays, and plain text for language models. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildVocabulary, encodeNpy, importText, parseNpy, tokenizeWords, UNK } from '../../core/data';
import { loadBuiltinDataset } from '../../electron/services/datasets/builtin';
import { loadDataset } from '../../electron/services/datasets/load';
import { readNpz } from '../../electron/services/datasets/npz';
import { ctx, datasetError, readAll, scratch } from './helpers';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'data');
const dir = scratch('arrays');
const fixture = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));

describe('.npy written by NumPy', () => {
  it('reads Fortran order, int64, big-endian float32 and bool', () => {
    const f = parseNpy(fixture('fortran_f8.npy'));
    expect([f.dtype, f.shape]).toEqual(['f8', [3, 4]]);
    expect(Array.from(f.values)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(Array.from(parseNpy(fixture('int64.npy')).values)).toEqual([1, -2, 3, 4, 5, 6]);
    expect(Array.from(parseNpy(fixture('bigendian_f4.npy')).values)).toEqual([1.5, -2.25, 3]);
    const b = parseNpy(fixture('bool.npy'));
    expect([Array.from(b.values), b.integer]).toEqual([[1, 0, 1], true]);
  });

  it('round-trips our encoder', () => {
    const values = Float32Array.from([1, 2.5, -3, 4, 5, 6]);
    const parsed = parseNpy(encodeNpy(values, [3, 2]));
    expect([parsed.shape, Array.from(parsed.values)]).toEqual([[3, 2], [1, 2.5, -3, 4, 5, 6]]);
  });

  it('refuses a truncated file and a file that is not .npy, naming it', async () => {
    const bytes = fixture('int64.npy');
    expect(() => parseNpy(bytes.subarray(0, bytes.length - 8), 'cut.npy')).toThrow(/cut\.npy is truncated: the header announces 3x2 'i8' values \(48 bytes\) but 40 follow/);
    writeFileSync(join(dir, 'fake.npy'), 'a,b\n1,2\n');
    const error = await datasetError(() => loadDataset({ source: 'fake.npy', kind: 'npy', options: {} }, ctx(dir)));
    expect(error.code).toBe('E_DATA_WRONG_FORMAT');
    expect(error.message).toMatch(/fake\.npy is named \.npy but is a text file; save it with numpy\.save/);
  });
});

describe('.npz', () => {
  it('reads stored and compressed archives from NumPy into fields and classes', async () => {
    for (const name of ['stored.npz', 'compressed.npz']) {
      const arrays = readNpz(fixture(name), name);
      expect(Object.keys(arrays)).toEqual(['x', 'y']);
      expect(arrays.x.shape).toEqual([6, 2, 2]);
      const loaded = await loadDataset({ source: join(fixtures, name), kind: 'npy', options: { testFraction: 0 } }, ctx(dir));
      expect(loaded.description.fields).toEqual([{ name: 'x', shape: [2, 2], dtype: 'f32' }, { name: 'label', shape: [], dtype: 'i32' }]);
      expect(readAll(loaded.train, 'x', [1])).toEqual([4, 5, 6, 7].map((i) => Math.fround(i / 23)));
      expect(loaded.description.classes).toEqual([{ name: '0', count: 2 }, { name: '1', count: 2 }, { name: '2', count: 2 }]);
    }
  });

  it('refuses a truncated archive and arrays of different lengths', async () => {
    const bytes = fixture('compressed.npz');
    expect(() => readNpz(bytes.subarray(0, 100), 'cut.npz')).toThrow(/cut\.npz: not a zip archive \(\.npz\)/);
    // A hand-made zip (deflated members) with x of 3 samples and y of 2.
    const zip = makeZip({ 'x.npy': encodeNpy(Float32Array.from([1, 2, 3]), [3]), 'y.npy': encodeNpy(Int32Array.from([0, 1]), [2]) });
    writeFileSync(join(dir, 'uneven.npz'), zip);
    const error = await datasetError(() => loadDataset({ source: 'uneven.npz', kind: 'npy', options: {} }, ctx(dir)));
    expect(error.code).toBe('E_DATA_SHAPE');
    expect(error.message).toMatch(/array y has 2 samples but x has 3/);
  });
});

/** A minimal zip writer (deflate, CRC left 0: our reader does not check it). */
function makeZip(files: Record<string, Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const body = deflateRawSync(data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(8, 8, true);
    local.setUint32(18, body.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, name.length, true);
    const nameBytes = new TextEncoder().encode(name);
    parts.push(new Uint8Array(local.buffer), nameBytes, body);
    const entry = new DataView(new ArrayBuffer(46));
    entry.setUint32(0, 0x02014b50, true);
    entry.setUint16(10, 8, true);
    entry.setUint32(20, body.length, true);
    entry.setUint32(24, data.length, true);
    entry.setUint16(28, name.length, true);
    entry.setUint32(42, offset, true);
    central.push(new Uint8Array(entry.buffer), nameBytes);
    offset += 30 + name.length + body.length;
  }
  const centralSize = central.reduce((a, b) => a + b.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, Object.keys(files).length, true);
  end.setUint16(10, Object.keys(files).length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  return Buffer.concat([...parts, ...central, new Uint8Array(end.buffer)]);
}

describe('IDX', () => {
  it('reads an images file with its labels file as image [1, H, W] and label', async () => {
    const header = (type: number, shape: number[]) => {
      const h = new DataView(new ArrayBuffer(4 + 4 * shape.length));
      h.setUint8(2, type);
      h.setUint8(3, shape.length);
      shape.forEach((d, i) => h.setUint32(4 + 4 * i, d, false));
      return new Uint8Array(h.buffer);
    };
    writeFileSync(join(dir, 'x-idx3-ubyte'), Buffer.concat([header(8, [2, 2, 2]), Uint8Array.from([0, 51, 102, 255, 5, 6, 7, 8])]));
    writeFileSync(join(dir, 'y-idx1-ubyte'), Buffer.concat([header(8, [2]), Uint8Array.from([1, 0])]));
    const loaded = await loadDataset({ source: 'x-idx3-ubyte', kind: 'idx', options: { labels: 'y-idx1-ubyte', testFraction: 0 } }, ctx(dir));
    expect(loaded.train.fields.image.shape).toEqual([1, 2, 2]);
    expect(readAll(loaded.train, 'image', [0])).toEqual([0, 0.2, 0.4, 1].map(Math.fround));
    expect(readAll(loaded.train, 'label')).toEqual([1, 0]);
  });
});

describe('text', () => {
  it('builds a character vocabulary and next-token windows with exact ids', () => {
    const { train, vocabulary } = importText('abcabd', 't.txt', { length: 2, stride: 1 }, 0);
    expect(vocabulary).toEqual(['a', 'b', 'c', 'd']);
    expect(train.size).toBe(4); // starts 0..3: tokens [s, s+1], next [s+1, s+2]
    expect(readAll(train, 'tokens')).toEqual([0, 1, 1, 2, 2, 0, 0, 1]);
    expect(readAll(train, 'next')).toEqual([1, 2, 2, 0, 0, 1, 1, 3]);
  });

  it('builds a word vocabulary with <unk> for the rarest words', () => {
    expect(tokenizeWords("The cat's hat, the CAT.")).toEqual(['the', "cat's", 'hat', ',', 'the', 'cat', '.']);
    const { vocabulary, ids } = buildVocabulary('a a a b b c', { level: 'word', vocabSize: 3 });
    expect(vocabulary).toEqual([UNK, 'a', 'b']);
    expect(Array.from(ids)).toEqual([1, 1, 1, 2, 2, 0]);
  });

  it('refuses a window longer than the text, an empty file, and a binary file named .txt', async () => {
    const long = await datasetError(() => importText('abc', 'short.txt', { length: 5 }));
    expect(long.code).toBe('E_DATA_WINDOW_TOO_LONG');
    expect(long.message).toBe('short.txt: a window of 5 tokens needs at least 6 tokens, and the text has 3; choose a shorter window or a longer text.');
    writeFileSync(join(dir, 'empty.txt'), '');
    expect((await datasetError(() => loadDataset({ source: 'empty.txt', kind: 'text', options: {} }, ctx(dir)))).code).toBe('E_DATA_EMPTY');
    writeFileSync(join(dir, 'binary.txt'), Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]));
    const binary = await datasetError(() => loadDataset({ source: 'binary.txt', kind: 'text', options: {} }, ctx(dir)));
    expect(binary.message).toMatch(/binary\.txt is a NumPy \.npy array, not plain text/);
  });

  it('ships builtin:text, a public-domain corpus, split into train and a later test part', async () => {
    const words = await loadBuiltinDataset('builtin:text', { level: 'word', length: 16 }, 0);
    expect(words.train.fields).toEqual({ tokens: { shape: [16], dtype: 'i32' }, next: { shape: [16], dtype: 'i32' } });
    expect(words.train.classes?.slice(0, 3)).toEqual([UNK, ',', 'the']);
    const chars = await loadBuiltinDataset('builtin:text', {}, 0);
    expect(chars.train.size).toBeGreaterThan(3000);
    expect(chars.test!.size).toBeGreaterThan(300);
  });
});
