/**
 * @file A fixed-capacity ring of rows `(x, y0, y1, ...)` for streaming plots: pushing is O(1) and
 * never allocates; when full the oldest row is overwritten. `columns()` lays the rows out oldest
 * first as uPlot wants them (`[xs, ys0, ys1, ...]`, a missing value is `null`, drawn as a gap).
 */

export type Columns = [number[], ...(number | null)[][]];

export class RingSeries {
  private readonly xs: Float64Array;
  private readonly ys: Float64Array[];
  private start = 0;
  private count = 0;
  /** Rows pushed over the whole life of the ring (including overwritten ones). */
  private pushed = 0;

  constructor(
    readonly capacity: number,
    readonly width: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`RingSeries capacity must be a positive integer, got ${capacity}.`);
    this.xs = new Float64Array(capacity);
    this.ys = Array.from({ length: width }, () => new Float64Array(capacity).fill(Number.NaN));
  }

  get length(): number {
    return this.count;
  }

  get total(): number {
    return this.pushed;
  }

  /** Append one row; `undefined` or a non-finite value in `values` is stored as a gap. */
  push(x: number, values: readonly (number | undefined)[]): void {
    const at = (this.start + this.count) % this.capacity;
    this.xs[at] = x;
    for (let c = 0; c < this.width; c++) {
      const v = values[c];
      (this.ys[c] as Float64Array)[at] = v === undefined || !Number.isFinite(v) ? Number.NaN : v;
    }
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
    this.pushed++;
  }

  /** The newest row's value in column `c`, or undefined when empty or a gap. */
  last(c: number): number | undefined {
    if (this.count === 0) return undefined;
    const v = (this.ys[c] as Float64Array)[(this.start + this.count - 1) % this.capacity] as number;
    return Number.isNaN(v) ? undefined : v;
  }

  /** The oldest kept value in column `c` that is not a gap. */
  first(c: number): number | undefined {
    const col = this.ys[c] as Float64Array;
    for (let i = 0; i < this.count; i++) {
      const v = col[(this.start + i) % this.capacity] as number;
      if (!Number.isNaN(v)) return v;
    }
    return undefined;
  }

  lastX(): number | undefined {
    return this.count === 0 ? undefined : this.xs[(this.start + this.count - 1) % this.capacity];
  }

  /** Whether column `c` holds at least one value. */
  hasValues(c: number): boolean {
    const col = this.ys[c] as Float64Array;
    for (let i = 0; i < this.count; i++) if (!Number.isNaN(col[(this.start + i) % this.capacity] as number)) return true;
    return false;
  }

  /** Oldest first: `[xs, ...ys]` (all columns, or those in `select`, in its order), gaps as null. Allocates fresh arrays (called at most per redraw). */
  columns(select?: readonly number[]): Columns {
    const picked = (select ?? this.ys.map((_, c) => c)).map((c) => this.ys[c] as Float64Array);
    const xs = new Array<number>(this.count);
    const ys = picked.map(() => new Array<number | null>(this.count));
    for (let i = 0; i < this.count; i++) {
      const at = (this.start + i) % this.capacity;
      xs[i] = this.xs[at] as number;
      for (let c = 0; c < picked.length; c++) {
        const v = (picked[c] as Float64Array)[at] as number;
        (ys[c] as (number | null)[])[i] = Number.isNaN(v) ? null : v;
      }
    }
    return [xs, ...ys];
  }

  /** Forget every row (a k-fold run's next fold starts its steps again at 1). */
  clear(): void {
    this.start = 0;
    this.count = 0;
  }
}
