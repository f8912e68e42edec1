/**
 * @file Shape arithmetic shared by the CPU kernels: element counts, row-major strides and NumPy
 * broadcasting. Shapes are `readonly number[]`, row-major (last axis contiguous). Nothing here
 * runs per element; these helpers run once per kernel call.
 */

/** The storage a float tensor lives in: f32 on the compute backend, f64 on the oracle backend. */
export type FloatArray = Float32Array | Float64Array;

/** Any tensor storage a kernel may read: float (f32/bool) or i32 (indices, labels). */
export type AnyArray = Float32Array | Float64Array | Int32Array;

export type Shape = readonly number[];

/** Number of elements: the product of the dims (1 for a scalar `[]`). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides in elements: stride[last] = 1, stride[i] = stride[i+1]·shape[i+1]. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * NumPy broadcast of two shapes: align right, a dim of 1 stretches to the other.
 * Throws on a mismatch (the compiler checks shapes first, so this is a bug guard).
 */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`broadcast: incompatible shapes [${a.join(',')}] and [${b.join(',')}]`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides of `shape` read as if broadcast to `outShape` (rank ≥ shape's): 0 on stretched and
 * missing leading axes, so `offset = Σ index[i]·stride[i]` walks the source.
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const rank = outShape.length;
  const own = stridesOf(shape);
  const out = new Array<number>(rank).fill(0);
  const lead = rank - shape.length;
  for (let i = 0; i < shape.length; i++) out[lead + i] = shape[i] === 1 ? 0 : own[i];
  return out;
}

/** True when both shapes are equal dim by dim. */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Drop size-1 axes and merge axes that are contiguous in every operand, so a strided walk has as
 * few (and as long) axes as possible. `strides` holds one stride list per operand (output first,
 * usually). Axes i and i+1 merge when, for every operand, stride[i] = stride[i+1]·shape[i+1].
 * Returns the coalesced shape and strides (at least rank 1).
 */
export function coalesce(shape: Shape, strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = outShape.length - 1;
    let merge = last >= 0;
    if (merge) {
      for (let k = 0; k < strides.length; k++) {
        if (outStrides[k][last] !== strides[k][i] * shape[i]) {
          merge = false;
          break;
        }
      }
    }
    if (merge) {
      outShape[last] *= shape[i];
      for (let k = 0; k < strides.length; k++) outStrides[k][last] = strides[k][i];
    } else {
      outShape.push(shape[i]);
      for (let k = 0; k < strides.length; k++) outStrides[k].push(strides[k][i]);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (let k = 0; k < strides.length; k++) outStrides[k].push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/** Normalise a possibly negative axis into [0, rank). */
export function normalizeAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`axis ${axis} out of range for rank ${rank}`);
  return a;
}
