/** @file CSV/TSV tables: exact values through the Dataset interface, train-only statistics, encodings, missing values, and bad files. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTable, parseNumber, trainValidationSplit } from '../../core/data';
import { readCsv } from '../../electron/services/datasets/csv';
import { holdOut, loadDataset, recipeTrainRows } from '../../electron/services/datasets/load';
import { ctx, datasetError, readAll, scratch } from './helpers';

const dir = scratch('table');
function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('CSV import', () => {
  it('infers types, one-hot encodes categories and keeps exact values without normalization', async () => {
    const path = csv('plain.csv', 'size,color,label\n1.5,red,yes\n2,blue,no\n-3,red,no\n4e1,green,yes\n');
    const table = await readCsv(path);
    const imported = importTable(table, { normalize: false }, (n) => Array.from({ length: n }, (_, i) => i));
    expect(imported.columns.map((c) => c.type)).toEqual(['number', 'category', 'category']);
    expect(imported.dataset.fields.features.shape).toEqual([4]); // size + 3 colors (blue, green, red)
    expect(readAll(imported.dataset, 'features')).toEqual([1.5, 0, 0, 1, 2, 1, 0, 0, -3, 0, 0, 1, 40, 0, 1, 0]);
    expect(imported.dataset.classes).toEqual(['no', 'yes']);
    expect(readAll(imported.dataset, 'label')).toEqual([1, 0, 0, 1]);
    expect(imported.task).toBe('classification');
  });

  it('normalizes with the statistics of the training rows only', async () => {
    const path = csv('norm.csv', 'x,y\n' + Array.from({ length: 20 }, (_, i) => `${i * i},${i % 2 ? 'a' : 'b'}`).join('\n') + '\n');
    const loaded = await loadDataset({ source: 'norm.csv', kind: 'csv', options: { testFraction: 0.2 } }, ctx(dir));
    const kept = holdOut(20, 0.2, 3).train;
    const train = recipeTrainRows(kept, 0.25, 3);
    const xs = Array.from(train, (r) => r * r);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    // Row 0 of the train split is row kept[0] of the file.
    expect(readAll(loaded.train, 'features', [0])[0]).toBeCloseTo((kept[0] ** 2 - mean) / std, 5);
    // The recipe's own split of the train set picks exactly the rows the statistics came from.
    const recipe = trainValidationSplit(loaded.train.size, 0.25, 3).train;
    expect(Array.from(recipe, (i) => kept[i])).toEqual(Array.from(train));
    expect(loaded.test?.size).toBe(4);
    expect(loaded.description.classes).toEqual([{ name: 'a', count: Array.from(kept).filter((r) => r % 2).length }, { name: 'b', count: Array.from(kept).filter((r) => r % 2 === 0).length }]);
  });

  it('encodes categorical features as index fields for an embedding, and reads TSV with a numeric regression target', async () => {
    const path = csv('t.tsv', 'city\tsize\tprice\nParis\t1\t10.5\nLyon\t2\t20\nParis\t3\t30\n');
    const imported = importTable(await readCsv(path), { categorical: 'index', normalize: false }, (n) => Array.from({ length: n }, (_, i) => i));
    expect(imported.dataset.fields.city).toEqual({ shape: [], dtype: 'i32' });
    expect(readAll(imported.dataset, 'city')).toEqual([1, 0, 1]);
    expect(readAll(imported.dataset, 'features')).toEqual([1, 2, 3]);
    expect(readAll(imported.dataset, 'target')).toEqual([10.5, 20, 30]);
    expect(imported.task).toBe('regression');
  });

  it('applies the missing-value policies: drop (reporting the lines), mean (of training rows), constant, error', async () => {
    const path = csv('missing.csv', 'a,b,label\n1,10,x\n,20,y\n3,,x\n5,40,y\n');
    const table = await readCsv(path);
    const all = (n: number) => Array.from({ length: n }, (_, i) => i);
    const dropped = importTable(table, { missing: 'drop', normalize: false }, all);
    expect(dropped.dropped).toEqual([3, 4]);
    expect(readAll(dropped.dataset, 'features')).toEqual([1, 10, 5, 40]);
    // Train rows: the first and last (lines 2 and 5): a's mean is (1 + 5) / 2, b's is (10 + 40) / 2.
    const mean = importTable(table, { missing: 'mean', normalize: false }, () => [0, 3]);
    expect(readAll(mean.dataset, 'features')).toEqual([1, 10, 3, 20, 3, 25, 5, 40]);
    const constant = importTable(table, { missing: 'constant', fill: -1, normalize: false }, all);
    expect(readAll(constant.dataset, 'features')).toEqual([1, 10, -1, 20, 3, -1, 5, 40]);
    const error = await datasetError(() => importTable(table, {}, all));
    expect(error.code).toBe('E_DATA_MISSING_VALUE');
    expect(error.message).toMatch(/missing\.csv line 3: column "a" is missing; .*drop, mean or constant/);
    const loaded = await loadDataset({ source: 'missing.csv', kind: 'csv', options: { missing: 'drop', testFraction: 0 } }, ctx(dir));
    expect(loaded.description.problems).toEqual([`${path}: 2 rows skipped for a missing value (lines 3, 4).`]);
  });
});

describe('numbers in cells', () => {
  it('reads decimal notation and ±inf, and nothing else, as numbers', () => {
    const read = (cells: string[]) => cells.map((c) => parseNumber(c) ?? 'no');
    expect(read(['1', ' -2.5 ', '.5', '+.5', '1.', '1e-3', '4E+1', '00012', '1e999', 'inf', '-Infinity', '+INF'])).toEqual([1, -2.5, 0.5, 0.5, 1, 0.001, 40, 12, Infinity, Infinity, -Infinity, Infinity]);
    expect(read(['', ' ', '.', '-', '1e', '0x10', '0b1', '0o7', '1_000', '1 000', '1.2.3', 'NaN', 'twelve', '−1'])).toEqual(new Array(14).fill('no'));
  });
});

describe('bad tables', () => {
  it('skips rows with the wrong number of fields and says how many and which', async () => {
    const path = csv('ragged.csv', 'a,b,label\n1,2,x\n3,4\n5,6,y\n7,8,y,9\n9,10,x\n');
    const loaded = await loadDataset({ source: 'ragged.csv', kind: 'csv', options: { testFraction: 0 } }, ctx(dir));
    expect(loaded.train.size).toBe(3);
    expect(loaded.description.problems).toEqual([`${path}: 2 rows skipped for a wrong number of fields (expected 3; lines 3, 5).`]);
  });

  it('names the line of an unterminated quote', async () => {
    const path = csv('quote.csv', 'a,label\n1,x\n2,"y\n3,x\n');
    const error = await datasetError(() => readCsv(path));
    expect(error.code).toBe('E_DATA_MALFORMED_ROW');
    expect(error.message).toBe(`${path} line 3: a quoted field opened on this row is never closed (a " is missing before the end of the file); close the quote or remove it.`);
  });

  it('refuses a mostly-numeric column with a stray word, naming the line', async () => {
    csv('mixed.csv', 'a,label\n1,x\n2,y\n3,x\n4,y\nfive,x\n6,y\n');
    const error = await datasetError(() => loadDataset({ source: 'mixed.csv', kind: 'csv', options: {} }, ctx(dir)));
    expect(error.code).toBe('E_DATA_MIXED_TYPES');
    expect(error.message).toMatch(/mixed\.csv line 6: column "a" holds numbers but this row has "five" \(1 such rows\); .*category/);
  });

  it('refuses Inf and NaN with the line', async () => {
    csv('inf.csv', 'a,label\n1,x\ninf,y\n');
    const inf = await datasetError(() => loadDataset({ source: 'inf.csv', kind: 'csv', options: {} }, ctx(dir)));
    expect([inf.code, inf.where.line]).toEqual(['E_DATA_NOT_FINITE', 3]);
    csv('nan.csv', 'a,label\n1,x\n2,y\nNaN,x\n');
    const nan = await datasetError(() => loadDataset({ source: 'nan.csv', kind: 'csv', options: {} }, ctx(dir)));
    expect(nan.code).toBe('E_DATA_NOT_FINITE');
    expect(nan.message).toMatch(/nan\.csv line 4: column "a" is NaN/);
  });

  it('refuses an empty file, a header without rows, a single-class label and a binary file named .csv', async () => {
    csv('empty.csv', '');
    expect((await datasetError(() => loadDataset({ source: 'empty.csv', kind: 'csv', options: {} }, ctx(dir)))).code).toBe('E_DATA_EMPTY');
    csv('header.csv', 'a,b\n');
    expect((await datasetError(() => loadDataset({ source: 'header.csv', kind: 'csv', options: {} }, ctx(dir)))).message).toMatch(/header\.csv has no data rows/);
    csv('single.csv', 'a,label\n1,cat\n2,cat\n3,cat\n');
    const single = await datasetError(() => loadDataset({ source: 'single.csv', kind: 'csv', options: {} }, ctx(dir)));
    expect(single.code).toBe('E_DATA_SINGLE_CLASS');
    expect(single.message).toMatch(/label column "label" has a single class \("cat"\)/);
    writeFileSync(join(dir, 'image.csv'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    const wrong = await datasetError(() => loadDataset({ source: 'image.csv', kind: 'csv', options: {} }, ctx(dir)));
    expect(wrong.code).toBe('E_DATA_WRONG_FORMAT');
    expect(wrong.message).toMatch(/image\.csv is named like a table but is a PNG image/);
  });

  it('names an unknown target column and a bad option', async () => {
    csv('ok.csv', 'a,label\n1,x\n2,y\n');
    expect((await datasetError(() => loadDataset({ source: 'ok.csv', kind: 'csv', options: { target: 'price' } }, ctx(dir)))).message).toMatch(/target column "price" is not in the header \(columns: a, label\)/);
    expect((await datasetError(() => loadDataset({ source: 'ok.csv', kind: 'csv', options: { missing: 'ignore' } }, ctx(dir)))).message).toMatch(/option missing must be one of drop, mean, constant, error/);
    expect((await datasetError(() => loadDataset({ source: 'nope.csv', kind: 'csv', options: {} }, ctx(dir)))).code).toBe('E_DATA_NOT_FOUND');
  });
});
