/** @file Helpers of the fast-path tests: seeded data, a kernel record, running one fast step in wasm memory. */
import { CpuBackend } from '../../core/backends/cpu/cpuBackend';
import type { F32Step } from '../../core/backends/cpu/wasm/matmul';
import type { Kernel } from '../../core/compile/plan';
import type { Dtype, Prim } from '../../core/ir/prims';
import { rng } from '../support/rng';
export { rng };

export const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

export function kernel(prim: Prim, params: object, inputs: number[][], output: number[], dtype: Dtype = 'f32'): Kernel {
  return { kind: 'prim', prim, params, inputs: inputs.map((shape) => ({ shape, dtype })), output: { shape: output, dtype } } as unknown as Kernel;
}

/** Copies `inputs` into the backend's wasm memory, runs `step`, returns the output. */
export function runFast(backend: CpuBackend, step: F32Step, inputs: Float64Array[], outSize: number): Float32Array {
  const rt = backend.runtime;
  if (rt === undefined) throw new Error('no wasm runtime');
  const views = inputs.map((x) => {
    const v = rt.f32(rt.alloc(x.length * 4), x.length);
    v.set(x);
    return v;
  });
  const out = rt.f32(rt.alloc(outSize * 4), outSize);
  step(views, out);
  const copy = out.slice();
  for (const v of [...views, out]) rt.free(v.byteOffset, v.length * 4);
  return copy;
}
