/**
 * @file Where an importer writes encoded samples, one at a time in order: memory (small sets) or a
 * spill file behind a `ChunkedDataset` (electron/services/datasets/spillSink.ts). Importers produce
 * samples the same way for both, so a streamed import and an in-memory one give identical values.
 */
import { InMemoryDataset, sampleSize, type FieldArray, type FieldSpec, type RangeDataset } from './dataset';

export interface SinkSpec {
  name: string;
  fields: Readonly<Record<string, FieldSpec>>;
  /** Samples that will be appended (exactly). */
  size: number;
  classes?: readonly string[];
}

export interface SampleSink {
  /** Copy one sample: for each field, sampleSize(spec) values. */
  append(sample: Readonly<Record<string, ArrayLike<number>>>): void;
  /** The dataset of everything appended. */
  finish(): RangeDataset;
}

export type SinkFactory = (spec: SinkSpec) => SampleSink;

/** Samples held in one preallocated typed array per field. */
export const memorySink: SinkFactory = (spec) => {
  const columns: Record<string, { spec: FieldSpec; data: FieldArray }> = {};
  for (const [key, field] of Object.entries(spec.fields)) {
    const n = spec.size * sampleSize(field);
    columns[key] = { spec: field, data: field.dtype === 'i32' ? new Int32Array(n) : new Float32Array(n) };
  }
  let row = 0;
  return {
    append(sample) {
      if (row >= spec.size) throw new Error(`${spec.name}: more than the ${spec.size} samples announced were appended.`);
      for (const [key, column] of Object.entries(columns)) column.data.set(sample[key], row * sampleSize(column.spec));
      row++;
    },
    finish() {
      if (row !== spec.size) throw new Error(`${spec.name}: ${row} samples appended, ${spec.size} announced.`);
      return new InMemoryDataset(spec.name, spec.size, columns, spec.classes);
    },
  };
};

/**
 * Mean and population standard deviation in one pass (Welford): for each x,
 * n += 1; d = x - mean; mean += d / n; m2 += d * (x - mean); var = m2 / n.
 * One pass lets a streamed import gather statistics while it encodes; the in-memory import uses
 * the same accumulator in the same order, so both give the same bits.
 */
export class RunningMoments {
  n = 0;
  mean = 0;
  private m2 = 0;
  min = Infinity;
  max = -Infinity;

  add(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  get std(): number {
    return this.n ? Math.sqrt(this.m2 / this.n) : 0;
  }
}
