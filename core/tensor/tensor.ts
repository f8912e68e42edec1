/**
 * @file The lazy Tensor front end that layer `forward`s are written in. Every method appends IR
 * nodes to its trace scope's graph and returns a new Tensor; nothing executes here. Composites
 * (softmax, logSumExp, relu, mean, oneHot, stack, ...) are built from primitives, so they get
 * gradients and every backend for free.
 */
import { IrError } from '../ir/error';
import { sizeOf, type ValueId } from '../ir/graph';
import { Prim, type Dtype, type Pair, type PrimParams } from '../ir/prims';
import { convParams, poolParams, type ConvOptions, type PoolOptions } from './options';
import { currentScope, type TraceScope } from './scope';

export type { ConvOptions, PoolOptions } from './options';
export type TensorLike = Tensor | number;

function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new IrError(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

function normAxes(axes: number | number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = (typeof axes === 'number' ? [axes] : axes).map((a) => normAxis(a, rank));
  return [...new Set(list)].sort((a, b) => a - b);
}

export class Tensor {
  readonly scope: TraceScope;
  readonly id: ValueId;

  constructor(scope: TraceScope, id: ValueId) {
    this.scope = scope;
    this.id = id;
  }

  get shape(): readonly number[] {
    return this.scope.builder.info(this.id).shape;
  }
  get dtype(): Dtype {
    return this.scope.builder.info(this.id).dtype;
  }
  get rank(): number {
    return this.shape.length;
  }
  get size(): number {
    return sizeOf(this.shape);
  }

  /** Appends one primitive node with this scope's builder. */
  private op<P extends Prim>(prim: P, inputs: Tensor[], params: PrimParams[P]): Tensor {
    for (const t of inputs) if (t.scope !== this.scope) throw new IrError(`${prim}: tensors from different traces`);
    return new Tensor(this.scope, this.scope.builder.node(prim, inputs.map((t) => t.id), params));
  }

  /** A number becomes a scalar constant of `dtype` (default this tensor's dtype). */
  private lift(o: TensorLike, dtype: Dtype = this.dtype): Tensor {
    return typeof o === 'number' ? constantIn(this.scope, [o], [], dtype) : o;
  }

  private binary(prim: Prim.Add | Prim.Sub | Prim.Mul | Prim.Div | Prim.Pow | Prim.Max | Prim.Min, o: TensorLike): Tensor {
    return this.op(prim, [this, this.lift(o)], {});
  }
  private compare(prim: Prim.Lt | Prim.Le | Prim.Gt | Prim.Ge | Prim.Eq | Prim.Ne, o: TensorLike): Tensor {
    return this.op(prim, [this, this.lift(o)], {});
  }
  private unary(prim: Prim.Neg | Prim.Recip | Prim.Exp | Prim.Log | Prim.Sqrt | Prim.Abs | Prim.Sign
    | Prim.Tanh | Prim.Sigmoid | Prim.Erf | Prim.Sin | Prim.Cos): Tensor {
    return this.op(prim, [this], {});
  }

  add(o: TensorLike): Tensor { return this.binary(Prim.Add, o); }
  sub(o: TensorLike): Tensor { return this.binary(Prim.Sub, o); }
  mul(o: TensorLike): Tensor { return this.binary(Prim.Mul, o); }
  div(o: TensorLike): Tensor { return this.binary(Prim.Div, o); }
  pow(o: TensorLike): Tensor { return this.binary(Prim.Pow, o); }
  maximum(o: TensorLike): Tensor { return this.binary(Prim.Max, o); }
  minimum(o: TensorLike): Tensor { return this.binary(Prim.Min, o); }

  neg(): Tensor { return this.unary(Prim.Neg); }
  recip(): Tensor { return this.unary(Prim.Recip); }
  exp(): Tensor { return this.unary(Prim.Exp); }
  log(): Tensor { return this.unary(Prim.Log); }
  sqrt(): Tensor { return this.unary(Prim.Sqrt); }
  /** 1/sqrt(x) */
  rsqrt(): Tensor { return this.sqrt().recip(); }
  abs(): Tensor { return this.unary(Prim.Abs); }
  sign(): Tensor { return this.unary(Prim.Sign); }
  square(): Tensor { return this.mul(this); }
  tanh(): Tensor { return this.unary(Prim.Tanh); }
  sigmoid(): Tensor { return this.unary(Prim.Sigmoid); }
  erf(): Tensor { return this.unary(Prim.Erf); }
  sin(): Tensor { return this.unary(Prim.Sin); }
  cos(): Tensor { return this.unary(Prim.Cos); }
  /** Not maximum(x, 0): that passes half the gradient at x == 0; this passes none. */
  relu(): Tensor { return this.gt(0).where(this, 0); }

  lt(o: TensorLike): Tensor { return this.compare(Prim.Lt, o); }
  le(o: TensorLike): Tensor { return this.compare(Prim.Le, o); }
  gt(o: TensorLike): Tensor { return this.compare(Prim.Gt, o); }
  ge(o: TensorLike): Tensor { return this.compare(Prim.Ge, o); }
  eq(o: TensorLike): Tensor { return this.compare(Prim.Eq, o); }
  ne(o: TensorLike): Tensor { return this.compare(Prim.Ne, o); }

  /** `this` is the (bool) condition: this ? a : b, broadcast. */
  where(a: TensorLike, b: TensorLike): Tensor {
    const dtype = typeof a !== 'number' ? a.dtype : typeof b !== 'number' ? b.dtype : 'f32';
    return this.op(Prim.Where, [this, this.lift(a, dtype), this.lift(b, dtype)], {});
  }

  cast(dtype: Dtype): Tensor {
    return dtype === this.dtype ? this : this.op(Prim.Cast, [this], { dtype });
  }

  sum(axes?: number | number[], keepDims = false): Tensor {
    return this.op(Prim.Sum, [this], { axes: normAxes(axes, this.rank), keepDims });
  }
  mean(axes?: number | number[], keepDims = false): Tensor {
    const list = normAxes(axes, this.rank);
    const count = list.reduce((n, a) => n * this.shape[a], 1);
    return this.sum(list, keepDims).mul(1 / count);
  }
  /** Reduce max (the binary one is `maximum`). */
  max(axes?: number | number[], keepDims = false): Tensor {
    return this.op(Prim.ReduceMax, [this], { axes: normAxes(axes, this.rank), keepDims });
  }
  /** log(sum(exp(x))) = m + log(sum(exp(x - m))), m = max(x): no overflow. */
  logSumExp(axes?: number | number[], keepDims = false): Tensor {
    const list = normAxes(axes, this.rank);
    const m = this.max(list, true);
    const lse = this.sub(m).exp().sum(list, true).log().add(m);
    return keepDims ? lse : lse.reshape(this.shape.filter((_, i) => !list.includes(i)));
  }
  /** exp(x - max) / sum(exp(x - max)) */
  softmax(axis = -1): Tensor {
    const e = this.sub(this.max(axis, true)).exp();
    return e.div(e.sum(axis, true));
  }
  /** x - logSumExp(x) */
  logSoftmax(axis = -1): Tensor {
    return this.sub(this.logSumExp(axis, true));
  }

  /** Batched product of the last two dims (batch dims broadcast); rank-1 operands are promoted and squeezed. */
  matmul(o: Tensor, opts: { transA?: boolean; transB?: boolean } = {}): Tensor {
    const a = this.rank === 1 ? this.reshape([1, this.shape[0]]) : this;
    const b = o.rank === 1 ? o.reshape([o.shape[0], 1]) : o;
    let y = this.op(Prim.MatMul, [a, b], { transA: opts.transA ?? false, transB: opts.transB ?? false });
    if (this.rank === 1) y = y.reshape([...y.shape.slice(0, -2), y.shape[y.rank - 1]]);
    if (o.rank === 1) y = y.reshape(y.shape.slice(0, -1));
    return y;
  }

  /** One -1 allowed: inferred from the size. */
  reshape(shape: readonly number[]): Tensor {
    const known = shape.reduce((n, d) => (d === -1 ? n : n * d), 1);
    const holes = shape.filter((d) => d === -1).length;
    if (holes > 1) throw new IrError(`reshape: at most one -1 in [${shape.join(',')}]`);
    const full = shape.map((d) => (d === -1 ? (known === 0 ? 0 : this.size / known) : d));
    if (full.length === this.rank && full.every((d, i) => d === this.shape[i])) return this;
    return this.op(Prim.Reshape, [this], { shape: full });
  }
  /** Default: swap the last two dims. */
  transpose(perm?: readonly number[]): Tensor {
    const r = this.rank;
    const p = perm ? perm.map((a) => normAxis(a, r)) : Array.from({ length: r }, (_, i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i));
    if (p.every((a, i) => a === i)) return this;
    return this.op(Prim.Transpose, [this], { perm: p });
  }
  broadcastTo(shape: readonly number[]): Tensor {
    if (shape.length === this.rank && shape.every((d, i) => d === this.shape[i])) return this;
    return this.op(Prim.Broadcast, [this], { shape: [...shape] });
  }
  /** Collapses axes startAxis.. into one. */
  flatten(startAxis = 1): Tensor {
    const a = normAxis(startAxis, this.rank);
    return this.reshape([...this.shape.slice(0, a), -1]);
  }
  /** Python-style ranges (negative indices count from the end, clamped); missing trailing axes are kept whole. */
  slice(starts: readonly number[], ends: readonly number[], steps?: readonly number[]): Tensor {
    const s: number[] = [];
    const e: number[] = [];
    const st: number[] = [];
    this.shape.forEach((d, i) => {
      const step = steps?.[i] ?? 1;
      if (!Number.isInteger(step) || step < 1) throw new IrError(`slice: step ${step} must be a positive integer`);
      const norm = (v: number | undefined, dflt: number): number => {
        if (v === undefined) return dflt;
        return Math.min(d, Math.max(0, v < 0 ? v + d : v));
      };
      const start = norm(starts[i], 0);
      s.push(start);
      e.push(Math.max(start, norm(ends[i], d)));
      st.push(step);
    });
    return this.op(Prim.Slice, [this], { starts: s, ends: e, steps: st });
  }
  pad(pads: readonly Pair[], value = 0): Tensor {
    return this.op(Prim.Pad, [this], { pads: pads.map(([a, b]) => [a, b]), value });
  }
  /** out = x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:] */
  gather(indices: Tensor, axis = 0): Tensor {
    return this.op(Prim.Gather, [this, indices], { axis: normAxis(axis, this.rank) });
  }

  /** x [N, C, H, W], w [O, C/groups, kh, kw] */
  conv2d(w: Tensor, o: ConvOptions = {}): Tensor {
    return this.op(Prim.Conv2d, [this, w], convParams(o));
  }
  /** x [N, C, H, W], w [C, O/groups, kh, kw] (PyTorch): the input-gradient of a conv whose output is x. */
  convTranspose2d(w: Tensor, o: ConvOptions & { outputPadding?: Pair } = {}): Tensor {
    const p = convParams(o);
    const [n, , h, wd] = this.shape;
    if (this.rank !== 4 || w.rank !== 4) throw new IrError(`convTranspose2d: expects x [N,C,H,W] and w [C,O/groups,kh,kw]`);
    const [, og, kh, kw] = w.shape;
    const [oph, opw] = o.outputPadding ?? [0, 0];
    // H_out = (H - 1) * s - (pad_top + pad_bottom) + d * (k - 1) + 1 + outputPadding
    const ho = (h - 1) * p.stride[0] - p.padding[0] - p.padding[1] + p.dilation[0] * (kh - 1) + 1 + oph;
    const wo = (wd - 1) * p.stride[1] - p.padding[2] - p.padding[3] + p.dilation[1] * (kw - 1) + 1 + opw;
    return this.op(Prim.Conv2dBackwardInput, [this, w], { ...p, inputShape: [n, og * p.groups, ho, wo] });
  }
  maxPool2d(o: PoolOptions): Tensor {
    return this.op(Prim.MaxPool2d, [this], poolParams(o));
  }
  /** Divides by the full window (padding counted). */
  avgPool2d(o: PoolOptions): Tensor {
    return this.op(Prim.AvgPool2d, [this], poolParams(o));
  }
}

/** Builds a raw primitive node from tensors (used by autograd rules and tests). */
export function primOp<P extends Prim>(prim: P, inputs: Tensor[], params: PrimParams[P], scope: TraceScope = inputs[0]?.scope ?? currentScope()): Tensor {
  return new Tensor(scope, scope.builder.node(prim, inputs.map((t) => t.id), params));
}

function constantIn(scope: TraceScope, value: number[], shape: number[], dtype: Dtype): Tensor {
  return new Tensor(scope, scope.builder.node(Prim.Constant, [], { value, shape, dtype }));
}

/**
 * A constant. A number with a shape is a scalar broadcast to that shape (no big literal in the
 * graph); an array is flat row-major and needs `shape` unless it is 1-D.
 */
export function constant(value: number | readonly number[] | Float64Array | Float32Array, shape?: readonly number[], dtype: Dtype = 'f32'): Tensor {
  const scope = currentScope();
  if (typeof value === 'number') {
    const s = constantIn(scope, [value], [], dtype);
    return shape === undefined ? s : s.broadcastTo(shape);
  }
  const flat = Array.from(value);
  return constantIn(scope, flat, shape ? [...shape] : [flat.length], dtype);
}

export function zeros(shape: readonly number[], dtype: Dtype = 'f32'): Tensor {
  return constant(0, shape, dtype);
}
export function ones(shape: readonly number[], dtype: Dtype = 'f32'): Tensor {
  return constant(1, shape, dtype);
}
/** [0, 1, ..., n-1] as an f32 constant. */
export function iota(n: number, dtype: Dtype = 'f32'): Tensor {
  return constant(Array.from({ length: n }, (_, i) => i), [n], dtype);
}

export function concat(tensors: readonly Tensor[], axis: number): Tensor {
  if (tensors.length === 0) throw new IrError('concat: needs at least one tensor');
  if (tensors.length === 1) return tensors[0];
  return primOp(Prim.Concat, [...tensors], { axis: normAxis(axis, tensors[0].rank) });
}
/** Inserts a new axis and concatenates along it. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new IrError('stack: needs at least one tensor');
  const r = tensors[0].rank;
  const a = normAxis(axis, r + 1);
  return concat(tensors.map((t) => t.reshape([...t.shape.slice(0, a), 1, ...t.shape.slice(a)])), a);
}
/** indices (i32) [...] -> f32 [..., depth] with 1 where iota == index. */
export function oneHot(indices: Tensor, depth: number): Tensor {
  if (indices.dtype !== 'i32') throw new IrError(`oneHot: indices must be i32, got ${indices.dtype}`);
  // compare in f32: exact for class ids below 2^24
  return indices.cast('f32').reshape([...indices.shape, 1]).eq(iota(depth)).cast('f32');
}
/**
 * Uniform [0, 1) or standard normal, fresh each step (the counter is the `step` input). Pass a
 * `stream` (e.g. streamId(nodeId, 'dropout')) to keep the sequence fixed when other random nodes are
 * added to the graph; otherwise the tracer numbers the streams in trace order.
 */
export function random(dist: 'uniform' | 'normal', shape: readonly number[], stream?: number): Tensor {
  const scope = currentScope();
  const counter = new Tensor(scope, scope.step());
  return primOp(Prim.Random, [counter], { dist, shape: [...shape], stream: stream ?? scope.nextRandomStream() }, scope);
}
