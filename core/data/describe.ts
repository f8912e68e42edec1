/**
 * @file What an import produced, as plain JSON (for `brrr data inspect`, the studio's dataset
 * panel, and the contract): kind, sample counts, fields with shapes and dtypes, classes with
 * counts, column statistics, and the problems found (rows or files skipped, with which).
 */
import { allocateField, type Dataset, type FieldDtype } from './dataset';
import type { ColumnSummary } from './table';

export type DatasetKind = 'idx' | 'images' | 'csv' | 'timeseries' | 'text' | 'npy' | 'builtin';

export interface FieldDescription {
  name: string;
  shape: number[];
  dtype: FieldDtype;
}

export interface DatasetDescription {
  source: string;
  kind: DatasetKind;
  /** Training samples (the recipe carves validation out of them). */
  samples: number;
  testSamples: number;
  fields: FieldDescription[];
  /** Classes with their counts in the training samples (classification sets only). */
  classes?: { name: string; count: number }[];
  columns?: ColumnSummary[];
  /** Token names of a text dataset (ids index it), at most the first 5000. */
  vocabulary?: string[];
  /** Facts worth knowing (split by unit, vocabulary size, normalization). */
  notes: string[];
  /** What was skipped or looks wrong, each naming the file and lines or samples. */
  problems: string[];
}

export function describeFields(dataset: Dataset): FieldDescription[] {
  return Object.entries(dataset.fields).map(([name, spec]) => ({ name, shape: [...spec.shape], dtype: spec.dtype }));
}

/** Count each class in an i32 scalar label field, reading it in batches through the interface. */
export function classCounts(dataset: Dataset, field = 'label'): { name: string; count: number }[] | undefined {
  const spec = dataset.fields[field];
  if (!dataset.classes || !spec || spec.dtype !== 'i32' || spec.shape.length !== 0) return undefined;
  const counts = dataset.classes.map(() => 0);
  const batch = 1024;
  const out = allocateField(spec, batch);
  const indices = new Int32Array(batch);
  for (let start = 0; start < dataset.size; start += batch) {
    const n = Math.min(batch, dataset.size - start);
    for (let i = 0; i < n; i++) indices[i] = start + i;
    dataset.gather(field, indices.subarray(0, n), out);
    for (let i = 0; i < n; i++) counts[out[i]]++;
  }
  return dataset.classes.map((name, i) => ({ name, count: counts[i] }));
}
