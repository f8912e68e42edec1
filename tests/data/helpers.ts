/** @file Shared helpers for the dataset suites: scratch folders, reading every sample of a field or a shuffled epoch, loading with a context. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { allocateField, DatasetError, permutation, type Dataset } from '../../core/data';

/** A scratch folder removed after the suite. */
export function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `brrr-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every sample of `field`, in order, through `gather` (the interface the trainer uses). */
export function readAll(dataset: Dataset, field: string, indices?: number[]): number[] {
  const rows = indices ?? Array.from({ length: dataset.size }, (_, i) => i);
  const out = allocateField(dataset.fields[field], rows.length);
  dataset.gather(field, rows, out);
  return Array.from(out);
}

/** The DatasetError a promise or function throws (fails the test when it throws something else). */
export async function datasetError(run: () => unknown): Promise<DatasetError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw new Error(`expected a DatasetError, got ${String(error)}`);
  }
  throw new Error('expected a DatasetError, nothing was thrown');
}

export const ctx = (projectDir: string) => ({ projectDir, seed: 3, validationSplit: 0.25 });

/** Every batch of an epoch in `seed` order, concatenated. */
export function shuffledEpoch(dataset: Dataset, field: string, batch: number, seed: number): number[] {
  const order = permutation(dataset.size, seed);
  const out: number[] = [];
  const buffer = allocateField(dataset.fields[field], batch);
  for (let start = 0; start < order.length; start += batch) {
    const rows = order.subarray(start, start + batch);
    dataset.gather(field, rows, buffer);
    out.push(...buffer.subarray(0, rows.length * (buffer.length / batch)));
  }
  return out;
}
