/**
 * @file Reductions `sum` and `max` over any set of axes.
 *
 * The output has the input's shape with every reduced axis set to 1 (keepDims only changes the
 * shape the caller records, never the storage). Walk: out is read through strides that are 0 on
 * reduced axes, so the same loop both accumulates along reduced axes and advances along kept ones.
 * When the innermost (coalesced) axis is reduced, it is folded into a double-precision local
 * before touching `out`, which is also what keeps f32 sums accurate for row reductions.
 * Empty reductions give the identity: sum → 0, max → -Infinity. max propagates NaN.
 */
import { Prim, type ReducePrim } from '../../../ir/prims';
import { forEachRun } from './walk';
import { type FloatArray, type Shape, coalesce, normalizeAxis, stridesOf } from './shape';

/** 'sum' or 'reduceMax' (the prim's own name). */
export type ReduceOp = ReducePrim;

/** Shape of the result with reduced axes kept as 1 (keepDims = true). */
export function reducedShape(shape: Shape, axes: readonly number[]): number[] {
  const out = shape.slice();
  for (const a of axes) out[normalizeAxis(a, shape.length)] = 1;
  return out;
}

/**
 * out = op over `axes` of x (x has `shape`). `axes` may be negative, unordered, empty (then a copy).
 * `out.length` must be the product of `reducedShape(shape, axes)`.
 */
export function reduce(op: ReduceOp, x: FloatArray, shape: Shape, axes: readonly number[], out: FloatArray): void {
  const isSum = op === Prim.Sum;
  const identity = isSum ? 0 : -Infinity;
  out.fill(identity);
  const rank = shape.length;
  if (rank === 0) {
    out[0] = x[0];
    return;
  }
  const outShape = reducedShape(shape, axes);
  const outStrides = stridesOf(outShape);
  for (let d = 0; d < rank; d++) if (outShape[d] === 1) outStrides[d] = 0;
  const c = coalesce(shape, [stridesOf(shape), outStrides]);
  const r = c.shape.length - 1;
  const sx = c.strides[0][r];
  const so = c.strides[1][r];
  if (isSum) {
    if (so === 0) {
      forEachRun(c.shape, c.strides, (off, n) => {
        let acc = 0;
        for (let i = 0, ix = off[0]; i < n; i++, ix += sx) acc += x[ix];
        out[off[1]] += acc;
      });
    } else {
      forEachRun(c.shape, c.strides, (off, n) => {
        for (let i = 0, ix = off[0], io = off[1]; i < n; i++, ix += sx, io += so) out[io] += x[ix];
      });
    }
  } else {
    // m = v when v > m or v is NaN; once m is NaN nothing compares greater, so NaN sticks
    if (so === 0) {
      forEachRun(c.shape, c.strides, (off, n) => {
        let m = out[off[1]];
        for (let i = 0, ix = off[0]; i < n; i++, ix += sx) {
          const v = x[ix];
          if (v > m || v !== v) m = v;
        }
        out[off[1]] = m;
      });
    } else {
      forEachRun(c.shape, c.strides, (off, n) => {
        for (let i = 0, ix = off[0], io = off[1]; i < n; i++, ix += sx, io += so) {
          const v = x[ix];
          if (v > out[io] || v !== v) out[io] = v;
        }
      });
    }
  }
}
