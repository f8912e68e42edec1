/**
 * @file Shuffled batches read ahead: the trainer announces the next batch (`willGather`), a spilled
 * set's worker reads its records into a staged batch, and `gather` serves it. The values are the
 * synchronous path's, byte for byte; a batch that was not announced, or whose read failed or was
 * refused, is read synchronously; the staging buffer stays within its bound.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../core/backends';
import {
  allocateField, ChunkedDataset, FeatureNormalizedDataset, InMemoryDataset, permutation, planReads, SubsetDataset,
  type ChunkSource, type Dataset, type FieldArray, type FieldSpec,
} from '../../core/data';
import type { Project } from '../../core/project';
import { findTemplate } from '../../core/templates';
import type { RunEvent } from '../../core/train/events';
import { trainSupervised } from '../../core/train/supervised';
import { loadDataset } from '../../electron/services/datasets/load';
import { SpillChunkSource, SpillWriter, STAGE_BYTES } from '../../electron/services/datasets/spill';
import { ctx, scratch } from './helpers';

const dir = scratch('prefetch');
const N = 3000, CHUNK = 64;
const fields: Record<string, FieldSpec> = { x: { shape: [5], dtype: 'f32' }, y: { shape: [], dtype: 'i32' } };

/** Row r: five floats including NaN, -0 and denormals (so bytes, not values, are compared), and a label. */
function fixture(name: string): string {
  const file = join(dir, name);
  const writer = new SpillWriter(file, fields, CHUNK);
  for (let r = 0; r < N; r++) {
    const x = [r * 0.37 - 500, r % 17 === 0 ? NaN : Math.sin(r), r % 29 === 0 ? -0 : 1 / (r + 1), 1e-40 * (r % 7), (r * 7919) % 1000];
    writer.append({ x, y: [(r * 31) % 10] });
  }
  writer.finish();
  return file;
}

const file = fixture('rows.chunks');
const open = (prefetchSlots: number) => {
  const source = new SpillChunkSource(file, fields, CHUNK, { name: 'rows', size: N, prefetchSlots });
  return { source, dataset: new ChunkedDataset(source, 2) };
};
const bytes = (a: FieldArray) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

/** An epoch of `batch`-sized batches in `seed` order (the last one short), each announced one batch ahead when `ahead`. */
function epoch(dataset: Dataset, seed: number, batch: number, ahead: boolean): number[] {
  const order = permutation(dataset.size, seed);
  const x = allocateField(dataset.fields.x, batch), y = allocateField(dataset.fields.y, batch);
  const out: number[] = [];
  for (let at = 0; at < order.length; at += batch) {
    const rows = order.subarray(at, at + batch);
    const xs = x.subarray(0, rows.length * 5), ys = y.subarray(0, rows.length);
    dataset.gather('x', rows, xs);
    dataset.gather('y', rows, ys);
    if (ahead && at + batch < order.length) dataset.willGather?.(order.subarray(at + batch, at + 2 * batch));
    out.push(...bytes(xs), ...bytes(ys));
  }
  return out;
}

describe('planning the reads of a batch', () => {
  it('sorts rows into runs of consecutive records, maps each batch position to its record, and bridges small gaps', () => {
    const exact = planReads([10, 3, 4, 11, 3, 30], 0, 100)!;
    expect(Array.from(exact.runs)).toEqual([3, 2, 10, 2, 30, 1]);
    expect(Array.from(exact.slotOf)).toEqual([2, 0, 1, 3, 0, 4]);
    expect(exact.records).toBe(5);
    const bridged = planReads([10, 3, 4, 11, 3, 30], 5, 100)!;
    expect(Array.from(bridged.runs)).toEqual([3, 9, 30, 1]);
    expect(Array.from(bridged.slotOf)).toEqual([7, 0, 1, 8, 0, 9]);
    expect(bridged.records).toBe(10);
    expect(planReads([10, 3, 4, 11, 3, 30], 0, 4)).toBeUndefined();
    expect(planReads([10, 3, 4, 11, 3, 30], 5, 5)).toBeUndefined();
    expect(planReads([], 0, 10)).toBeUndefined();
  });
});

describe('batches announced one ahead', () => {
  it('are byte-identical to the synchronous path over whole shuffled epochs, and come from the worker', () => {
    const sync = open(0), ahead = open(2);
    for (const seed of [5, 6]) expect(epoch(ahead.dataset, seed, 48, true)).toEqual(epoch(sync.dataset, seed, 48, false));
    const batches = Math.ceil(N / 48);
    // Every batch but each epoch's first was staged, and both of its gathers were served from it.
    expect(ahead.dataset.stats.stagedBatches).toBe(2 * (batches - 1));
    expect(ahead.dataset.stats.stagedRows).toBe(2 * 2 * (N - 48));
    expect(ahead.dataset.stats.stageFailures).toBe(0);
    expect(ahead.dataset.stats.sampleReads).toBeLessThanOrEqual(2 * 2 * 48);
    expect(ahead.source.counts.staged).toBeGreaterThanOrEqual(2 * (N - 48));
    // The synchronous set cannot stage (no worker): announcing is a no-op there.
    expect(sync.dataset.stats.stagedBatches).toBe(0);
    expect(sync.dataset.stats.sampleReads).toBeGreaterThan(2 * N);
    // The staging buffer holds one batch of records and the gaps bridged (up to 4 KiB each; here the
    // rows are 62 records apart, so a batch is one read over most of the 72 KiB file), grown by doubling.
    expect(ahead.source.stageBufferBytes).toBeLessThanOrEqual(2 * N * 24);
    expect(ahead.source.counts.stageReads).toBeLessThan(2 * batches * 4);
    ahead.source.close();
    sync.source.close();
  });

  it('pass through subsets and normalization to the chunked set, with the same values', () => {
    const chain = (prefetchSlots: number) => {
      const opened = open(prefetchSlots);
      const rows = Int32Array.from({ length: 2000 }, (_, i) => (i * 3 + 1) % N);
      const normalized = new FeatureNormalizedDataset(opened.dataset, 'x', [{ at: 1, fill: 0.5, mean: 0.1, std: 2 }]);
      return { ...opened, view: new SubsetDataset('train', normalized, rows) };
    };
    const sync = chain(0), ahead = chain(2);
    expect(epoch(ahead.view, 9, 32, true)).toEqual(epoch(sync.view, 9, 32, false));
    expect(ahead.dataset.stats.stagedBatches).toBe(Math.ceil(2000 / 32) - 1);
    expect(ahead.dataset.stats.stagedRows).toBe(2 * (2000 - 32));
    ahead.source.close();
    sync.source.close();
  });

  it('fall back to the synchronous path for a batch that was not the one announced, or when nothing was', () => {
    const sync = open(0), ahead = open(2);
    const read = (d: Dataset, rows: number[]) => {
      const x = allocateField(fields.x, rows.length), y = allocateField(fields.y, rows.length);
      d.gather('x', rows, x);
      d.gather('y', rows, y);
      return [...bytes(x), ...bytes(y)];
    };
    const a = [2999, 5, 700, 1400, 64], b = [6, 2100, 17, 640], c = [100, 2000, 300];
    const { stats } = ahead.dataset;
    expect(read(ahead.dataset, a)).toEqual(read(sync.dataset, a)); // nothing announced
    expect(stats.stagedRows).toBe(0);
    ahead.dataset.willGather(a);
    expect(read(ahead.dataset, b)).toEqual(read(sync.dataset, b)); // another batch than announced
    expect(stats.stagedRows).toBe(0);
    expect(read(ahead.dataset, a.slice(0, 4))).toEqual(read(sync.dataset, a.slice(0, 4))); // a prefix of it
    expect(stats.stagedRows).toBe(0);
    expect(read(ahead.dataset, a)).toEqual(read(sync.dataset, a)); // the announced one, still staged
    expect(stats.stagedRows).toBe(2 * a.length);
    ahead.dataset.willGather(b);
    ahead.dataset.willGather(c); // replaces b
    expect(read(ahead.dataset, b)).toEqual(read(sync.dataset, b));
    expect(stats.stagedRows).toBe(2 * a.length);
    expect(read(ahead.dataset, c)).toEqual(read(sync.dataset, c));
    expect(stats.stagedRows).toBe(2 * (a.length + c.length));
    // Out-of-range rows are gather's to report: the hint is ignored, it does not throw.
    const before = stats.stagedBatches;
    ahead.dataset.willGather([1, N]);
    ahead.dataset.willGather([-1, 2]);
    expect(stats.stagedBatches).toBe(before);
    // Rows whose chunks are all cached are served from memory: nothing to stage.
    ahead.dataset.gather('x', Int32Array.from({ length: 32 }, (_, i) => i), allocateField(fields.x, 32));
    ahead.dataset.willGather([3, 9, 40]);
    expect(stats.stagedBatches).toBe(before);
    expect(stats.stageFailures).toBe(0);
    ahead.source.close();
    sync.source.close();
  });

  it('read a batch whose staged read failed on the training thread, with the right values', () => {
    const values = new Float32Array(40).map((_, i) => i * 1.5);
    const labels = Int32Array.from({ length: 20 }, (_, i) => i % 3);
    const memory = new InMemoryDataset('m', 20, { x: { spec: { shape: [2], dtype: 'f32' }, data: values }, y: { spec: { shape: [], dtype: 'i32' }, data: labels } });
    const attempts: number[][] = [];
    const failing: ChunkSource = {
      name: 'failing', size: 20, fields: memory.fields, chunkRows: 4,
      readChunk: (k) => {
        const rows = Int32Array.from({ length: 4 }, (_, i) => k * 4 + i);
        const x = new Float32Array(8), y = new Int32Array(4);
        memory.gather('x', rows, x);
        memory.gather('y', rows, y);
        return { x, y };
      },
      stage: (rows) => (attempts.push(Array.from(rows)), true),
      readStaged: () => false,
    };
    const dataset = new ChunkedDataset(failing, 2);
    dataset.willGather([17, 2, 9]);
    const x = new Float32Array(6), y = new Int32Array(3);
    dataset.gather('x', [17, 2, 9], x);
    dataset.gather('y', [17, 2, 9], y);
    expect(attempts).toEqual([[17, 2, 9]]);
    expect(Array.from(x)).toEqual([51, 52.5, 6, 7.5, 27, 28.5]);
    expect(Array.from(y)).toEqual([2, 2, 0]);
    // One failure is counted; the batch is then dropped, so its second field does not try again.
    expect([dataset.stats.stageFailures, dataset.stats.stagedRows]).toEqual([1, 0]);
  });

  it('stage at most STAGE_BYTES of records: a bigger batch is read on the training thread', () => {
    const big: Record<string, FieldSpec> = { pixels: { shape: [2 ** 18], dtype: 'f32' } }; // 1 MiB a record
    const path = join(dir, 'big.chunks');
    const writer = new SpillWriter(path, big, 4);
    const sample = new Float32Array(2 ** 18);
    for (let r = 0; r < 20; r++) writer.append({ pixels: sample.fill(r + 0.25) });
    writer.finish();
    const source = new SpillChunkSource(path, big, 4, { name: 'big', size: 20 });
    const dataset = new ChunkedDataset(source, 2);
    const rows = (n: number) => Array.from({ length: n }, (_, i) => (i * 7) % 20);
    const check = (n: number) => {
      const out = new Float32Array(n * 2 ** 18);
      dataset.gather('pixels', rows(n), out);
      for (let i = 0; i < n; i++) expect([out[i * 2 ** 18], out[(i + 1) * 2 ** 18 - 1]]).toEqual([rows(n)[i] + 0.25, rows(n)[i] + 0.25]);
    };
    dataset.willGather(rows(17)); // 17 MiB: refused
    expect(dataset.stats.stagedBatches).toBe(0);
    check(17);
    expect(dataset.stats.stagedRows).toBe(0);
    dataset.willGather(rows(16)); // 16 MiB: staged
    expect(dataset.stats.stagedBatches).toBe(1);
    check(16);
    expect(dataset.stats.stagedRows).toBe(16);
    expect(source.stageBufferBytes).toBeLessThanOrEqual(STAGE_BYTES);
    source.close();
  });
});

/** Input [2] -> Dense(4) -> ReLU -> Dense(1) -> BCE with logits on `label`. */
function mlp(): Project {
  const project = findTemplate('neuron')!.build('mlp');
  const net = project.networks[0];
  net.nodes = [
    { id: 'x', type: 'Input', params: { shape: [2], field: 'features' }, position: { x: 0, y: 0 } },
    { id: 'hidden', type: 'Dense', params: { units: 4, bias: true }, position: { x: 200, y: 0 } },
    { id: 'relu', type: 'ReLU', params: {}, position: { x: 400, y: 0 } },
    { id: 'out', type: 'Dense', params: { units: 1, bias: true }, position: { x: 600, y: 0 } },
    { id: 'loss', type: 'BCEWithLogitsLoss', params: { target: 'label' }, position: { x: 800, y: 0 } },
  ];
  net.edges = ['hidden', 'relu', 'out', 'loss'].map((target, i, all) => ({ id: `e${i}`, source: { node: i ? all[i - 1] : 'x', port: 'out' }, target: { node: target, port: 'in' } }));
  const options = { target: 'inside', task: 'regression', targetField: 'label' };
  return { ...project, datasets: [{ id: 'pts', source: 'pts.csv', kind: 'csv', options }], training: { ...project.training, datasetId: 'pts', epochs: 2, batchSize: 16, validationSplit: 0.25, optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 } } };
}

describe('the trainer', () => {
  it('announces each batch it will gather next, training and validation, and gathers exactly that batch next', async () => {
    writeFileSync(join(dir, 'pts.csv'), ['a,b,inside', ...Array.from({ length: 200 }, (_, i) => `${(i * 37) % 19 - 9},${(i * 11) % 13 - 6},${i % 3 ? 1 : 0}`)].join('\n'));
    const project = mlp();
    const loaded = await loadDataset(project.datasets[0], { ...ctx(dir), seed: 1, validationSplit: 0.25 });
    const calls: { kind: 'gather' | 'announce'; rows: number[] }[] = [];
    const base = loaded.train;
    const spy: Dataset = {
      name: base.name, size: base.size, fields: base.fields,
      gather(field, indices, out) {
        if (field === 'features') calls.push({ kind: 'gather', rows: Array.from(indices) });
        base.gather(field, indices, out);
      },
      willGather: (indices) => void calls.push({ kind: 'announce', rows: Array.from(indices) }),
    };
    for await (const event of trainSupervised({ runId: 'spy', project, data: { ...loaded, train: spy }, backend: createBackend('cpu'), backendReport: { kind: 'cpu', detail: 'float32', reason: 'test' } }) as AsyncIterable<RunEvent>) {
      if (event.type === 'done') expect(event.status).toBe('completed');
    }
    const announced = calls.filter((c) => c.kind === 'announce');
    // 160 rows (a fifth held out for test): 120 training rows, 7 steps of 16 an epoch (6 announced);
    // 40 validation rows, 3 batches (2 announced).
    expect(base.size).toBe(160);
    expect(announced.length).toBe(2 * (6 + 2));
    calls.forEach((call, i) => {
      if (call.kind === 'announce') expect(calls[i + 1]).toEqual({ kind: 'gather', rows: call.rows });
    });
  });
});
