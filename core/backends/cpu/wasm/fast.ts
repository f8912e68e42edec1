/**
 * @file Which plan kernels the fast path replaces, and with what: a kernel here gets the f32
 * views (in the runtime's memory) of its inputs and output, with shapes fixed at prepare. A
 * kernel not listed runs on the plain-JS library over the same views.
 */
import { Prim } from '../../../ir/prims';
import type { Kernel } from '../../../compile/plan';
import { convStep } from './conv';
import { elementwiseStep, reduceStep } from './jsgen';
import { matmulStep, type F32Step } from './matmul';
import type { WasmRuntime } from './runtime';

export type { F32Step } from './matmul';

export function fastKernel(rt: WasmRuntime, k: Kernel): F32Step | undefined {
  if (k.inputs.some((v) => v.dtype === 'i32') || k.output.dtype === 'i32') return undefined;
  switch (k.prim) {
    case Prim.MatMul:
      return matmulStep(rt, k);
    case Prim.Conv2d:
    case Prim.Conv2dBackwardInput:
    case Prim.Conv2dBackwardWeight:
      return convStep(rt, k);
    case Prim.Sum:
    case Prim.ReduceMax:
      return reduceStep(k);
    default:
      return elementwiseStep(k);
  }
}
