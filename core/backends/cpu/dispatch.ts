/**
 * @file The CPU kernel table: one entry per primitive (`{ [P in Prim]: CpuKernel<P> }`), each
 * adapting a plan `run` step (kernel params + typed-array views) to the kernel library in
 * `./kernels`. No math here: the library owns the loops.
 */
import { Prim, type ReducePrim } from '../../ir/prims';
import type { PrimKernel } from '../../compile/plan';
import * as K from './kernels';
import type { AnyArray, FloatArray } from './kernels';

export interface KernelContext {
  /** Philox seed of the run */
  seed: number;
}

export type CpuKernel<P extends Prim> = (k: PrimKernel<P>, x: AnyArray[], out: AnyArray, ctx: KernelContext) => void;

function float(a: AnyArray): FloatArray {
  if (a instanceof Int32Array) throw new Error('cpu: float kernel given int storage');
  return a;
}

const unary = (k: PrimKernel<Prim.Neg | Prim.Recip | Prim.Exp | Prim.Log | Prim.Sqrt | Prim.Abs | Prim.Sign
  | Prim.Tanh | Prim.Sigmoid | Prim.Erf | Prim.Sin | Prim.Cos>, [x]: AnyArray[], out: AnyArray): void =>
  K.unary(k.prim, float(x), float(out));

const binary = (k: PrimKernel<Prim.Add | Prim.Sub | Prim.Mul | Prim.Div | Prim.Pow | Prim.Max | Prim.Min
  | Prim.Lt | Prim.Le | Prim.Gt | Prim.Ge | Prim.Eq | Prim.Ne>, [a, b]: AnyArray[], out: AnyArray): void =>
  K.binary(k.prim, float(a), k.inputs[0].shape, float(b), k.inputs[1].shape, float(out), k.output.shape);

const reduce = (k: PrimKernel<ReducePrim>, [x]: AnyArray[], out: AnyArray): void =>
  K.reduce(k.prim, float(x), k.inputs[0].shape, k.params.axes, float(out));

export const cpuKernels: { [P in Prim]: CpuKernel<P> } = {
  [Prim.Neg]: unary,
  [Prim.Recip]: unary,
  [Prim.Exp]: unary,
  [Prim.Log]: unary,
  [Prim.Sqrt]: unary,
  [Prim.Abs]: unary,
  [Prim.Sign]: unary,
  [Prim.Tanh]: unary,
  [Prim.Sigmoid]: unary,
  [Prim.Erf]: unary,
  [Prim.Sin]: unary,
  [Prim.Cos]: unary,
  [Prim.Add]: binary,
  [Prim.Sub]: binary,
  [Prim.Mul]: binary,
  [Prim.Div]: binary,
  [Prim.Pow]: binary,
  [Prim.Max]: binary,
  [Prim.Min]: binary,
  [Prim.Lt]: binary,
  [Prim.Le]: binary,
  [Prim.Gt]: binary,
  [Prim.Ge]: binary,
  [Prim.Eq]: binary,
  [Prim.Ne]: binary,
  [Prim.Where]: (k, [c, a, b], out) => K.where(
    float(c), k.inputs[0].shape, float(a), k.inputs[1].shape, float(b), k.inputs[2].shape, float(out), k.output.shape),
  [Prim.Cast]: (k, [x], out) => K.cast(x, out, k.params.dtype),
  [Prim.Sum]: reduce,
  [Prim.ReduceMax]: reduce,
  [Prim.MatMul]: (k, [a, b], out) => K.matmul(
    float(a), k.inputs[0].shape, k.params.transA, float(b), k.inputs[1].shape, k.params.transB, float(out)),
  // storage is row-major and unchanged by a reshape; in place it is a no-op
  [Prim.Reshape]: (_, [x], out) => {
    if (x.buffer !== out.buffer || x.byteOffset !== out.byteOffset) out.set(x);
  },
  [Prim.Transpose]: (k, [x], out) => K.transpose(x, k.inputs[0].shape, k.params.perm, out),
  [Prim.Broadcast]: (k, [x], out) => K.broadcast(x, k.inputs[0].shape, k.output.shape, out),
  [Prim.Slice]: (k, [x], out) => K.slice(x, k.inputs[0].shape, k.params.starts, k.params.ends, k.params.steps, out),
  [Prim.Concat]: (k, xs, out) => K.concat(xs, k.inputs.map((i) => i.shape), k.params.axis, out),
  [Prim.Pad]: (k, [x], out) => K.pad(x, k.inputs[0].shape, k.params.pads, k.params.value, out),
  [Prim.Gather]: (k, [x, idx], out) => K.gather(x, k.inputs[0].shape, idx, k.params.axis, out),
  [Prim.ScatterAdd]: (k, [u, idx], out) => K.scatterAdd(float(u), idx, k.params.axis, k.params.shape, float(out)),
  [Prim.Conv2d]: (k, [x, w], out) => K.conv2d(float(x), k.inputs[0].shape, float(w), k.inputs[1].shape, k.params, float(out)),
  [Prim.Conv2dBackwardInput]: (k, [dy, w], out) =>
    K.conv2dBackwardInput(float(dy), float(w), k.inputs[1].shape, k.params, k.params.inputShape, float(out)),
  [Prim.Conv2dBackwardWeight]: (k, [x, dy], out) =>
    K.conv2dBackwardWeight(float(x), k.inputs[0].shape, float(dy), k.params, k.params.weightShape, float(out)),
  [Prim.MaxPool2d]: (k, [x], out) => K.maxPool2d(float(x), k.inputs[0].shape, k.params, float(out)),
  [Prim.AvgPool2d]: (k, [x], out) => K.avgPool2d(float(x), k.inputs[0].shape, k.params, float(out)),
  [Prim.MaxPool2dBackward]: (k, [x, dy], out) => K.maxPool2dBackward(float(x), k.inputs[0].shape, float(dy), k.params, float(out)),
  [Prim.AvgPool2dBackward]: (k, [dy], out) => K.avgPool2dBackward(float(dy), k.params, k.params.inputShape, float(out)),
  [Prim.Random]: (k, [counter], out, ctx) => K.random(k.params.dist, ctx.seed, k.params.stream, counter[0], float(out)),
  [Prim.Constant]: (k, _, out) => K.constant(k.params.value, k.params.dtype, out),
};
