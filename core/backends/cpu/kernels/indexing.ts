/**
 * @file gather / scatterAdd along one axis, the adjoint pair used for embeddings, label picking
 * and their gradients. With x viewed as [outer, A, inner] (A = x.shape[axis]) and the indices
 * flattened to I entries:
 *   gather:      out[o, i, q]         = x[o, idx[i], q]          out is [outer, I, inner]
 *   scatterAdd:  out[o, idx[i], q]   += updates[o, i, q]         out is zeros of `shape` first
 * Indices must lie in [0, A); anything else throws a RangeError (a negative or too-large label
 * is a data bug the user must see, not a silent wrap).
 */
import { type AnyArray, type FloatArray, type Shape, normalizeAxis, sizeOf } from './shape';

/** out.shape = x.shape[:axis] ++ indicesShape ++ x.shape[axis+1:]. */
export function gatherShape(shape: Shape, indicesShape: Shape, axis: number): number[] {
  const ax = normalizeAxis(axis, shape.length);
  return [...shape.slice(0, ax), ...indicesShape, ...shape.slice(ax + 1)];
}

function checkIndex(v: number, dim: number): number {
  if (!(v >= 0 && v < dim) || v !== Math.floor(v)) throw new RangeError(`index ${v} out of range [0, ${dim})`);
  return v;
}

/** out[o, i, q] = x[o, indices[i], q] (see file doc). `indices` is i32 (or integral floats). */
export function gather(x: AnyArray, shape: Shape, indices: AnyArray, axis: number, out: AnyArray): void {
  const ax = normalizeAxis(axis, shape.length);
  const dim = shape[ax];
  const outer = sizeOf(shape.slice(0, ax));
  const inner = sizeOf(shape.slice(ax + 1));
  const count = indices.length;
  for (let i = 0; i < count; i++) checkIndex(indices[i], dim);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const src = o * dim, dst = o * count;
      for (let i = 0; i < count; i++) out[dst + i] = x[src + indices[i]];
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < count; i++) {
      const src = (o * dim + indices[i]) * inner;
      const dst = (o * count + i) * inner;
      for (let q = 0; q < inner; q++) out[dst + q] = x[src + q];
    }
  }
}

/**
 * out = zeros(shape); out[o, indices[i], q] += updates[o, i, q]. Repeated indices accumulate
 * (so this is exactly the vector-Jacobian product of gather).
 */
export function scatterAdd(updates: FloatArray, indices: AnyArray, axis: number, shape: Shape, out: FloatArray): void {
  const ax = normalizeAxis(axis, shape.length);
  const dim = shape[ax];
  const outer = sizeOf(shape.slice(0, ax));
  const inner = sizeOf(shape.slice(ax + 1));
  const count = indices.length;
  for (let i = 0; i < count; i++) checkIndex(indices[i], dim);
  out.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < count; i++) {
      const dst = (o * dim + indices[i]) * inner;
      const src = (o * count + i) * inner;
      for (let q = 0; q < inner; q++) out[dst + q] += updates[src + q];
    }
  }
}
