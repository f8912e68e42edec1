/**
 * @file Plan kernel → GPU work, one entry per primitive (`{ [P in Prim]: … }`, so a new primitive
 * without a GPU lowering is a type error). A kernel becomes dispatches of generated programs, a
 * buffer copy (reshape, constant) or nothing (a reshape that runs in place).
 */
import type { PrimKernel } from '../../compile/plan';
import { Prim } from '../../ir/prims';
import { binaryProgram, castProgram, unaryProgram, whereProgram } from './kernels/elementwise';
import { conv2dBackwardInputProgram, conv2dBackwardWeightProgram, conv2dProgram, matmulProgram } from './kernels/gemm';
import { gatherProgram, scatterAddProgram } from './kernels/indexing';
import { affineProgram } from './kernels/movement';
import { avgPoolBackwardProgram, avgPoolProgram, maxPoolBackwardProgram, maxPoolProgram } from './kernels/pool';
import { randomProgram } from './kernels/random';
import { reduceProgram } from './kernels/reduce';
import { type GpuProgram, type StepIo, sizeOfShape, strides } from './program';

export type GpuWork =
  | { kind: 'dispatch'; program: GpuProgram }
  /** copy `size` elements of input 0 into the output */
  | { kind: 'copy'; size: number }
  /** fill the output from a constant uploaded at prepare */
  | { kind: 'constant'; values: number[] };

export interface LowerContext {
  /** Philox seed of the run */
  seed: number;
  /** the device's maxComputeInvocationsPerWorkgroup (GEMM tile choice; default 256) */
  maxInvocations?: number;
}

type Lowering<P extends Prim> = (k: PrimKernel<P>, io: StepIo, ctx: LowerContext) => GpuWork[];

const run = (program: GpuProgram): GpuWork[] => [{ kind: 'dispatch', program }];
const shapeOf = (k: { inputs: { shape: number[] }[] }, i: number): number[] => k.inputs[i].shape;

const unary: Lowering<Prim.Neg | Prim.Recip | Prim.Exp | Prim.Log | Prim.Sqrt | Prim.Abs | Prim.Sign | Prim.Tanh | Prim.Sigmoid | Prim.Erf | Prim.Sin | Prim.Cos> =
  (k, io) => run(unaryProgram(k.prim, io, k.output.shape));
const binary: Lowering<Prim.Add | Prim.Sub | Prim.Mul | Prim.Div | Prim.Pow | Prim.Max | Prim.Min | Prim.Lt | Prim.Le | Prim.Gt | Prim.Ge | Prim.Eq | Prim.Ne> =
  (k, io) => run(binaryProgram(k.prim, io, shapeOf(k, 0), shapeOf(k, 1), k.output.shape));
const reduce: Lowering<Prim.Sum | Prim.ReduceMax> = (k, io) => run(reduceProgram(k.prim, io, shapeOf(k, 0), k.params.axes));

/** Strides of `shape` read as broadcast to `out` (0 on stretched or missing axes). */
function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const own = strides(shape);
  const lead = out.length - shape.length;
  return out.map((_, d) => (d < lead || shape[d - lead] === 1 ? 0 : own[d - lead]));
}

export const gpuLowerings: { [P in Prim]: Lowering<P> } = {
  [Prim.Neg]: unary, [Prim.Recip]: unary, [Prim.Exp]: unary, [Prim.Log]: unary, [Prim.Sqrt]: unary, [Prim.Abs]: unary,
  [Prim.Sign]: unary, [Prim.Tanh]: unary, [Prim.Sigmoid]: unary, [Prim.Erf]: unary, [Prim.Sin]: unary, [Prim.Cos]: unary,
  [Prim.Add]: binary, [Prim.Sub]: binary, [Prim.Mul]: binary, [Prim.Div]: binary, [Prim.Pow]: binary, [Prim.Max]: binary, [Prim.Min]: binary,
  [Prim.Lt]: binary, [Prim.Le]: binary, [Prim.Gt]: binary, [Prim.Ge]: binary, [Prim.Eq]: binary, [Prim.Ne]: binary,
  [Prim.Where]: (k, io) => run(whereProgram(io, shapeOf(k, 0), shapeOf(k, 1), shapeOf(k, 2), k.output.shape)),
  [Prim.Cast]: (k, io) => run(castProgram(io, k.params.dtype, k.output.shape)),
  [Prim.Sum]: reduce,
  [Prim.ReduceMax]: reduce,
  [Prim.MatMul]: (k, io, ctx) => run(matmulProgram(io, shapeOf(k, 0), k.params.transA, shapeOf(k, 1), k.params.transB, k.output.shape, ctx.maxInvocations)),
  // row-major storage is unchanged by a reshape: in place it is nothing, else a copy
  [Prim.Reshape]: (k, io) => (io.inputs[0].buffer === io.output.buffer ? [] : [{ kind: 'copy', size: sizeOfShape(k.output.shape) }]),
  [Prim.Transpose]: (k, io) => {
    const xs = strides(shapeOf(k, 0));
    const out = k.output.shape;
    return run(affineProgram('transpose', io, 0, {
      shape: out, srcStride: k.params.perm.map((a) => xs[a]), start: out.map(() => 0), step: out.map(() => 1),
      srcDim: out, dstStride: strides(out), dstBase: 0, pad: 0,
    }));
  },
  [Prim.Broadcast]: (k, io) => {
    const out = k.output.shape;
    return run(affineProgram('broadcast', io, 0, {
      shape: out, srcStride: broadcastStrides(shapeOf(k, 0), out), start: out.map(() => 0), step: out.map(() => 1),
      srcDim: out, dstStride: strides(out), dstBase: 0, pad: 0,
    }));
  },
  [Prim.Slice]: (k, io) => {
    const x = shapeOf(k, 0);
    const out = k.output.shape;
    return run(affineProgram('slice', io, 0, {
      shape: out, srcStride: strides(x), start: k.params.starts, step: k.params.steps, srcDim: x, dstStride: strides(out), dstBase: 0, pad: 0,
    }));
  },
  [Prim.Pad]: (k, io) => {
    const x = shapeOf(k, 0);
    const out = k.output.shape;
    return run(affineProgram('pad', io, 0, {
      shape: out, srcStride: strides(x), start: k.params.pads.map(([before]) => -before), step: out.map(() => 1),
      srcDim: x, dstStride: strides(out), dstBase: 0, pad: k.params.value,
    }));
  },
  // one copy per input (keeps every dispatch at two storage bindings, whatever the input count)
  [Prim.Concat]: (k, io) => {
    const out = k.output.shape;
    const axis = k.params.axis < 0 ? k.params.axis + out.length : k.params.axis;
    const os = strides(out);
    let offset = 0;
    return k.inputs.map((inp, i) => {
      const s = inp.shape;
      const work: GpuWork = {
        kind: 'dispatch',
        program: affineProgram('concat', io, i, {
          shape: s, srcStride: strides(s), start: s.map(() => 0), step: s.map(() => 1), srcDim: s, dstStride: os, dstBase: offset * os[axis], pad: 0,
        }),
      };
      offset += s[axis];
      return work;
    }).filter((w) => w.kind !== 'dispatch' || w.program.meta[0] > 0);
  },
  [Prim.Gather]: (k, io) => {
    const axis = k.params.axis < 0 ? k.params.axis + shapeOf(k, 0).length : k.params.axis;
    return run(gatherProgram(io, shapeOf(k, 0), sizeOfShape(shapeOf(k, 1)), axis, sizeOfShape(k.output.shape)));
  },
  [Prim.ScatterAdd]: (k, io) => {
    const axis = k.params.axis < 0 ? k.params.axis + k.params.shape.length : k.params.axis;
    return run(scatterAddProgram(io, k.params.shape, sizeOfShape(shapeOf(k, 1)), axis, sizeOfShape(k.output.shape)));
  },
  [Prim.Conv2d]: (k, io, ctx) => run(conv2dProgram(io, shapeOf(k, 0), shapeOf(k, 1), k.output.shape, k.params, ctx.maxInvocations)),
  [Prim.Conv2dBackwardInput]: (k, io, ctx) => run(conv2dBackwardInputProgram(io, shapeOf(k, 0), shapeOf(k, 1), k.params.inputShape, k.params, ctx.maxInvocations)),
  [Prim.Conv2dBackwardWeight]: (k, io, ctx) => run(conv2dBackwardWeightProgram(io, shapeOf(k, 0), shapeOf(k, 1), k.params.weightShape, k.params, ctx.maxInvocations)),
  [Prim.MaxPool2d]: (k, io) => run(maxPoolProgram(io, shapeOf(k, 0), k.output.shape, k.params, sizeOfShape(k.output.shape))),
  [Prim.AvgPool2d]: (k, io) => run(avgPoolProgram(io, shapeOf(k, 0), k.output.shape, k.params, sizeOfShape(k.output.shape))),
  [Prim.MaxPool2dBackward]: (k, io) => run(maxPoolBackwardProgram(io, shapeOf(k, 0), shapeOf(k, 1), k.params, sizeOfShape(k.output.shape))),
  [Prim.AvgPool2dBackward]: (k, io) => run(avgPoolBackwardProgram(io, k.params.inputShape, shapeOf(k, 0), k.params, sizeOfShape(k.output.shape))),
  [Prim.Random]: (k, io, ctx) => run(randomProgram(io, k.params.dist, sizeOfShape(k.params.shape), ctx.seed, k.params.stream)),
  // values are host data: uploaded once at prepare and copied in (bool stores 1 for non-zero)
  [Prim.Constant]: (k) => {
    const n = sizeOfShape(k.params.shape);
    const v = k.params.value;
    const at = (i: number): number => (v.length === 1 ? v[0] : v[i]);
    return [{ kind: 'constant', values: Array.from({ length: n }, (_, i) => (k.params.dtype === 'bool' ? (at(i) !== 0 ? 1 : 0) : at(i))) }];
  },
};
