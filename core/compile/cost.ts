/**
 * @file Work and traffic of each kernel, one rule per primitive: the numbers a benchmark divides by
 * a measured time to place a kernel on its roofline (compute-bound: flops; memory-bound: bytes;
 * overhead-bound: neither explains the time). Flops count a multiply-add as 2 and every other
 * elementwise operation as 1; bytes are each input read once plus the output written once.
 */
import { sizeOf, type ValueInfo } from '../ir/graph';
import { Prim, type PrimParams } from '../ir/prims';
import type { Kernel, Plan } from './plan';

export interface Cost {
  flops: number;
  bytes: number;
}

type FlopRule<P extends Prim> = (inputs: ValueInfo[], output: ValueInfo, params: PrimParams[P]) => number;

const perOutput: FlopRule<Prim> = (_, out) => sizeOf(out.shape);
const perInput: FlopRule<Prim> = (inputs) => sizeOf(inputs[0].shape);
const movement: FlopRule<Prim> = () => 0;

/** 2 * N * O * Ho * Wo * (C / groups) * kh * kw for y [N, O, Ho, Wo] and w [O, C/groups, kh, kw]. */
function convFlops(y: readonly number[], w: readonly number[]): number {
  return 2 * sizeOf(y) * w[1] * w[2] * w[3];
}

const flopRules: { [P in Prim]: FlopRule<P> } = {
  [Prim.Neg]: perOutput, [Prim.Recip]: perOutput, [Prim.Exp]: perOutput, [Prim.Log]: perOutput,
  [Prim.Sqrt]: perOutput, [Prim.Abs]: perOutput, [Prim.Sign]: perOutput, [Prim.Tanh]: perOutput,
  [Prim.Sigmoid]: perOutput, [Prim.Erf]: perOutput, [Prim.Sin]: perOutput, [Prim.Cos]: perOutput,
  [Prim.Add]: perOutput, [Prim.Sub]: perOutput, [Prim.Mul]: perOutput, [Prim.Div]: perOutput,
  [Prim.Pow]: perOutput, [Prim.Max]: perOutput, [Prim.Min]: perOutput,
  [Prim.Lt]: perOutput, [Prim.Le]: perOutput, [Prim.Gt]: perOutput, [Prim.Ge]: perOutput,
  [Prim.Eq]: perOutput, [Prim.Ne]: perOutput, [Prim.Where]: perOutput,
  [Prim.Cast]: movement,
  [Prim.Sum]: perInput,
  [Prim.ReduceMax]: perInput,
  // 2 m n k per batch element
  [Prim.MatMul]: ([a], out, p) => {
    const k = p.transA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
    return 2 * sizeOf(out.shape) * k;
  },
  [Prim.Reshape]: movement, [Prim.Transpose]: movement, [Prim.Broadcast]: movement, [Prim.Slice]: movement,
  [Prim.Concat]: movement, [Prim.Pad]: movement, [Prim.Gather]: movement,
  [Prim.ScatterAdd]: perInput,
  [Prim.Conv2d]: ([, w], out) => convFlops(out.shape, w.shape),
  [Prim.Conv2dBackwardInput]: ([dy, w]) => convFlops(dy.shape, w.shape),
  [Prim.Conv2dBackwardWeight]: ([, dy], out) => convFlops(dy.shape, out.shape),
  [Prim.MaxPool2d]: (_, out, p) => sizeOf(out.shape) * p.kernel[0] * p.kernel[1],
  [Prim.AvgPool2d]: (_, out, p) => sizeOf(out.shape) * p.kernel[0] * p.kernel[1],
  [Prim.MaxPool2dBackward]: ([, dy], _, p) => sizeOf(dy.shape) * p.kernel[0] * p.kernel[1],
  [Prim.AvgPool2dBackward]: ([dy], _, p) => sizeOf(dy.shape) * p.kernel[0] * p.kernel[1],
  [Prim.Random]: perOutput,
  [Prim.Constant]: movement,
};

/** Cost of one kernel; `floatBytes` is 4 on an f32 backend, 8 on the f64 oracle (i32 is always 4). */
export function kernelCost(k: Kernel, floatBytes = 4): Cost {
  const bytesOf = (v: ValueInfo): number => sizeOf(v.shape) * (v.dtype === 'i32' ? 4 : floatBytes);
  const rule = flopRules[k.prim] as FlopRule<Prim>;
  return {
    flops: rule(k.inputs, k.output, k.params),
    bytes: k.inputs.reduce((n, v) => n + bytesOf(v), bytesOf(k.output)),
  };
}

/** Total cost of a plan's run steps (copies count as traffic). */
export function planCost(plan: Plan, floatBytes = 4): Cost {
  const total: Cost = { flops: 0, bytes: 0 };
  for (const s of plan.steps) {
    if (s.op === 'run') {
      const c = kernelCost(s.kernel, floatBytes);
      total.flops += c.flops;
      total.bytes += c.bytes;
    } else if (s.op === 'copy') {
      total.bytes += 2 * s.size * (plan.buffers[s.from].storage === 'int' ? 4 : floatBytes);
    }
  }
  return total;
}
