/**
 * @file Which plan kernels the fast path replaces, and with what: a kernel here gets the f32
 * views (in the runtime's memory) of its inputs and output, with shapes fixed at prepare. A
 * kernel not listed runs on the plain-JS library over the same views. Elementwise kernels and
 * reductions are generated as WebAssembly SIMD (simdgen.ts, compiled into the executable's
 * `KernelModule`) where their ops and patterns allow, else as generated JS loops (jsgen.ts).
 */
import { Prim, type ReducePrim } from '../../../ir/prims';
import type { BufferId, Kernel, Plan } from '../../../compile/plan';
import { isRowNode, type RowPattern } from '../../../compile/rowPatterns';
import { rowKernel } from './rowgen';
import type { Operand } from '../../../compile/fuse';
import { stridesOf } from '../kernels/shape';
import { convStep } from './conv';
import { Fn } from './emit';
import { elementwiseStep, fusedStep, padAddStep, reduceStep } from './jsgen';
import type { KernelModule, LinkedFn } from './kernelModule';
import { matmulStep, type F32Step } from './matmul';
import { copyCode, movementFn } from './movegen';
import { maxPoolFn } from './poolgen';
import type { WasmRuntime } from './runtime';
import { PARALLEL_ELEMENTS, rangedStep, shareable, SHARED_MIN_ROWS } from './ranged';
import { simdChain, simdReduce, type SimdElementwise } from './simdgen';

export type { F32Step } from './matmul';

export function fastKernel(rt: WasmRuntime, k: Kernel, lib?: KernelModule): F32Step | undefined {
  if (k.inputs.some((v) => v.dtype === 'i32') || k.output.dtype === 'i32') return undefined;
  switch (k.prim) {
    case Prim.MatMul:
      return matmulStep(rt, k);
    case Prim.Conv2d:
    case Prim.Conv2dBackwardInput:
    case Prim.Conv2dBackwardWeight:
      return convStep(rt, k, lib);
    case Prim.Transpose:
    case Prim.Broadcast:
    case Prim.Slice:
    case Prim.Pad:
    case Prim.Concat: {
      const fn = lib === undefined ? undefined : movementFn(k);
      return fn === undefined || lib === undefined ? undefined : pointerCall(lib.add(fn), k.inputs.length);
    }
    case Prim.MaxPool2d:
    case Prim.MaxPool2dBackward: {
      const fn = lib === undefined ? undefined : maxPoolFn(k);
      return fn === undefined || lib === undefined ? undefined : pointerCall(lib.add(fn), k.inputs.length);
    }
    case Prim.Sum:
    case Prim.ReduceMax:
      return (lib === undefined ? undefined : reduceSimd(k, lib, rt)) ?? reduceStep(k);
    default: {
      const simd = lib === undefined ? undefined : simdChain([k], [k.inputs.map((_, i) => ({ leaf: i }))], k.inputs.map((x) => x.shape), minRows(lib, k.output.shape));
      return simd !== undefined && lib !== undefined ? elementwiseCall(simd, lib, rt) : elementwiseStep(k);
    }
  }
}

/** A fused chain (core/compile/fuse.ts) as one step: SIMD where it can, else one JS loop. */
export function fusedKernel(kernels: readonly Kernel[], operands: readonly Operand[][], leafShapes: readonly (readonly number[])[], lib?: KernelModule, rt?: WasmRuntime): F32Step | undefined {
  const simd = lib === undefined ? undefined : simdChain(kernels, operands, leafShapes, minRows(lib, kernels[kernels.length - 1].output.shape));
  return simd !== undefined && lib !== undefined ? elementwiseCall(simd, lib, rt) : fusedStep(kernels, operands, leafShapes);
}

/** A kernel that may be shared between threads is split into enough rows for the chunks. */
function minRows(lib: KernelModule, out: readonly number[]): number {
  return lib.threaded && out.reduce((a, b) => a * b, 1) >= PARALLEL_ELEMENTS ? SHARED_MIN_ROWS : 0;
}

function elementwiseCall(g: SimdElementwise, lib: KernelModule, rt?: WasmRuntime): F32Step {
  const rows = g.outer;
  if (shareable(rt, rows * g.inner, rows)) return rangedStep(rt, lib.add(g.fn, g.fn.params - 2), g.fn.params - 2, rows, 1);
  const slot: LinkedFn = lib.add(g.fn);
  switch (g.fn.params - 3) {
    case 1: return ([a], o) => slot.f(a.byteOffset, o.byteOffset, 0, rows);
    case 2: return ([a, b], o) => slot.f(a.byteOffset, b.byteOffset, o.byteOffset, 0, rows);
    case 3: return ([a, b, c], o) => slot.f(a.byteOffset, b.byteOffset, c.byteOffset, o.byteOffset, 0, rows);
    // an optimizer update reads up to ~6 leaves: fixed arities keep the call allocation-free
    case 4: return ([a, b, c, d], o) => slot.f(a.byteOffset, b.byteOffset, c.byteOffset, d.byteOffset, o.byteOffset, 0, rows);
    case 5: return ([a, b, c, d, e], o) => slot.f(a.byteOffset, b.byteOffset, c.byteOffset, d.byteOffset, e.byteOffset, o.byteOffset, 0, rows);
    case 6: return ([a, b, c, d, e, f], o) => slot.f(a.byteOffset, b.byteOffset, c.byteOffset, d.byteOffset, e.byteOffset, f.byteOffset, o.byteOffset, 0, rows);
    default: {
      const args: number[] = new Array<number>(g.fn.params).fill(0);
      return (x, o) => {
        for (let i = 0; i < x.length; i++) args[i] = x[i].byteOffset;
        args[x.length] = o.byteOffset;
        args[x.length + 2] = rows;
        slot.f(...args);
      };
    }
  }
}

function reduceSimd(k: Kernel & { prim: ReducePrim }, lib: KernelModule, rt: WasmRuntime): F32Step | undefined {
  const g = simdReduce(k);
  if (g === undefined) return undefined;
  // rows (trailing) or columns (leading) are each folded by one thread in a fixed order: sharing
  // them keeps the result bit-identical; the middle form adds every row into shared outputs
  if (g.ranged && shareable(rt, k.inputs[0].shape.reduce((a, b) => a * b, 1), g.extent)) return rangedStep(rt, lib.add(g.fn, 2), 2, g.extent, g.trailing ? 1 : 4);
  const slot = lib.add(g.fn);
  const extent = g.extent;
  return ([x], o) => slot.f(x.byteOffset, o.byteOffset, 0, extent);
}

/**
 * A row-pattern group (core/compile/rowPatterns.ts: softmax, layer norm) as one row kernel
 * (rowgen.ts). The step's leaves are x, [γ], [β], then the live intermediates it writes.
 */
export function rowGroupKernel(plan: Plan, p: RowPattern, lib: KernelModule, rt: WasmRuntime): { leaves: { buffer: BufferId; shape: number[] }[]; step: F32Step } | undefined {
  const g = rowKernel(p, p.kind === 'layerNorm' ? scalarInput(plan, p.steps[1]) : undefined);
  if (g === undefined) return undefined;
  const P = g.pointers.length;
  const slot = lib.add(g.fn, P, shareable(rt, p.rows * p.width, p.rows));
  const live = new Map(p.live.map((l) => [l.buffer, l.node]));
  const leaves = g.pointers.slice(0, -1).map((buffer, i) => {
    const node = live.get(buffer);
    const shape = i === 0 || (node !== undefined && !isRowNode(p.kind, node)) ? [p.rows, p.width] : node !== undefined ? [p.rows] : [p.width];
    return { buffer, shape };
  });
  return { leaves, step: rangedStep(rt, slot, P, p.rows, 1) };
}

/** The value of the one-element constant a run step reads (layer norm's 1/C). */
function scalarInput(plan: Plan, step: number): number | undefined {
  const s = plan.steps[step];
  if (s.op !== 'run') return undefined;
  for (const b of s.inputs) {
    const c = plan.constants.find((x) => x.buffer === b);
    if (c !== undefined && c.value.length === 1) return c.value[0];
  }
  return undefined;
}

/** A step calling f(input pointers..., output pointer). */
function pointerCall(slot: LinkedFn, inputs: number): F32Step {
  switch (inputs) {
    case 1: return ([a], o) => slot.f(a.byteOffset, o.byteOffset);
    case 2: return ([a, b], o) => slot.f(a.byteOffset, b.byteOffset, o.byteOffset);
    default: {
      const args: number[] = new Array<number>(inputs + 1).fill(0);
      return (x, o) => {
        for (let i = 0; i < x.length; i++) args[i] = x[i].byteOffset;
        args[inputs] = o.byteOffset;
        slot.f(...args);
      };
    }
  }
}

/**
 * out = other + pad(g, pads, 0) without the padded tensor (core/compile/fuse.ts padAddPairs): other
 * copied into out unless in place, then g added into its window — one generated strided add.
 */
export function padAddKernel(gShape: readonly number[], pads: readonly (readonly [number, number])[], outShape: readonly number[], lib?: KernelModule): (other: Float32Array, g: Float32Array, out: Float32Array) => void {
  if (lib === undefined || gShape.length === 0) return padAddStep(gShape, pads, outShape);
  const os = stridesOf(outShape);
  const fn = new Fn('padAdd', 2); // (g, out)
  fn.emit(copyCode(fn, 1, { from: 0, shape: gShape, src: stridesOf(gShape), srcBase: 0, dst: os, dstBase: pads.reduce((b, [before], d) => b + before * os[d], 0) }, 'add'));
  const slot = lib.add(fn);
  return (other, g, out) => {
    if (out.byteOffset !== other.byteOffset) out.set(other);
    slot.f(g.byteOffset, out.byteOffset);
  };
}
