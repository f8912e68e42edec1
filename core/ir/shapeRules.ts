/**
 * @file Shape and dtype inference, one rule per primitive (`{ [P in Prim]: ShapeRule<P> }`).
 * A rule validates its inputs and parameters and throws an `IrError` naming the prim and the
 * offending shapes; tracing is programmer-facing, user-facing diagnostics live in core/model.
 */
import { IrError } from './error';
import type { ValueInfo } from './graph';
import {
  Prim, type ConvParams, type Dtype, type PoolParams, type PrimParams, type ReduceParams,
  type UnaryPrim, type BinaryPrim, type ComparePrim,
} from './prims';

export type ShapeRule<P extends Prim> = (inputs: ValueInfo[], params: PrimParams[P]) => ValueInfo;

const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;

function fail(prim: Prim, message: string): never {
  throw new IrError(`${prim}: ${message}`);
}

/** NumPy broadcasting: align right, a 1 stretches to the other size. */
export function broadcastShapes(prim: Prim, ...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const e = s[s.length - rank + i] ?? 1;
      if (e === 1) continue;
      if (d !== 1 && d !== e) fail(prim, `shapes ${shapes.map(fmt).join(' and ')} do not broadcast`);
      d = e;
    }
    out.push(d);
  }
  return out;
}

function expectDtype(prim: Prim, what: string, got: Dtype, allowed: readonly Dtype[]): void {
  if (!allowed.includes(got)) fail(prim, `${what} must be ${allowed.join(' or ')}, got ${got}`);
}

const unary = <P extends UnaryPrim>(prim: P): ShapeRule<P> => ([x]) => {
  expectDtype(prim, 'input', x.dtype, ['f32']);
  return { shape: [...x.shape], dtype: x.dtype };
};

const binary = <P extends BinaryPrim>(prim: P): ShapeRule<P> => ([a, b]) => {
  expectDtype(prim, 'lhs', a.dtype, ['f32']);
  expectDtype(prim, 'rhs', b.dtype, ['f32']);
  return { shape: broadcastShapes(prim, a.shape, b.shape), dtype: a.dtype };
};

const compare = <P extends ComparePrim>(prim: P): ShapeRule<P> => ([a, b]) => {
  // i32 operands are cast to f32 first (exact below 2^24): kernels compare float storage only
  expectDtype(prim, 'lhs', a.dtype, ['f32']);
  expectDtype(prim, 'rhs', b.dtype, ['f32']);
  return { shape: broadcastShapes(prim, a.shape, b.shape), dtype: 'bool' };
};

function checkAxes(prim: Prim, axes: readonly number[], rank: number): void {
  axes.forEach((a, i) => {
    if (!Number.isInteger(a) || a < 0 || a >= rank) fail(prim, `axis ${a} out of range for rank ${rank}`);
    if (i > 0 && a <= axes[i - 1]) fail(prim, `axes ${fmt(axes)} must be sorted and unique`);
  });
}

const reduce = <P extends Prim.Sum | Prim.ReduceMax>(prim: P): ShapeRule<P> => ([x], p: ReduceParams) => {
  expectDtype(prim, 'input', x.dtype, ['f32']);
  checkAxes(prim, p.axes, x.shape.length);
  const shape: number[] = [];
  x.shape.forEach((d, i) => {
    if (!p.axes.includes(i)) shape.push(d);
    else if (p.keepDims) shape.push(1);
  });
  return { shape, dtype: x.dtype };
};

/** Output size of a sliding window: floor((n + pads - dilation*(k-1) - 1) / stride) + 1. */
export function windowOut(n: number, k: number, stride: number, padBefore: number, padAfter: number, dilation = 1): number {
  return Math.floor((n + padBefore + padAfter - dilation * (k - 1) - 1) / stride) + 1;
}

function checkConv(prim: Prim, p: ConvParams): void {
  const ok = p.stride.every((s) => Number.isInteger(s) && s >= 1)
    && p.dilation.every((d) => Number.isInteger(d) && d >= 1)
    && p.padding.every((q) => Number.isInteger(q) && q >= 0)
    && Number.isInteger(p.groups) && p.groups >= 1;
  if (!ok) fail(prim, `bad params ${JSON.stringify(p)} (stride, dilation, groups >= 1; padding >= 0)`);
}

/** Conv2d output shape for x [N, C, H, W] and w [O, C/groups, kh, kw]. */
export function convOutShape(prim: Prim, x: readonly number[], w: readonly number[], p: ConvParams): number[] {
  checkConv(prim, p);
  if (x.length !== 4 || w.length !== 4) fail(prim, `expects x [N,C,H,W] and w [O,C/groups,kh,kw], got ${fmt(x)} and ${fmt(w)}`);
  const [n, c, h, wd] = x;
  const [o, cg, kh, kw] = w;
  if (c % p.groups !== 0 || o % p.groups !== 0) fail(prim, `channels ${c} -> ${o} not divisible by groups ${p.groups}`);
  if (cg * p.groups !== c) fail(prim, `input has ${c} channels but weight ${fmt(w)} expects ${cg * p.groups}`);
  const ho = windowOut(h, kh, p.stride[0], p.padding[0], p.padding[1], p.dilation[0]);
  const wo = windowOut(wd, kw, p.stride[1], p.padding[2], p.padding[3], p.dilation[1]);
  if (ho < 1 || wo < 1) fail(prim, `kernel ${kh}x${kw} does not fit input ${fmt(x)} with the given padding/dilation`);
  return [n, o, ho, wo];
}

export function poolOutShape(prim: Prim, x: readonly number[], p: PoolParams): number[] {
  if (x.length !== 4) fail(prim, `expects x [N,C,H,W], got ${fmt(x)}`);
  if (!p.kernel.every((k) => k >= 1) || !p.stride.every((s) => s >= 1) || !p.padding.every((q) => q >= 0)) {
    fail(prim, `bad params ${JSON.stringify(p)}`);
  }
  if (p.padding[0] >= p.kernel[0] || p.padding[1] >= p.kernel[0] || p.padding[2] >= p.kernel[1] || p.padding[3] >= p.kernel[1]) {
    fail(prim, `padding ${fmt(p.padding)} must be smaller than the kernel ${fmt(p.kernel)}`);
  }
  const [n, c, h, w] = x;
  const ho = windowOut(h, p.kernel[0], p.stride[0], p.padding[0], p.padding[1]);
  const wo = windowOut(w, p.kernel[1], p.stride[1], p.padding[2], p.padding[3]);
  if (ho < 1 || wo < 1) fail(prim, `kernel ${fmt(p.kernel)} does not fit input ${fmt(x)}`);
  return [n, c, ho, wo];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function size(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

export const shapeRules: { [P in Prim]: ShapeRule<P> } = {
  [Prim.Neg]: unary(Prim.Neg),
  [Prim.Recip]: unary(Prim.Recip),
  [Prim.Exp]: unary(Prim.Exp),
  [Prim.Log]: unary(Prim.Log),
  [Prim.Sqrt]: unary(Prim.Sqrt),
  [Prim.Abs]: unary(Prim.Abs),
  [Prim.Sign]: unary(Prim.Sign),
  [Prim.Tanh]: unary(Prim.Tanh),
  [Prim.Sigmoid]: unary(Prim.Sigmoid),
  [Prim.Erf]: unary(Prim.Erf),
  [Prim.Sin]: unary(Prim.Sin),
  [Prim.Cos]: unary(Prim.Cos),
  [Prim.Add]: binary(Prim.Add),
  [Prim.Sub]: binary(Prim.Sub),
  [Prim.Mul]: binary(Prim.Mul),
  [Prim.Div]: binary(Prim.Div),
  [Prim.Pow]: binary(Prim.Pow),
  [Prim.Max]: binary(Prim.Max),
  [Prim.Min]: binary(Prim.Min),
  [Prim.Lt]: compare(Prim.Lt),
  [Prim.Le]: compare(Prim.Le),
  [Prim.Gt]: compare(Prim.Gt),
  [Prim.Ge]: compare(Prim.Ge),
  [Prim.Eq]: compare(Prim.Eq),
  [Prim.Ne]: compare(Prim.Ne),
  [Prim.Where]: ([c, a, b]) => {
    expectDtype(Prim.Where, 'condition', c.dtype, ['bool']);
    expectDtype(Prim.Where, 'first branch', a.dtype, ['f32']);
    expectDtype(Prim.Where, 'second branch', b.dtype, ['f32']);
    return { shape: broadcastShapes(Prim.Where, c.shape, a.shape, b.shape), dtype: a.dtype };
  },
  [Prim.Cast]: ([x], p) => ({ shape: [...x.shape], dtype: p.dtype }),
  [Prim.Sum]: reduce(Prim.Sum),
  [Prim.ReduceMax]: reduce(Prim.ReduceMax),
  [Prim.MatMul]: ([a, b], p) => {
    expectDtype(Prim.MatMul, 'lhs', a.dtype, ['f32']);
    expectDtype(Prim.MatMul, 'rhs', b.dtype, ['f32']);
    if (a.shape.length < 2 || b.shape.length < 2) fail(Prim.MatMul, `operands must have rank >= 2, got ${fmt(a.shape)} and ${fmt(b.shape)}`);
    const [ar, ac] = a.shape.slice(-2);
    const [br, bc] = b.shape.slice(-2);
    const [m, k] = p.transA ? [ac, ar] : [ar, ac];
    const [k2, n] = p.transB ? [bc, br] : [br, bc];
    if (k !== k2) fail(Prim.MatMul, `inner dimensions differ: ${fmt(a.shape)}${p.transA ? 'ᵀ' : ''} x ${fmt(b.shape)}${p.transB ? 'ᵀ' : ''}`);
    const batch = broadcastShapes(Prim.MatMul, a.shape.slice(0, -2), b.shape.slice(0, -2));
    return { shape: [...batch, m, n], dtype: 'f32' };
  },
  [Prim.Reshape]: ([x], p) => {
    if (p.shape.some((d) => !Number.isInteger(d) || d < 0) || size(p.shape) !== size(x.shape)) {
      fail(Prim.Reshape, `cannot reshape ${fmt(x.shape)} to ${fmt(p.shape)}`);
    }
    return { shape: [...p.shape], dtype: x.dtype };
  },
  [Prim.Transpose]: ([x], p) => {
    const r = x.shape.length;
    const ok = p.perm.length === r && [...p.perm].sort((u, v) => u - v).every((a, i) => a === i);
    if (!ok) fail(Prim.Transpose, `perm ${fmt(p.perm)} is not a permutation of rank ${r}`);
    return { shape: p.perm.map((a) => x.shape[a]), dtype: x.dtype };
  },
  [Prim.Broadcast]: ([x], p) => {
    const out = p.shape;
    const off = out.length - x.shape.length;
    const ok = off >= 0 && x.shape.every((d, i) => d === 1 || d === out[off + i]);
    if (!ok) fail(Prim.Broadcast, `cannot broadcast ${fmt(x.shape)} to ${fmt(out)}`);
    return { shape: [...out], dtype: x.dtype };
  },
  [Prim.Slice]: ([x], p) => {
    const r = x.shape.length;
    if (p.starts.length !== r || p.ends.length !== r || p.steps.length !== r) fail(Prim.Slice, `needs one start/end/step per axis of ${fmt(x.shape)}`);
    const shape = x.shape.map((d, i) => {
      const [s, e, st] = [p.starts[i], p.ends[i], p.steps[i]];
      if (!(st >= 1 && s >= 0 && s <= e && e <= d)) fail(Prim.Slice, `axis ${i}: [${s}:${e}:${st}] is not a normalised range of ${d}`);
      return Math.ceil((e - s) / st);
    });
    return { shape, dtype: x.dtype };
  },
  [Prim.Concat]: (xs, p) => {
    const first = xs[0];
    const r = first.shape.length;
    if (!Number.isInteger(p.axis) || p.axis < 0 || p.axis >= r) fail(Prim.Concat, `axis ${p.axis} out of range for rank ${r}`);
    let total = 0;
    for (const x of xs) {
      const ok = x.dtype === first.dtype && x.shape.length === r && x.shape.every((d, i) => i === p.axis || d === first.shape[i]);
      if (!ok) fail(Prim.Concat, `inputs ${xs.map((v) => `${v.dtype}${fmt(v.shape)}`).join(', ')} differ outside axis ${p.axis}`);
      total += x.shape[p.axis];
    }
    const shape = [...first.shape];
    shape[p.axis] = total;
    return { shape, dtype: first.dtype };
  },
  [Prim.Pad]: ([x], p) => {
    if (p.pads.length !== x.shape.length || p.pads.some(([a, b]) => a < 0 || b < 0)) {
      fail(Prim.Pad, `needs one non-negative [before, after] per axis of ${fmt(x.shape)}, got ${JSON.stringify(p.pads)}`);
    }
    return { shape: x.shape.map((d, i) => d + p.pads[i][0] + p.pads[i][1]), dtype: x.dtype };
  },
  [Prim.Gather]: ([x, idx], p) => {
    expectDtype(Prim.Gather, 'indices', idx.dtype, ['i32']);
    if (!Number.isInteger(p.axis) || p.axis < 0 || p.axis >= x.shape.length) fail(Prim.Gather, `axis ${p.axis} out of range for ${fmt(x.shape)}`);
    return { shape: [...x.shape.slice(0, p.axis), ...idx.shape, ...x.shape.slice(p.axis + 1)], dtype: x.dtype };
  },
  [Prim.ScatterAdd]: ([upd, idx], p) => {
    expectDtype(Prim.ScatterAdd, 'indices', idx.dtype, ['i32']);
    expectDtype(Prim.ScatterAdd, 'updates', upd.dtype, ['f32']);
    if (!Number.isInteger(p.axis) || p.axis < 0 || p.axis >= p.shape.length) fail(Prim.ScatterAdd, `axis ${p.axis} out of range for ${fmt(p.shape)}`);
    const expected = [...p.shape.slice(0, p.axis), ...idx.shape, ...p.shape.slice(p.axis + 1)];
    if (!sameShape(expected, upd.shape)) fail(Prim.ScatterAdd, `updates ${fmt(upd.shape)} should be ${fmt(expected)}`);
    return { shape: [...p.shape], dtype: upd.dtype };
  },
  [Prim.Conv2d]: ([x, w], p) => {
    expectDtype(Prim.Conv2d, 'input', x.dtype, ['f32']);
    return { shape: convOutShape(Prim.Conv2d, x.shape, w.shape, p), dtype: 'f32' };
  },
  [Prim.Conv2dBackwardInput]: ([dy, w], p) => {
    const y = convOutShape(Prim.Conv2dBackwardInput, p.inputShape, w.shape, p);
    if (!sameShape(y, dy.shape)) fail(Prim.Conv2dBackwardInput, `dy ${fmt(dy.shape)} is not the conv output ${fmt(y)} of input ${fmt(p.inputShape)}`);
    return { shape: [...p.inputShape], dtype: 'f32' };
  },
  [Prim.Conv2dBackwardWeight]: ([x, dy], p) => {
    const y = convOutShape(Prim.Conv2dBackwardWeight, x.shape, p.weightShape, p);
    if (!sameShape(y, dy.shape)) fail(Prim.Conv2dBackwardWeight, `dy ${fmt(dy.shape)} is not the conv output ${fmt(y)}`);
    return { shape: [...p.weightShape], dtype: 'f32' };
  },
  [Prim.MaxPool2d]: ([x], p) => ({ shape: poolOutShape(Prim.MaxPool2d, x.shape, p), dtype: x.dtype }),
  [Prim.AvgPool2d]: ([x], p) => ({ shape: poolOutShape(Prim.AvgPool2d, x.shape, p), dtype: x.dtype }),
  [Prim.MaxPool2dBackward]: ([x, dy], p) => {
    if (!sameShape(x.shape, p.inputShape)) fail(Prim.MaxPool2dBackward, `x ${fmt(x.shape)} differs from inputShape ${fmt(p.inputShape)}`);
    const y = poolOutShape(Prim.MaxPool2dBackward, x.shape, p);
    if (!sameShape(y, dy.shape)) fail(Prim.MaxPool2dBackward, `dy ${fmt(dy.shape)} is not the pool output ${fmt(y)}`);
    return { shape: [...x.shape], dtype: x.dtype };
  },
  [Prim.AvgPool2dBackward]: ([dy], p) => {
    const y = poolOutShape(Prim.AvgPool2dBackward, p.inputShape, p);
    if (!sameShape(y, dy.shape)) fail(Prim.AvgPool2dBackward, `dy ${fmt(dy.shape)} is not the pool output ${fmt(y)}`);
    return { shape: [...p.inputShape], dtype: dy.dtype };
  },
  [Prim.Random]: ([counter], p) => {
    if (counter.dtype !== 'i32' || counter.shape.length !== 0) fail(Prim.Random, `counter must be a scalar i32, got ${counter.dtype}${fmt(counter.shape)}`);
    return { shape: [...p.shape], dtype: 'f32' };
  },
  [Prim.Constant]: (_, p) => {
    if (p.value.length !== size(p.shape)) fail(Prim.Constant, `${p.value.length} values do not fill shape ${fmt(p.shape)}`);
    return { shape: [...p.shape], dtype: p.dtype };
  },
};
