/**
 * @file The primitive set of the IR: every traced computation is a graph of these, and every
 * per-primitive table (shape rules, gradient rules, backend kernels) is keyed by `Prim`.
 * String values are stable: they appear in printed graphs, plans and snapshots.
 */

export enum Prim {
  // unary elementwise
  Neg = 'neg',
  Recip = 'recip',
  Exp = 'exp',
  Log = 'log',
  Sqrt = 'sqrt',
  Abs = 'abs',
  Sign = 'sign',
  Tanh = 'tanh',
  Sigmoid = 'sigmoid',
  Erf = 'erf',
  Sin = 'sin',
  Cos = 'cos',
  // binary elementwise, NumPy broadcasting
  Add = 'add',
  Sub = 'sub',
  Mul = 'mul',
  Div = 'div',
  Pow = 'pow',
  Max = 'max',
  Min = 'min',
  // comparisons, broadcast, result dtype bool (0/1)
  Lt = 'lt',
  Le = 'le',
  Gt = 'gt',
  Ge = 'ge',
  Eq = 'eq',
  Ne = 'ne',
  // where(cond, a, b), broadcast over all three
  Where = 'where',
  Cast = 'cast',
  // reductions
  Sum = 'sum',
  ReduceMax = 'reduceMax',
  // batched matrix product, batch dims broadcast
  MatMul = 'matmul',
  // movement
  Reshape = 'reshape',
  Transpose = 'transpose',
  Broadcast = 'broadcast',
  Slice = 'slice',
  Concat = 'concat',
  Pad = 'pad',
  // indexing
  Gather = 'gather',
  ScatterAdd = 'scatterAdd',
  // convolution (NCHW, weight [outC, inC/groups, kh, kw])
  Conv2d = 'conv2d',
  Conv2dBackwardInput = 'conv2dBackwardInput',
  Conv2dBackwardWeight = 'conv2dBackwardWeight',
  // pooling (NCHW)
  MaxPool2d = 'maxPool2d',
  AvgPool2d = 'avgPool2d',
  MaxPool2dBackward = 'maxPool2dBackward',
  AvgPool2dBackward = 'avgPool2dBackward',
  // sources
  Random = 'random',
  Constant = 'constant',
}

/** Every primitive, in declaration order (tests iterate this so a new prim without a case fails). */
export const ALL_PRIMS: readonly Prim[] = Object.values(Prim);

export type Dtype = 'f32' | 'i32' | 'bool';

export type Pair = [number, number];
/** [top, bottom, left, right] */
export type Pads4 = [number, number, number, number];

export interface ConvParams {
  stride: Pair;
  padding: Pads4;
  dilation: Pair;
  groups: number;
}

export interface PoolParams {
  kernel: Pair;
  stride: Pair;
  padding: Pads4;
}

export interface ReduceParams {
  axes: number[];
  keepDims: boolean;
}

/** No parameters. */
export type NoParams = Record<string, never>;

export type UnaryPrim =
  | Prim.Neg | Prim.Recip | Prim.Exp | Prim.Log | Prim.Sqrt | Prim.Abs | Prim.Sign
  | Prim.Tanh | Prim.Sigmoid | Prim.Erf | Prim.Sin | Prim.Cos;
export type BinaryPrim = Prim.Add | Prim.Sub | Prim.Mul | Prim.Div | Prim.Pow | Prim.Max | Prim.Min;
export type ComparePrim = Prim.Lt | Prim.Le | Prim.Gt | Prim.Ge | Prim.Eq | Prim.Ne;
export type ReducePrim = Prim.Sum | Prim.ReduceMax;

export const UNARY_PRIMS: readonly UnaryPrim[] = [
  Prim.Neg, Prim.Recip, Prim.Exp, Prim.Log, Prim.Sqrt, Prim.Abs, Prim.Sign,
  Prim.Tanh, Prim.Sigmoid, Prim.Erf, Prim.Sin, Prim.Cos,
];
export const BINARY_PRIMS: readonly BinaryPrim[] = [Prim.Add, Prim.Sub, Prim.Mul, Prim.Div, Prim.Pow, Prim.Max, Prim.Min];
export const COMPARE_PRIMS: readonly ComparePrim[] = [Prim.Lt, Prim.Le, Prim.Gt, Prim.Ge, Prim.Eq, Prim.Ne];

export function isUnary(p: Prim): p is UnaryPrim {
  return (UNARY_PRIMS as readonly Prim[]).includes(p);
}
export function isBinary(p: Prim): p is BinaryPrim {
  return (BINARY_PRIMS as readonly Prim[]).includes(p);
}
export function isCompare(p: Prim): p is ComparePrim {
  return (COMPARE_PRIMS as readonly Prim[]).includes(p);
}
/** Elementwise prims: candidates for fusion into one loop. */
export function isElementwise(p: Prim): boolean {
  return isUnary(p) || isBinary(p) || isCompare(p) || p === Prim.Where || p === Prim.Cast;
}

type ParamsOf<Ps extends Prim, T> = { [P in Ps]: T };

/** Parameters of each primitive. Shapes are concrete. */
export type PrimParams = ParamsOf<UnaryPrim | BinaryPrim | ComparePrim | Prim.Where, NoParams> & {
  [Prim.Cast]: { dtype: Dtype };
  [Prim.Sum]: ReduceParams;
  [Prim.ReduceMax]: ReduceParams;
  /** transA/transB transpose the last two dims of a/b. */
  [Prim.MatMul]: { transA: boolean; transB: boolean };
  [Prim.Reshape]: { shape: number[] };
  [Prim.Transpose]: { perm: number[] };
  [Prim.Broadcast]: { shape: number[] };
  /** Per axis, half-open [start, end) with positive step; indices already normalised (no negatives). */
  [Prim.Slice]: { starts: number[]; ends: number[]; steps: number[] };
  [Prim.Concat]: { axis: number };
  /** [before, after] per axis, non-negative. */
  [Prim.Pad]: { pads: Pair[]; value: number };
  /** out = x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:] */
  [Prim.Gather]: { axis: number };
  /** Adjoint of gather: zeros of `shape`, updates added at indices along axis. */
  [Prim.ScatterAdd]: { axis: number; shape: number[] };
  [Prim.Conv2d]: ConvParams;
  [Prim.Conv2dBackwardInput]: ConvParams & { inputShape: number[] };
  [Prim.Conv2dBackwardWeight]: ConvParams & { weightShape: number[] };
  [Prim.MaxPool2d]: PoolParams;
  [Prim.AvgPool2d]: PoolParams;
  [Prim.MaxPool2dBackward]: PoolParams & { inputShape: number[] };
  /** Divides by the full window, padding counted (count_include_pad). */
  [Prim.AvgPool2dBackward]: PoolParams & { inputShape: number[] };
  /** Element i = Philox(seed, stream, counter, i); counter is the scalar i32 input. */
  [Prim.Random]: { dist: 'uniform' | 'normal'; shape: number[]; stream: number };
  /** Flat row-major values. */
  [Prim.Constant]: { value: number[]; shape: number[]; dtype: Dtype };
};

/** Number of inputs per prim; -1 = variadic (at least one). */
export const PRIM_ARITY: { [P in Prim]: number } = {
  [Prim.Neg]: 1, [Prim.Recip]: 1, [Prim.Exp]: 1, [Prim.Log]: 1, [Prim.Sqrt]: 1, [Prim.Abs]: 1,
  [Prim.Sign]: 1, [Prim.Tanh]: 1, [Prim.Sigmoid]: 1, [Prim.Erf]: 1, [Prim.Sin]: 1, [Prim.Cos]: 1,
  [Prim.Add]: 2, [Prim.Sub]: 2, [Prim.Mul]: 2, [Prim.Div]: 2, [Prim.Pow]: 2, [Prim.Max]: 2, [Prim.Min]: 2,
  [Prim.Lt]: 2, [Prim.Le]: 2, [Prim.Gt]: 2, [Prim.Ge]: 2, [Prim.Eq]: 2, [Prim.Ne]: 2,
  [Prim.Where]: 3, [Prim.Cast]: 1, [Prim.Sum]: 1, [Prim.ReduceMax]: 1, [Prim.MatMul]: 2,
  [Prim.Reshape]: 1, [Prim.Transpose]: 1, [Prim.Broadcast]: 1, [Prim.Slice]: 1, [Prim.Concat]: -1, [Prim.Pad]: 1,
  [Prim.Gather]: 2, [Prim.ScatterAdd]: 2,
  [Prim.Conv2d]: 2, [Prim.Conv2dBackwardInput]: 2, [Prim.Conv2dBackwardWeight]: 2,
  [Prim.MaxPool2d]: 1, [Prim.AvgPool2d]: 1, [Prim.MaxPool2dBackward]: 2, [Prim.AvgPool2dBackward]: 1,
  [Prim.Random]: 1, [Prim.Constant]: 0,
};
