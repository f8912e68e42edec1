/**
 * @file The dataset interface the training loop reads: named fields (what Input nodes and loss
 * targets bind to), a sample count, and batches gathered by index into caller-owned buffers.
 */

export type FieldDtype = 'f32' | 'i32';

export interface FieldSpec {
  /** Shape of one sample, without the batch dimension. */
  shape: readonly number[];
  dtype: FieldDtype;
}

export type FieldArray = Float32Array | Int32Array;

export interface Dataset {
  readonly name: string;
  readonly size: number;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** Class names when a field holds class indices (for metrics, confusion matrices and previews). */
  readonly classes?: readonly string[];
  /**
   * The group of each sample (the machine of a sensor window, the patient of a record), when samples
   * of one group are related: splits keep a group on one side, so nothing leaks between them.
   */
  readonly groups?: Int32Array;
  /** Copy the samples at `indices` of `field` into `out` (length = indices.length * sample size). */
  gather(field: string, indices: ArrayLike<number>, out: FieldArray): void;
  /**
   * The indices of the next batch, announced one batch ahead (the trainer calls it while the
   * current step computes), so a dataset on disk can read those samples on another thread. A hint
   * only: `gather` returns the same values whatever was announced, or if nothing was.
   */
  willGather?(indices: ArrayLike<number>): void;
}

/** A dataset whose consecutive samples are copied in one call (the rows of a series that windows slice). */
export interface RangeDataset extends Dataset {
  /** Copy samples [start, start + count) of `field` into `out` from sample slot `at`. */
  gatherRange(field: string, start: number, count: number, out: FieldArray, at: number): void;
}

export const sampleSize = (spec: FieldSpec): number => spec.shape.reduce((a, b) => a * b, 1);

export function allocateField(spec: FieldSpec, batch: number): FieldArray {
  const n = batch * sampleSize(spec);
  return spec.dtype === 'i32' ? new Int32Array(n) : new Float32Array(n);
}

/** A dataset held in memory: one flat typed array per field. */
export class InMemoryDataset implements RangeDataset {
  readonly fields: Readonly<Record<string, FieldSpec>>;

  constructor(
    readonly name: string,
    readonly size: number,
    private readonly columns: Readonly<Record<string, { spec: FieldSpec; data: FieldArray }>>,
    readonly classes?: readonly string[],
  ) {
    const fields: Record<string, FieldSpec> = {};
    for (const [key, column] of Object.entries(columns)) {
      const expected = size * sampleSize(column.spec);
      if (column.data.length !== expected) throw new Error(`Dataset ${name}: field ${key} holds ${column.data.length} values, expected ${expected}.`);
      fields[key] = column.spec;
    }
    this.fields = fields;
  }

  gather(field: string, indices: ArrayLike<number>, out: FieldArray): void {
    const column = this.columns[field];
    if (!column) throw new Error(`Dataset ${this.name} has no field "${field}" (it has ${Object.keys(this.columns).join(', ')}).`);
    const n = sampleSize(column.spec);
    for (let i = 0; i < indices.length; i++) {
      const src = indices[i] * n;
      out.set(column.data.subarray(src, src + n), i * n);
    }
  }

  gatherRange(field: string, start: number, count: number, out: FieldArray, at: number): void {
    const column = this.columns[field];
    if (!column) throw new Error(`Dataset ${this.name} has no field "${field}" (it has ${Object.keys(this.columns).join(', ')}).`);
    const n = sampleSize(column.spec);
    out.set(column.data.subarray(start * n, (start + count) * n), at * n);
  }
}

/** A view of some rows of another dataset (a split or a fold). */
export class SubsetDataset implements Dataset {
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly classes?: readonly string[];
  readonly groups?: Int32Array;
  private scratch = new Int32Array(0);
  /** Parent rows of the announced batch: separate from `scratch`, which the current batch's gathers use. */
  private announced = new Int32Array(0);

  constructor(
    readonly name: string,
    private readonly parent: Dataset,
    private readonly rows: Int32Array,
  ) {
    this.fields = parent.fields;
    this.classes = parent.classes;
    const groups = parent.groups;
    if (groups) this.groups = rows.map((r) => groups[r]);
  }

  willGather(indices: ArrayLike<number>): void {
    if (!this.parent.willGather) return;
    if (this.announced.length < indices.length) this.announced = new Int32Array(indices.length);
    const mapped = this.announced.subarray(0, indices.length);
    for (let i = 0; i < indices.length; i++) {
      const row = this.rows[indices[i]];
      // An index outside the subset is gather's error to report, not a hint's.
      if (row === undefined) return;
      mapped[i] = row;
    }
    this.parent.willGather(mapped);
  }

  get size(): number {
    return this.rows.length;
  }

  gather(field: string, indices: ArrayLike<number>, out: FieldArray): void {
    if (this.scratch.length < indices.length) this.scratch = new Int32Array(indices.length);
    const mapped = this.scratch.subarray(0, indices.length);
    for (let i = 0; i < indices.length; i++) mapped[i] = this.rows[indices[i]];
    this.parent.gather(field, mapped, out);
  }
}

/**
 * One field of another dataset rewritten after it is gathered (normalization, augmentation);
 * everything else passes through: fields, classes, name, size, and read-ahead announcements.
 */
export abstract class FieldTransformDataset implements Dataset {
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly classes?: readonly string[];

  constructor(
    readonly base: Dataset,
    protected readonly field: string,
  ) {
    this.fields = base.fields;
    this.classes = base.classes;
  }

  get name(): string {
    return this.base.name;
  }

  get size(): number {
    return this.base.size;
  }

  willGather(indices: ArrayLike<number>): void {
    this.base.willGather?.(indices);
  }

  gather(field: string, indices: ArrayLike<number>, out: FieldArray): void {
    this.base.gather(field, indices, out);
    if (field === this.field) this.transform(indices, out);
  }

  /** Rewrite `out`, the gathered rows `indices` of `this.field`, in place. */
  protected abstract transform(indices: ArrayLike<number>, out: FieldArray): void;
}
