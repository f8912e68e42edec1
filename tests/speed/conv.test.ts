/**
 * @file conv2d and its two gradients on the WebAssembly GEMM (im2col batched across the batch)
 * against the float64 library kernels: odd sizes, stride, asymmetric padding, dilation; im2col and
 * col2im both in JS and generated as WebAssembly (one copy per kernel tap), which must agree bit for bit
 * (the generated forward and weight gradient pack straight from x, convGemm.ts and
 * convWeightGemm.ts, and must equal the JS im2col + GEMM; the generated input gradient is one
 * GEMM over all samples and must equal the JS per-sample GEMMs).
 * Tolerance: 4e-7·(terms summed) + 1e-6, inputs in [−1, 1].
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../core/backends/cpu/cpuBackend';
import * as K from '../../core/backends/cpu/kernels';
import { convStep } from '../../core/backends/cpu/wasm/conv';
import { KernelModule } from '../../core/backends/cpu/wasm/kernelModule';
import type { Kernel } from '../../core/compile/plan';
import { Prim, type ConvParams } from '../../core/ir/prims';
import type { F32Step } from '../../core/backends/cpu/wasm/matmul';
import { kernel, rng, runFast, size } from './support';

const CASES: { x: number[]; w: number[]; p: ConvParams }[] = [
  { x: [3, 2, 9, 11], w: [5, 2, 3, 3], p: { stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1 } },
  { x: [2, 3, 10, 7], w: [4, 3, 3, 2], p: { stride: [2, 1], padding: [1, 2, 0, 1], dilation: [1, 1], groups: 1 } },
  { x: [2, 1, 12, 12], w: [6, 1, 5, 5], p: { stride: [1, 1], padding: [2, 2, 2, 2], dilation: [1, 1], groups: 1 } },
  { x: [1, 4, 9, 9], w: [3, 4, 3, 3], p: { stride: [1, 2], padding: [1, 1, 1, 1], dilation: [2, 2], groups: 1 } },
  { x: [3, 3, 11, 10], w: [5, 3, 3, 2], p: { stride: [2, 3], padding: [0, 0, 0, 0], dilation: [2, 1], groups: 1 } },
  { x: [2, 2, 9, 9], w: [3, 2, 3, 3], p: { stride: [2, 2], padding: [0, 1, 0, 1], dilation: [1, 1], groups: 1 } },
  // padding wider than the kernel: whole output rows and columns read only padding
  { x: [2, 2, 4, 5], w: [3, 2, 2, 2], p: { stride: [3, 2], padding: [3, 3, 3, 2], dilation: [1, 1], groups: 1 } },
];

function data(n: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => Math.fround(r() * 2 - 1));
}

function expectNear(fast: Float32Array, ref: Float64Array, terms: number, what: string): void {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(fast[i] - ref[i]));
  expect(worst, what).toBeLessThanOrEqual(4e-7 * terms + 1e-6);
}

describe('wasm convolution vs the float64 kernels', () => {
  const backend = new CpuBackend('f32');
  const rt = backend.runtime!;
  let generated = 0;
  /** the step with im2col in WebAssembly where it applies, and with it in JS */
  const steps = (k: Kernel): [F32Step, F32Step] => {
    const lib = new KernelModule();
    const wasm = convStep(rt, k, lib)!;
    generated += lib.size;
    lib.link(rt);
    return [wasm, convStep(rt, k)!];
  };
  /** the generated path; the JS one must give the same bits (the fused weight gradient sums in the JS path's order too) */
  const both = (k: Kernel, inputs: Float64Array[], n: number): Float32Array[] => {
    const [wasm, js] = steps(k);
    const a = runFast(backend, wasm, inputs, n), b = runFast(backend, js, inputs, n);
    expect([...a]).toEqual([...b]);
    return [a, b];
  };

  it('forward, backward input and backward weight agree', () => {
    CASES.forEach(({ x: xS, w: wS, p }, t) => {
      const yS = K.conv2dShape(xS, wS, p);
      const x = data(size(xS), t), w = data(size(wS), t + 10), dy = data(size(yS), t + 20);
      const what = JSON.stringify({ xS, wS, p });

      const y = new Float64Array(size(yS));
      K.conv2d(x, xS, w, wS, p, y);
      expectNear(both(kernel(Prim.Conv2d, p, [xS, wS], yS), [x, w], y.length)[0], y, wS[1] * wS[2] * wS[3], `forward ${what}`);

      const dx = new Float64Array(size(xS));
      K.conv2dBackwardInput(dy, w, wS, p, xS, dx);
      expectNear(both(kernel(Prim.Conv2dBackwardInput, { ...p, inputShape: xS }, [yS, wS], xS), [dy, w], dx.length)[0], dx, wS[0] * wS[2] * wS[3], `backward input ${what}`);

      const dw = new Float64Array(size(wS));
      K.conv2dBackwardWeight(x, xS, dy, p, wS, dw);
      for (const out of both(kernel(Prim.Conv2dBackwardWeight, { ...p, weightShape: wS }, [xS, yS], wS), [x, dy], dw.length)) {
        expectNear(out, dw, xS[0] * yS[2] * yS[3], `backward weight ${what}`);
      }
    });
    // the input gradient's dy transpose and col2im generated for every case, padded or not (forward and weight gradient fuse im2col into their packing: own modules)
    expect(generated).toBe(2 * CASES.length);
  });

  it('leaves grouped convolutions to the library kernel', () => {
    const p: ConvParams = { stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 2 };
    expect(convStep(rt, kernel(Prim.Conv2d, p, [[1, 4, 5, 5], [4, 2, 3, 3]], [1, 4, 3, 3]))).toBeUndefined();
  });
});
