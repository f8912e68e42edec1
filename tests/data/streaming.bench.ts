/**
 * @file Streaming cost: shuffled batches of 64 images [1, 28, 28] from the spill file with a cache
 * of a quarter of the set (worker prefetch on, then off) against the same set in memory.
 * Run: npx vitest bench --run tests/data/streaming.bench.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { allocateField, ChunkedDataset, InMemoryDataset, permutation, type Dataset, type FieldSpec } from '../../core/data';
import { SpillChunkSource, SpillWriter } from '../../electron/services/datasets/spill';

const N = 8192, CHUNK = 256;
const fields: Record<string, FieldSpec> = { image: { shape: [1, 28, 28], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } };
const file = join(mkdtempSync(join(tmpdir(), 'brrr-bench-')), 'images.chunks');
const writer = new SpillWriter(file, fields, CHUNK);
const images = new Float32Array(N * 784);
for (let i = 0; i < images.length; i++) images[i] = (i % 251) / 251;
const labels = Int32Array.from({ length: N }, (_, i) => i % 10);
for (let i = 0; i < N; i++) writer.append({ image: images.subarray(i * 784, (i + 1) * 784), label: [labels[i]] });
writer.finish();
const memory = new InMemoryDataset('memory', N, { image: { spec: fields.image, data: images }, label: { spec: fields.label, data: labels } });
const streamed = (slots: number) => new ChunkedDataset(new SpillChunkSource(file, fields, CHUNK, { name: 'disk', size: N, prefetchSlots: slots }), N / CHUNK / 4);
const prefetching = streamed(2), direct = streamed(0);

function epoch(dataset: Dataset, seed: number): void {
  const order = permutation(N, seed);
  const out = allocateField(fields.image, 64);
  for (let s = 0; s < N; s += 64) dataset.gather('image', order.subarray(s, s + 64), out);
}

describe('one shuffled epoch of 8192 images, batch 64', () => {
  let seed = 0;
  bench('in memory', () => epoch(memory, seed++));
  bench('spill file, cache 1/4, prefetch worker', () => epoch(prefetching, seed++));
  bench('spill file, cache 1/4, no worker', () => epoch(direct, seed++));
});

function inOrder(dataset: Dataset): void {
  const out = allocateField(fields.image, 256);
  const rows = new Int32Array(256);
  for (let s = 0; s < N; s += 256) {
    for (let i = 0; i < 256; i++) rows[i] = s + i;
    dataset.gather('image', rows, out);
  }
}

describe('one in-order pass (evaluation), batch 256', () => {
  bench('in memory', () => inOrder(memory));
  bench('spill file, cache 1/4, prefetch worker', () => inOrder(prefetching));
  bench('spill file, cache 1/4, no worker', () => inOrder(direct));
});
