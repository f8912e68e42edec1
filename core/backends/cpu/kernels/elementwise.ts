/**
 * @file Elementwise kernels: unary maps, broadcasting binary ops and comparisons, `where`, `cast`.
 *
 * Every op is a "row" function over a strided run (`n` elements, operand k advancing by its own
 * stride), kept in a table keyed by the op name so a missing op is a type error. Same-shape and
 * scalar operands call the row once over the whole tensor; anything else walks the coalesced
 * broadcast index space and calls the row once per innermost run.
 * Math is done in double precision and rounded once on store (so f32 results are correctly
 * rounded from the f64 value, except where the libm call itself is not exact).
 */
import { type BinaryPrim, type ComparePrim, type Dtype, Prim, type UnaryPrim } from '../../../ir/prims';
import { erf } from './erf';
import { forEachRun } from './walk';
import { type AnyArray, type FloatArray, type Shape, broadcastShapes, broadcastStrides, coalesce, stridesOf } from './shape';


type UnaryRow = (x: FloatArray, out: FloatArray, n: number) => void;
type BinaryRow = (a: FloatArray, ia: number, sa: number, b: FloatArray, ib: number, sb: number, out: FloatArray, io: number, so: number, n: number) => void;

/** sigmoid(x) = 1/(1+e^{-x}), evaluated as e^x/(1+e^x) for x < 0 so e^{±x} never overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

const unaryRows: { [P in UnaryPrim]: UnaryRow } = {
  [Prim.Neg]: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = -x[i]; },
  [Prim.Recip]: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = 1 / x[i]; },
  [Prim.Exp]: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]); },
  [Prim.Log]: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.log(x[i]); },
  [Prim.Sqrt]: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]); },
  [Prim.Abs]: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]); },
  // sign(±0) = 0 (not -0: Math.sign(-0) is -0, + 0 folds it), sign(NaN) = NaN
  [Prim.Sign]: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sign(x[i]) + 0; },
  [Prim.Tanh]: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i]); },
  [Prim.Sigmoid]: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = sigmoid(x[i]); },
  [Prim.Erf]: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = erf(x[i]); },
  [Prim.Sin]: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sin(x[i]); },
  [Prim.Cos]: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.cos(x[i]); },
};

/** out[i] = op(x[i]). `out` may alias `x`. */
export function unary(op: UnaryPrim, x: FloatArray, out: FloatArray): void {
  unaryRows[op](x, out, out.length);
}

// Binary rows. max/min propagate NaN (Math.max/min do), like torch.maximum/minimum.
const binaryRows: { [P in BinaryPrim | ComparePrim]: BinaryRow } = {
  [Prim.Add]: (a, ia, sa, b, ib, sb, o, io, so, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb, io += so) o[io] = a[ia] + b[ib]; },
  [Prim.Sub]: (a, ia, sa, b, ib, sb, o, io, so, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb, io += so) o[io] = a[ia] - b[ib]; },
  [Prim.Mul]: (a, ia, sa, b, ib, sb, o, io, so, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb, io += so) o[io] = a[ia] * b[ib]; },
  [Prim.Div]: (a, ia, sa, b, ib, sb, o, io, so, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb, io += so) o[io] = a[ia] / b[ib]; },
  [Prim.Pow]: (a, ia, sa, b, ib, sb, o, io, so, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb, io += so) o[io] = Math.pow(a[ia], b[ib]); },
  [Prim.Max]: (a, ia, sa, b, ib, sb, o, io, so, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb, io += so) o[io] = Math.max(a[ia], b[ib]); },
  [Prim.Min]: (a, ia, sa, b, ib, sb, o, io, so, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb, io += so) o[io] = Math.min(a[ia], b[ib]); },
  // comparisons write bool as 1/0; any comparison with NaN is false except ne
  [Prim.Lt]: (a, ia, sa, b, ib, sb, o, io, so, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb, io += so) o[io] = a[ia] < b[ib] ? 1 : 0; },
  [Prim.Le]: (a, ia, sa, b, ib, sb, o, io, so, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb, io += so) o[io] = a[ia] <= b[ib] ? 1 : 0; },
  [Prim.Gt]: (a, ia, sa, b, ib, sb, o, io, so, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb, io += so) o[io] = a[ia] > b[ib] ? 1 : 0; },
  [Prim.Ge]: (a, ia, sa, b, ib, sb, o, io, so, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb, io += so) o[io] = a[ia] >= b[ib] ? 1 : 0; },
  [Prim.Eq]: (a, ia, sa, b, ib, sb, o, io, so, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb, io += so) o[io] = a[ia] === b[ib] ? 1 : 0; },
  [Prim.Ne]: (a, ia, sa, b, ib, sb, o, io, so, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb, io += so) o[io] = a[ia] !== b[ib] ? 1 : 0; },
};

/**
 * out = op(a, b) with NumPy broadcasting; `outShape` must be broadcastShapes(aShape, bShape).
 * Comparison ops write 1 (true) or 0 (false). `out` may alias an operand of the same shape.
 */
export function binary(
  op: BinaryPrim | ComparePrim,
  a: FloatArray, aShape: Shape,
  b: FloatArray, bShape: Shape,
  out: FloatArray, outShape: Shape,
): void {
  const row = binaryRows[op];
  const n = out.length;
  if (n === 0) return;
  const na = a.length;
  const nb = b.length;
  if (na === n && nb === n) return row(a, 0, 1, b, 0, 1, out, 0, 1, n); // same element count ⇒ same shape after broadcasting
  if (nb === 1 && na === n) return row(a, 0, 1, b, 0, 0, out, 0, 1, n);
  if (na === 1 && nb === n) return row(a, 0, 0, b, 0, 1, out, 0, 1, n);
  const c = coalesce(outShape, [stridesOf(outShape), broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]);
  const [so, sa, sb] = c.strides;
  const r = c.shape.length - 1;
  const io = so[r], ia = sa[r], ib = sb[r];
  forEachRun(c.shape, c.strides, (off, len) => row(a, off[1], ia, b, off[2], ib, out, off[0], io, len));
}

/** Elementwise binary op over same-shape operands (no broadcasting): out[i] = op(a[i], b[i]). */
export function binarySame(op: BinaryPrim | ComparePrim, a: FloatArray, b: FloatArray, out: FloatArray): void {
  binaryRows[op](a, 0, 1, b, 0, 1, out, 0, 1, out.length);
}

/**
 * out = cond ? a : b, all three broadcast to `outShape`. `cond` is bool (any non-zero is true,
 * NaN counts as true, like a C truthiness test on the stored float).
 */
export function where(
  cond: FloatArray, condShape: Shape,
  a: FloatArray, aShape: Shape,
  b: FloatArray, bShape: Shape,
  out: FloatArray, outShape: Shape,
): void {
  const n = out.length;
  if (n === 0) return;
  if (cond.length === n && a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? a[i] : b[i];
    return;
  }
  const c = coalesce(outShape, [stridesOf(outShape), broadcastStrides(condShape, outShape), broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]);
  const r = c.shape.length - 1;
  const so = c.strides[0][r], sc = c.strides[1][r], sa = c.strides[2][r], sb = c.strides[3][r];
  forEachRun(c.shape, c.strides, (off, len) => {
    let io = off[0], ic = off[1], ia = off[2], ib = off[3];
    for (let i = 0; i < len; i++, io += so, ic += sc, ia += sa, ib += sb) out[io] = cond[ic] !== 0 ? a[ia] : b[ib];
  });
}

/**
 * Converts `x` into `out` (same element count) for the target dtype:
 *  - → f32 : the value (Float32Array rounds to nearest even, an Int32Array source is exact below 2²⁴);
 *  - → i32 : truncated toward zero, then wrapped modulo 2³² (NaN → 0), like a C cast of an in-range value;
 *  - → bool: 1 where x ≠ 0 (NaN counts as true), else 0.
 */
export function cast(x: AnyArray, out: AnyArray, dtype: Dtype): void {
  const n = out.length;
  switch (dtype) {
    case 'f32':
      for (let i = 0; i < n; i++) out[i] = x[i];
      return;
    case 'i32':
      // Int32Array stores ToInt32(v), which truncates toward zero and wraps; for a float `out`
      // (not expected) apply the same conversion explicitly.
      for (let i = 0; i < n; i++) out[i] = x[i] | 0;
      return;
    case 'bool':
      for (let i = 0; i < n; i++) out[i] = x[i] !== 0 ? 1 : 0;
      return;
    default:
      dtype satisfies never;
  }
}

/** The broadcast result shape of an elementwise op (re-exported for callers sizing `out`). */
export function elementwiseShape(...shapes: Shape[]): number[] {
  let s: number[] = [];
  for (const sh of shapes) s = broadcastShapes(s, sh);
  return s;
}
