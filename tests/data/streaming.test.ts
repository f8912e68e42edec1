/**
 * @file Tables and series streamed from disk: the same values, batches and messages as the
 * in-memory import (the stream threshold set to 0 bytes forces the streamed path), a cache that
 * never holds more than its bound, and a table many times bigger than its cache that trains.
 */
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../core/backends';
import { allocateField, chunkBytes, importSeriesWindows, memorySink, permutation, TableImporter, type ChunkedDataset, type Dataset, type SinkFactory } from '../../core/data';
import type { Project } from '../../core/project';
import { findTemplate } from '../../core/templates';
import type { RunEvent } from '../../core/train/events';
import { trainSupervised } from '../../core/train/supervised';
import { loadDataset, type LoadContext, type LoadedDataset } from '../../electron/services/datasets/load';
import { streamSeries } from '../../electron/services/datasets/seriesStream';
import { SpillChunkSource, SpillWriter } from '../../electron/services/datasets/spill';
import { spillSink } from '../../electron/services/datasets/spillSink';
import { streamTable } from '../../electron/services/datasets/tableStream';
import { ctx, datasetError, readAll, scratch, shuffledEpoch } from './helpers';

const dir = scratch('streaming');
const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

/** The in-memory import, and the streamed one with tiny chunks (7 rows) and a cache of two chunks. */
const memory = (): LoadContext => ({ ...ctx(dir), cacheDir: join(dir, 'cache') });
const streamed = (watch?: (d: ChunkedDataset, s: SpillChunkSource) => void): LoadContext => ({ ...memory(), streamAboveBytes: 0, chunkRows: 7, cacheBytes: 1, watch });

/** Both imports agree: description (but the note saying it streamed), every field exactly, the batches of two seeded epochs. */
function expectSame(a: LoadedDataset, b: LoadedDataset): void {
  const { notes: notesA, ...restA } = a.description;
  const { notes: notesB, ...restB } = b.description;
  expect(restB).toEqual(restA);
  expect(notesB.filter((n) => !n.startsWith('streamed from disk'))).toEqual(notesA);
  expect(notesB.some((n) => n.startsWith('streamed from disk'))).toBe(true);
  for (const split of ['train', 'test'] as const) {
    const [x, y] = [a[split], b[split]];
    expect(y?.size).toBe(x?.size);
    if (!x || !y) continue;
    for (const field of Object.keys(x.fields)) {
      expect(readAll(y, field)).toEqual(readAll(x, field));
      for (const seed of [1, 2]) expect(shuffledEpoch(y, field, 5, seed)).toEqual(shuffledEpoch(x, field, 5, seed));
    }
  }
}

/** 60 rows: two numbers (one with gaps), a colour (one-hot or index), a ragged row, a label. */
const table = ['size,weight,colour,label', ...Array.from({ length: 60 }, (_, i) => `${(i * 7) % 13 - 4.5},${i % 9 === 4 ? '' : (i * i) % 17},${['red', 'green', 'blue'][i % 3]},${i % 4 === 0 ? 'yes' : 'no'}`)];
table.splice(20, 0, '1,2,red');
write('table.csv', table.join('\n') + '\n');

describe('streamed tables', () => {
  it('equal the in-memory import: categorical, missing values filled with the training mean, training-only normalization', async () => {
    const options = { missing: 'mean', testFraction: 0.2 };
    const a = await loadDataset({ source: 'table.csv', kind: 'csv', options }, memory());
    const b = await loadDataset({ source: 'table.csv', kind: 'csv', options }, streamed());
    expectSame(a, b);
    expect(b.description.problems).toEqual([`${join(dir, 'table.csv')}: 1 row skipped for a wrong number of fields (expected 4; line 21).`]);
    expect(b.train.fields.features.shape).toEqual([5]);
  });

  it('equal it with index-encoded categories, dropped rows and a constant fill, and a regression target', async () => {
    for (const options of [{ missing: 'drop', categorical: 'index', testFraction: 0.25 }, { missing: 'constant', fill: -2, target: 'size', normalize: false }]) {
      const a = await loadDataset({ source: 'table.csv', kind: 'csv', options }, memory());
      const b = await loadDataset({ source: 'table.csv', kind: 'csv', options }, streamed());
      expectSame(a, b);
    }
  });

  it('report bad files with the same codes and messages (file and line)', async () => {
    const bad: Record<string, string> = {
      'quote.csv': 'a,label\n1,x\n2,"y\n3,x\n',
      'mixed.csv': 'a,label\n1,x\n2,y\n3,x\n4,y\nfive,x\n6,y\n',
      'forced.csv': 'a,label\n1,x\nseven,y\n',
      'nan.csv': 'a,label\n1,x\n2,y\nNaN,x\n',
      'inf.csv': 'a,label\n1,x\ninf,y\n',
      'gap.csv': 'a,b,label\n1,10,x\n,20,y\n',
      'single.csv': 'a,label\n1,cat\n2,cat\n',
      'empty.csv': '',
      'header.csv': 'a,b\n',
      'png.csv': '\x89PNG\r\n\x1a\n\0\0',
    };
    for (const [name, text] of Object.entries(bad)) {
      write(name, text);
      const options = name === 'forced.csv' ? { types: { a: 'number' } } : {};
      const a = await datasetError(() => loadDataset({ source: name, kind: 'csv', options }, memory()));
      const b = await datasetError(() => loadDataset({ source: name, kind: 'csv', options }, streamed()));
      expect([b.code, b.message, b.where]).toEqual([a.code, a.message, a.where]);
    }
    const quote = await datasetError(() => loadDataset({ source: 'quote.csv', kind: 'csv', options: {} }, streamed()));
    expect(quote.message).toBe(`${join(dir, 'quote.csv')} line 3: a quoted field opened on this row is never closed (a " is missing before the end of the file); close the quote or remove it.`);
    const forced = await datasetError(() => loadDataset({ source: 'forced.csv', kind: 'csv', options: { types: { a: 'number' } } }, streamed()));
    expect(forced.message).toMatch(/forced\.csv line 3: column "a" is set to number but holds "seven"/);
  });

  it('count a vocabulary past the per-column limit in one more pass, with the same result', async () => {
    const path = join(dir, 'table.csv');
    const all = (n: number) => Array.from({ length: n }, (_, i) => i);
    const sink = spillSink({ cacheDir: join(dir, 'cache'), chunkRows: 7 });
    const options = { missing: 'drop' as const, categorical: 'index' as const };
    const plain = await streamTable(path, {}, options, all, sink);
    // A limit of 2 distinct values: colour (red, green, blue) overflows in the first pass.
    const importer = new TableImporter(path, ['size', 'weight', 'colour', 'label'], options, 'table.csv', 2);
    for (const [i, row] of ['1,2,red', '3,4,green', '5,6,blue'].entries()) importer.scan(row.split(',').concat('no'), i + 2);
    expect(importer.endScan()).toEqual(['colour']);
    const recounted = await streamTable(path, {}, options, all, sink, 'table.csv', 2);
    expect(recounted.columns).toEqual(plain.columns);
    for (const field of Object.keys(plain.dataset.fields)) expect(readAll(recounted.dataset, field)).toEqual(readAll(plain.dataset, field));
    expect(readAll(recounted.dataset, 'colour').slice(0, 3)).toEqual([2, 1, 0]); // red, green, blue sorted: blue 0, green 1, red 2
  });

  it('stop with a clear message when the file changes between its passes', async () => {
    const path = join(dir, 'growing.csv');
    writeFileSync(path, 'a,label\n1,x\n2,y\n');
    const memorySinkThenGrow: SinkFactory = (spec) => {
      appendFileSync(path, '3,x\n');
      return memorySink(spec);
    };
    const error = await datasetError(() => streamTable(path, {}, {}, (n) => Array.from({ length: n }, (_, i) => i), memorySinkThenGrow));
    expect([error.code, error.message]).toEqual(['E_DATA_MALFORMED_ROW', `${path} changed while it was being imported (its rows differ from one reading to the next); import it again.`]);
  });

  it('count again a category column whose first values looked like numbers', async () => {
    write('sizes.csv', 'size,label\n1,x\n2,y\nS,x\nM,y\nL,x\nXL,y\n7,x\n');
    const loaded = await loadDataset({ source: 'sizes.csv', kind: 'csv', options: { testFraction: 0 } }, streamed());
    expect(loaded.description.columns?.[0]).toEqual({ name: 'size', type: 'category', missing: 0, categories: ['1', '2', '7', 'L', 'M', 'S', 'XL'].map((name) => ({ name, count: 1 })) });
    // One-hot over the sorted vocabulary: 1, 2, 7, L, M, S, XL.
    expect(readAll(loaded.train, 'features', [0, 6])).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  });

  it('refuse ±Infinity in a numeric column wherever it is in its row, and report the first bad cell of the first bad row', async () => {
    write('late-inf.csv', 'a,b,label\n,inf,x\n2,3,y\n');
    const late = await datasetError(() => loadDataset({ source: 'late-inf.csv', kind: 'csv', options: { missing: 'mean' } }, streamed()));
    expect([late.code, late.where.line]).toEqual(['E_DATA_NOT_FINITE', 2]);
    expect(late.message).toMatch(/late-inf\.csv line 2: column "b" is inf/);
    write('order.csv', 'a,b,label\n1,2,x\n,-inf,y\n3,,x\n');
    const first = await datasetError(() => loadDataset({ source: 'order.csv', kind: 'csv', options: {} }, streamed()));
    expect(first.message).toMatch(/order\.csv line 3: column "a" is missing/);
  });

  it('never hold more decoded chunks than the cache bound, in shuffled epochs or in order', async () => {
    const path = join(dir, 'bound.csv');
    writeFileSync(path, ['x,y,label', ...Array.from({ length: 1000 }, (_, i) => `${i},${(i * 31) % 97},${i % 2}`)].join('\n'));
    const watched: ChunkedDataset[] = [];
    const fields = { features: { shape: [2], dtype: 'f32' as const }, label: { shape: [1], dtype: 'f32' as const } };
    const cacheBytes = 3 * chunkBytes(fields, 16);
    const all = (n: number) => Array.from({ length: n }, (_, i) => i);
    const imported = await streamTable(path, {}, { task: 'regression', normalize: false }, all, spillSink({ cacheDir: join(dir, 'cache'), chunkRows: 16, cacheBytes, onDataset: (d) => watched.push(d) }));
    const chunked = watched[0];
    expect(chunked.maxChunks).toBe(3);
    const buffer = allocateField(fields.features, 50);
    for (const seed of [1, 2, 3]) {
      const order = permutation(1000, seed);
      for (let at = 0; at < 1000; at += 50) {
        imported.dataset.gather('features', order.subarray(at, at + 50), buffer);
        expect(chunked.stats.held).toBeLessThanOrEqual(3);
      }
    }
    for (let at = 0; at < 1000; at += 50) {
      imported.dataset.gather('features', Int32Array.from({ length: 50 }, (_, i) => at + i), buffer);
      expect(chunked.stats.held).toBeLessThanOrEqual(3);
      expect(Array.from(buffer.subarray(0, 4))).toEqual([at, (at * 31) % 97, at + 1, ((at + 1) * 31) % 97]);
    }
    // Shuffled batches read rows one by one; in-order passes load whole chunks (and evict).
    expect(chunked.stats.sampleReads).toBeGreaterThan(1000);
    expect(chunked.stats.misses).toBeGreaterThan(3);
  });
});

/** Sensor rows of 4 machines (unit column), shuffled in the file so the import has to sort them by unit and time. */
function sensorRows(): string[] {
  const rows: string[] = [];
  for (let m = 0; m < 4; m++) {
    for (let t = 0; t < 40; t++) rows.push(`m${m},${t},${(t * (m + 1)) % 11 + 0.25 * m},${Math.sin(t + m).toFixed(4)},${t % 13 === 12 ? 1 : 0}`);
  }
  const order = permutation(rows.length, 5);
  return Array.from(order, (i) => rows[i]);
}

describe('reading a streamed table', () => {
  it('loads whole chunks, prefetched by the worker, for an in-order pass, and reads rows one by one for shuffled batches', async () => {
    const path = join(dir, 'passes.csv');
    writeFileSync(path, ['x,label', ...Array.from({ length: 2048 }, (_, i) => `${i},${i % 2}`)].join('\n'));
    const sources: SpillChunkSource[] = [];
    const datasets: ChunkedDataset[] = [];
    const sink = spillSink({ cacheDir: join(dir, 'cache'), chunkRows: 256, cacheBytes: 1, onDataset: (d, s) => { datasets.push(d); sources.push(s); } });
    const imported = await streamTable(path, {}, { task: 'regression', normalize: false }, (n) => Array.from({ length: n }, (_, i) => i), sink);
    const [chunked] = datasets;
    const [source] = sources;
    const buffer = allocateField(chunked.fields.features, 32);
    // Batches of 32 consecutive rows: 1/8 of a chunk, but a dense run, so chunks load (8 of them).
    for (let at = 0; at < 2048; at += 32) {
      imported.dataset.gather('features', Int32Array.from({ length: 32 }, (_, i) => at + i), buffer);
      expect(buffer[31]).toBe(at + 31);
      // Let the worker's read of the next chunk land before the batch that needs it, as training steps do.
      if (at % 256 === 224) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect([chunked.stats.misses, chunked.stats.sampleReads]).toEqual([8, 0]);
    expect(source.counts.prefetched).toBeGreaterThan(0);
    const order = permutation(2048, 4);
    for (let at = 0; at < 2048; at += 32) imported.dataset.gather('features', order.subarray(at, at + 32), buffer);
    expect(chunked.stats.sampleReads).toBeGreaterThan(1500);
    expect(chunked.stats.held).toBeLessThanOrEqual(2);
  });
});

describe('chunk files', () => {
  it('close their reader once, however often close() is called (its descriptor may belong to another file by then)', () => {
    const file = join(dir, 'twice.chunks');
    const writer = new SpillWriter(file, { x: { shape: [], dtype: 'f32' } }, 4);
    writer.append({ x: [1] });
    writer.finish();
    const source = new SpillChunkSource(file, { x: { shape: [], dtype: 'f32' } }, 4, { name: 'twice', size: 1 });
    source.close();
    expect(() => source.close()).not.toThrow();
  });

  it('are swept from the cache folder when the process that made them is gone', () => {
    const cache = join(dir, 'sweep');
    mkdirSync(cache);
    const dead = join(cache, 'table-999999999-abc-d1.chunks');
    const live = join(cache, `table-${process.ppid}-abc-d2.chunks`);
    const other = join(cache, 'notes.txt');
    for (const file of [dead, live, other]) writeFileSync(file, 'x');
    const sink = spillSink({ cacheDir: cache })({ name: 't', fields: { x: { shape: [], dtype: 'f32' } }, size: 1 });
    sink.append({ x: [1] });
    expect(readAll(sink.finish(), 'x')).toEqual([1]);
    expect([dead, live, other].map((f) => existsSync(f))).toEqual([false, true, true]);
  });
});

describe('streamed series', () => {
  const header = 'machine,time,temp,vibration,failure';
  write('sensors.csv', [header, ...sensorRows()].join('\n'));
  mkdirSync(join(dir, 'units'));
  for (let m = 0; m < 3; m++) write(join('units', `m${m}.csv`), ['time,temp,vibration,failure', ...Array.from({ length: 30 }, (_, t) => `${t},${(t * 3 + m) % 7},${t % 5},${t % 9 === 8 ? 1 : 0}`)].join('\n'));

  it('equal the in-memory windows: failure labels and remaining useful life, per-window centring, sorted by unit and time', async () => {
    const base = { unit: 'machine', time: 'time', length: 5, stride: 2, horizon: 4, testFraction: 0.25 };
    for (const options of [base, { ...base, label: 'rul', rulCap: 6 }, { ...base, windowNormalize: 'mean' }]) {
      const a = await loadDataset({ source: 'sensors.csv', kind: 'timeseries', options }, memory());
      const b = await loadDataset({ source: 'sensors.csv', kind: 'timeseries', options }, streamed());
      expectSame(a, b);
    }
  });

  it('equal them for a folder of one CSV per machine', async () => {
    const options = { length: 4, horizon: 3, testFraction: 0.34 };
    const a = await loadDataset({ source: 'units', kind: 'timeseries', options }, memory());
    const b = await loadDataset({ source: 'units', kind: 'timeseries', options }, streamed());
    expectSame(a, b);
    expect(b.description.notes[0]).toMatch(/^train units: m\d, m\d$/);
  });

  it('keep the windows a view: the series is in chunks behind the bounded cache, with no machine on both sides', async () => {
    const watched: ChunkedDataset[] = [];
    const series = await streamSeries([join(dir, 'sensors.csv')], {}, { unit: 'machine', time: 'time' }, join(dir, 'sensors.csv'), join(dir, 'cache'));
    const windows = importSeriesWindows(series.index, series.values, { length: 6, horizon: 4, testFraction: 0.25 }, 9, 'sensors', spillSink({ cacheDir: join(dir, 'cache'), chunkRows: 64, cacheBytes: 1, onDataset: (d) => watched.push(d) }));
    series.values.close();
    const [rows] = watched;
    expect([rows.size, rows.maxChunks]).toEqual([160, 2]);
    const test = new Set(windows.test!.unitOfWindow);
    expect([...new Set(windows.train.unitOfWindow)].some((u) => test.has(u))).toBe(false);
    // A window (6 rows) is under 64/8 rows: read straight from the file in one read, unless its chunk is cached.
    for (const seed of [1, 2]) {
      shuffledEpoch(windows.train, 'window', 8, seed);
      expect(rows.stats.held).toBeLessThanOrEqual(2);
    }
    expect(rows.stats.sampleReads).toBeGreaterThan(0);
  });

  it('report a bad cell with the same message', async () => {
    write('bad-series.csv', 'temp,failure\n1,0\n2,0\nhot,0\n4,1\n');
    const options = { length: 2, horizon: 1 };
    const a = await datasetError(() => loadDataset({ source: 'bad-series.csv', kind: 'timeseries', options }, memory()));
    const b = await datasetError(() => loadDataset({ source: 'bad-series.csv', kind: 'timeseries', options }, streamed()));
    expect([b.code, b.message]).toEqual([a.code, a.message]);
    expect(b.message).toMatch(/bad-series\.csv line 4: column "temp" holds "hot", not a number/);
  });
});

/** Input [F] -> Dense(8) -> ReLU -> Dense(1) -> BCE with logits on `label`. */
function mlp(features: number, datasetId: string, options: Record<string, unknown>): Project {
  const project = findTemplate('neuron')!.build('mlp');
  const net = project.networks[0];
  net.nodes = [
    { id: 'x', type: 'Input', params: { shape: [features], field: 'features' }, position: { x: 0, y: 0 } },
    { id: 'hidden', type: 'Dense', params: { units: 8, bias: true }, position: { x: 200, y: 0 } },
    { id: 'relu', type: 'ReLU', params: {}, position: { x: 400, y: 0 } },
    { id: 'out', type: 'Dense', params: { units: 1, bias: true }, position: { x: 600, y: 0 } },
    { id: 'loss', type: 'BCEWithLogitsLoss', params: { target: 'label' }, position: { x: 800, y: 0 } },
  ];
  net.edges = ['x', 'hidden', 'relu', 'out', 'loss'].slice(1).map((target, i, all) => ({ id: `e${i}`, source: { node: i ? all[i - 1] : 'x', port: 'out' }, target: { node: target, port: 'in' } }));
  return { ...project, datasets: [{ id: datasetId, source: 'big.csv', kind: 'csv', options }], training: { ...project.training, datasetId, epochs: 2, batchSize: 32, optimizer: { type: 'sgd', learningRate: 0.2, momentum: 0.9 } } };
}

describe('a table much bigger than its cache', () => {
  it('trains a small MLP through the streamed import, and the loss falls', async () => {
    // 4000 rows; the cache holds two chunks of 64 rows (128 rows, 3% of the table).
    const rows = Array.from({ length: 4000 }, (_, i) => {
      const a = ((i * 7919) % 1000) / 100 - 5, b = ((i * 104729) % 997) / 100 - 5;
      return `${a},${b},${['n', 'e', 's'][i % 3]},${a * a + b * b < 9 ? 1 : 0}`;
    });
    write('big.csv', ['a,b,side,inside', ...rows].join('\n'));
    const options = { target: 'inside', task: 'regression', targetField: 'label', testFraction: 0.1 };
    const watched: ChunkedDataset[] = [];
    const sources: SpillChunkSource[] = [];
    const loaded = await loadDataset({ source: 'big.csv', kind: 'csv', options }, { ...streamed((d, s) => { watched.push(d); sources.push(s); }), chunkRows: 64, seed: 1, validationSplit: 0.2 });
    expect(loaded.train.fields.features.shape).toEqual([5]);
    const train = async (data: LoadedDataset) => {
      const losses: number[] = [];
      for await (const event of trainSupervised({ runId: 'big', project: mlp(5, 'big', options), data, backend: createBackend('cpu'), backendReport: { kind: 'cpu', detail: 'float32', reason: 'test' } }) as AsyncIterable<RunEvent>) {
        if (event.type === 'step') losses.push(event.loss);
        if (event.type === 'done') expect(event.status).toBe('completed');
      }
      return losses;
    };
    const losses = await train(loaded);
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    expect(losses.length).toBeGreaterThan(150);
    expect(mean(losses.slice(-20))).toBeLessThan(0.8 * mean(losses.slice(0, 20)));
    // The same run from memory: the batches read ahead from disk are the same batches, bit for bit.
    const inMemory = await loadDataset({ source: 'big.csv', kind: 'csv', options }, { ...memory(), seed: 1, validationSplit: 0.2 });
    expect(await train(inMemory)).toEqual(losses);
    const [chunked] = watched;
    expect(chunked.maxChunks).toBe(2);
    expect(chunked.stats.held).toBeLessThanOrEqual(2);
    // Every training batch but each epoch's first is announced a step ahead and read by the worker
    // (features and labels of a batch: two gathers per staged batch); so is every validation batch but the first.
    const steps = Math.floor(2880 / 32);
    expect(chunked.stats.stagedRows).toBeGreaterThanOrEqual(2 * 2 * (steps - 1) * 32);
    expect(sources[0].counts.staged).toBeGreaterThanOrEqual(chunked.stats.stagedRows / 2);
    expect(chunked.stats.stageFailures).toBe(0);
    // What is left on the training thread: each epoch's first batch, the probe's, and the first validation batch.
    expect(chunked.stats.sampleReads).toBeLessThan(2 * 4 * 32 + 64);
  });
});
