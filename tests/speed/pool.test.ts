/**
 * @file Max pooling and its gradient generated as WebAssembly (poolgen.ts) against the library
 * kernels: exact results, ties (the first maximum wins and alone gets the gradient), NaN winning,
 * overlapping windows (stride < kernel: gradients add up), unused bottom/right padding; windows that
 * read padding are left to the library.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../core/backends/cpu/cpuBackend';
import * as K from '../../core/backends/cpu/kernels';
import { fastKernel } from '../../core/backends/cpu/wasm/fast';
import { KernelModule } from '../../core/backends/cpu/wasm/kernelModule';
import { maxPoolFn } from '../../core/backends/cpu/wasm/poolgen';
import { Prim, type PoolParams } from '../../core/ir/prims';
import { kernel, rng, runFast, size } from './support';

const CASES: { x: number[]; p: PoolParams }[] = [
  { x: [3, 2, 9, 11], p: { kernel: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0] } },
  { x: [2, 3, 10, 7], p: { kernel: [3, 3], stride: [2, 2], padding: [0, 0, 0, 0] } },
  { x: [1, 2, 8, 8], p: { kernel: [3, 2], stride: [1, 1], padding: [0, 0, 0, 0] } },
  { x: [2, 1, 8, 8], p: { kernel: [2, 2], stride: [2, 2], padding: [0, 1, 0, 1] } },
];

describe('WebAssembly max pooling vs the library kernels', () => {
  const backend = new CpuBackend('f32');
  const rt = backend.runtime!;

  it('forward and backward agree exactly, with ties and NaN', () => {
    CASES.forEach(({ x: xS, p }, t) => {
      const r = rng(t + 1);
      // values on a coarse grid: many ties inside windows
      const x = Float64Array.from({ length: size(xS) }, () => Math.round(r() * 6) / 2);
      x[5] = NaN;
      const yS = K.pool2dShape(xS, p);
      const dy = Float64Array.from({ length: size(yS) }, () => Math.fround(r() * 2 - 1));
      const y = new Float64Array(size(yS));
      K.maxPool2d(x, xS, p, y);
      // in f32, so overlapping windows round their sums as the fast kernel does
      const dx = new Float32Array(size(xS));
      K.maxPool2dBackward(Float32Array.from(x), xS, Float32Array.from(dy), p, dx);
      const lib = new KernelModule();
      const fwd = fastKernel(rt, kernel(Prim.MaxPool2d, p, [xS], yS), lib);
      const bwd = fastKernel(rt, kernel(Prim.MaxPool2dBackward, { ...p, inputShape: xS }, [xS, yS], xS), lib);
      expect(lib.size, JSON.stringify(p)).toBe(2);
      lib.link(rt);
      expect([...runFast(backend, fwd!, [x], y.length)], `forward ${JSON.stringify({ xS, p })}`).toEqual([...Float32Array.from(y)]);
      expect([...runFast(backend, bwd!, [x, dy], dx.length)], `backward ${JSON.stringify({ xS, p })}`).toEqual([...dx]);
    });
  });

  it('leaves windows that read padding to the library', () => {
    const p: PoolParams = { kernel: [2, 2], stride: [2, 2], padding: [1, 1, 1, 1] };
    expect(maxPoolFn(kernel(Prim.MaxPool2d, p, [[1, 1, 6, 6]], K.pool2dShape([1, 1, 6, 6], p)))).toBeUndefined();
  });
});
