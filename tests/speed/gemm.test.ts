/**
 * @file The WebAssembly SIMD GEMM (matmul fast path) against the float64 library kernel: random
 * shapes including odd sizes and sizes that cross the MR/NR/KC/MC/NC blocking, every transpose
 * variant, batched and broadcast batches. Tolerance: |fast − ref| ≤ 4e-7·k·max|a|·max|b| + 1e-6
 * (f32 products summed in f32 over k terms, inputs in [−1, 1]).
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../core/backends/cpu/cpuBackend';
import * as K from '../../core/backends/cpu/kernels';
import { KC, MC, NC } from '../../core/backends/cpu/wasm/gemmKernel';
import { matmulStep } from '../../core/backends/cpu/wasm/matmul';
import { Prim } from '../../core/ir/prims';
import { NodeThreadPool } from '../../electron/engine/threads/nodeThreadPool';
import { kernel, rng, runFast, size } from './support';

function check(backend: CpuBackend, aShape: number[], bShape: number[], ta: boolean, tb: boolean, seed: number): Float32Array {
  const r = rng(seed);
  const a = Float64Array.from({ length: size(aShape) }, () => Math.fround(r() * 2 - 1));
  const b = Float64Array.from({ length: size(bShape) }, () => Math.fround(r() * 2 - 1));
  const outShape = K.matmulShape(aShape, bShape, ta, tb);
  const ref = new Float64Array(size(outShape));
  K.matmul(a, aShape, ta, b, bShape, tb, ref);
  const k = kernel(Prim.MatMul, { transA: ta, transB: tb }, [aShape, bShape], outShape) as Parameters<typeof matmulStep>[1];
  const fast = runFast(backend, matmulStep(backend.runtime!, k), [a, b], ref.length);
  const depth = ta ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
  const tol = 4e-7 * depth + 1e-6;
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(fast[i] - ref[i]));
  expect(worst, `${JSON.stringify({ aShape, bShape, ta, tb })}`).toBeLessThanOrEqual(tol);
  return fast;
}

const transposes: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];
const ops = (m: number, n: number, k: number, ta: boolean, tb: boolean): [number[], number[]] => [ta ? [k, m] : [m, k], tb ? [n, k] : [k, n]];

describe('wasm GEMM vs the float64 kernel', () => {
  const backend = new CpuBackend('f32');

  it('runs on this runtime (WebAssembly SIMD128)', () => {
    expect(backend.runtime).toBeDefined();
  });

  it('matches on random 2-D shapes, all transpose variants', () => {
    const r = rng(7);
    for (let t = 0; t < 24; t++) {
      const [m, n, k] = [1 + Math.floor(r() * 70), 1 + Math.floor(r() * 70), 1 + Math.floor(r() * 90)];
      for (const [ta, tb] of transposes) check(backend, ...ops(m, n, k, ta, tb), ta, tb, t);
    }
  });

  it('matches across the cache blocks (k > KC, m > MC, n > NC) with ragged edges', () => {
    const [m, n, k] = [MC + 5, NC + 3, KC + 17];
    for (const [ta, tb] of transposes) check(backend, ...ops(m, n, k, ta, tb), ta, tb, 99);
  });

  it('matches on batched, broadcast and folded batches', () => {
    check(backend, [3, 5, 7], [3, 7, 6], false, false, 1);
    check(backend, [3, 7, 5], [3, 6, 7], true, true, 2);
    check(backend, [4, 9, 13], [13, 11], false, false, 3); // shared right operand: batch folds into rows
    check(backend, [11, 13], [4, 13, 9], false, false, 4); // shared left operand
    check(backend, [2, 1, 5, 6], [1, 3, 6, 4], false, false, 5); // general broadcast
    check(backend, [2, 3, 8, 4], [2, 3, 8, 5], true, false, 6);
  });

  it('gives the same bits on 2 threads as on 1 (C split by blocks, same k order)', async () => {
    const pool = new NodeThreadPool(1);
    const threaded = new CpuBackend('f32', { threads: pool });
    try {
      for (let i = 0; i < 200 && threaded.runtime!.threads() < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(threaded.runtime!.threads()).toBe(2);
      const start = threaded.threadCrossings;
      for (const [ta, tb] of transposes) {
        const [aS, bS] = ops(130, 150, 300, ta, tb);
        const one = check(backend, aS, bS, ta, tb, 11);
        const before = threaded.threadCrossings;
        const two = check(threaded, aS, bS, ta, tb, 11);
        // one job per product (none when the worker still owes the last one: a loaded machine)
        expect(threaded.threadCrossings - before).toBeLessThanOrEqual(1);
        expect(Array.from(two)).toEqual(Array.from(one));
      }
      expect(threaded.threadCrossings - start).toBeGreaterThan(0); // the first always goes to the idle worker
      const one = check(backend, [8, 64, 70], [8, 70, 66], false, false, 12);
      const two = check(threaded, [8, 64, 70], [8, 70, 66], false, false, 12);
      expect(Array.from(two)).toEqual(Array.from(one));
    } finally {
      pool.close();
    }
  });
});
