/**
 * @file The forward convolution and the weight gradient with im2col fused into the GEMM's packing
 * (convGemm.ts, convWeightGemm.ts) against the unfused path (JS im2col into a column matrix, then
 * the batched GEMM, or one accumulating GEMM per sample): bit for bit, since both pack the same
 * values and sum in the same k order; and against the float64 kernels within the GEMM tolerance. Shapes cross the GEMM's blocks (K > KC,
 * P > NC, O > MC), hit the 8-wide row panels (sw = 1, wide rows) next to padding, and are split
 * between two threads (sample × column chunks), which must give the same bits as one thread.
 * Also: the fused step allocates nothing per run, and its plan holds no column matrix.
 */
import { describe, expect, it, vi } from 'vitest';
import { CpuBackend } from '../../core/backends/cpu/cpuBackend';
import * as K from '../../core/backends/cpu/kernels';
import { convStep } from '../../core/backends/cpu/wasm/conv';
import { KernelModule } from '../../core/backends/cpu/wasm/kernelModule';
import { Prim, type ConvParams } from '../../core/ir/prims';
import { NodeThreadPool } from '../../electron/engine/threads/nodeThreadPool';
import { kernel, rng, runFast, size } from './support';

const P1: ConvParams = { stride: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 };
const CASES: { x: number[]; w: number[]; p: ConvParams }[] = [
  // K = 300 > KC, P = 26·26 = 676 > NC, O = 70 > MC; row panels at both padded borders
  { x: [2, 12, 26, 26], w: [70, 12, 5, 5], p: { stride: [1, 1], padding: [2, 2, 2, 2], dilation: [1, 1], groups: 1 } },
  { x: [3, 5, 17, 23], w: [9, 5, 3, 3], p: P1 },
  { x: [2, 3, 19, 21], w: [7, 3, 3, 4], p: { stride: [1, 1], padding: [0, 3, 2, 1], dilation: [2, 3], groups: 1 } },
  { x: [4, 2, 15, 16], w: [5, 2, 4, 4], p: { stride: [2, 2], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 } },
  { x: [1, 1, 5, 40], w: [3, 1, 1, 9], p: { stride: [3, 1], padding: [0, 0, 8, 8], dilation: [1, 1], groups: 1 } },
];

function data(n: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => Math.fround(r() * 2 - 1));
}

describe('forward convolution with im2col fused into the packing', () => {
  it('equals the unfused im2col + GEMM bit for bit, and the float64 kernel within the GEMM tolerance', () => {
    const backend = new CpuBackend('f32');
    const rt = backend.runtime!;
    CASES.forEach(({ x: xS, w: wS, p }, t) => {
      const yS = K.conv2dShape(xS, wS, p);
      const x = data(size(xS), t), w = data(size(wS), t + 10);
      const k = kernel(Prim.Conv2d, p, [xS, wS], yS);
      const fused = convStep(rt, k, new KernelModule())!, unfused = convStep(rt, k)!;
      const a = runFast(backend, fused, [x, w], size(yS)), b = runFast(backend, unfused, [x, w], size(yS));
      expect([...a], JSON.stringify({ xS, wS, p })).toEqual([...b]);
      const y = new Float64Array(size(yS));
      K.conv2d(x, xS, w, wS, p, y);
      let worst = 0;
      for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(a[i] - y[i]));
      expect(worst).toBeLessThanOrEqual(4e-7 * wS[1] * wS[2] * wS[3] + 1e-6);

      const dy = data(size(yS), t + 20);
      const kw = kernel(Prim.Conv2dBackwardWeight, { ...p, weightShape: wS }, [xS, yS], wS);
      const da = runFast(backend, convStep(rt, kw, new KernelModule())!, [x, dy], size(wS));
      expect([...da], `weight gradient ${JSON.stringify({ xS, wS, p })}`).toEqual([...runFast(backend, convStep(rt, kw)!, [x, dy], size(wS))]);
      const dw = new Float64Array(size(wS));
      K.conv2dBackwardWeight(x, xS, dy, p, wS, dw);
      worst = 0;
      for (let i = 0; i < dw.length; i++) worst = Math.max(worst, Math.abs(da[i] - dw[i]));
      expect(worst).toBeLessThanOrEqual(4e-7 * xS[0] * yS[2] * yS[3] + 1e-6);
    });
  });

  it('shared between two threads gives the bits of one thread, allocating nothing per run', async () => {
    const pool = new NodeThreadPool(1);
    const threaded = new CpuBackend('f32', { threads: pool });
    const single = new CpuBackend('f32');
    try {
      for (let i = 0; i < 200 && threaded.runtime!.threads() < 2; i++) await new Promise((r) => setTimeout(r, 10));
      const before = threaded.threadCrossings;
      // N = 1 (column chunks of one sample) and N = 3 (sample × chunk jobs), both above PARALLEL_FLOPS
      for (const xS of [[1, 16, 40, 40], [3, 16, 32, 32]]) {
        const wS = [32, 16, 3, 3], yS = K.conv2dShape(xS, wS, P1);
        const x = data(size(xS), 1), w = data(size(wS), 2);
        const k = kernel(Prim.Conv2d, P1, [xS, wS], yS);
        const out = (be: CpuBackend): Float32Array => runFast(be, convStep(be.runtime!, k, new KernelModule())!, [x, w], size(yS));
        expect([...out(threaded)]).toEqual([...out(single)]);
      }
      // weight gradient: dw's columns (K ≥ O) or rows (O > K) cut between the threads
      for (const [xS, wS] of [[[3, 16, 32, 32], [32, 16, 3, 3]], [[16, 1, 28, 28], [64, 1, 3, 3]]]) {
        const yS = K.conv2dShape(xS, wS, P1);
        const x = data(size(xS), 5), dy = data(size(yS), 6);
        const k = kernel(Prim.Conv2dBackwardWeight, { ...P1, weightShape: wS }, [xS, yS], wS);
        const out = (be: CpuBackend): Float32Array => runFast(be, convStep(be.runtime!, k, new KernelModule())!, [x, dy], size(wS));
        const c0 = threaded.threadCrossings;
        expect([...out(threaded)]).toEqual([...out(single)]);
        expect(threaded.threadCrossings).toBeGreaterThan(c0);
      }
      expect(threaded.threadCrossings).toBeGreaterThan(before);
      // steady state: a run takes no runtime memory (no column matrix, no scratch)
      const rt = single.runtime!;
      const xS = [2, 4, 12, 12], wS = [6, 4, 3, 3], yS = K.conv2dShape(xS, wS, P1);
      const step = convStep(rt, kernel(Prim.Conv2d, P1, [xS, wS], yS), new KernelModule())!;
      const xv = rt.f32(rt.alloc(size(xS) * 4), size(xS)), wv = rt.f32(rt.alloc(size(wS) * 4), size(wS)), yv = rt.f32(rt.alloc(size(yS) * 4), size(yS));
      xv.set(data(size(xS), 3)); wv.set(data(size(wS), 4));
      const kw = kernel(Prim.Conv2dBackwardWeight, { ...P1, weightShape: wS }, [xS, yS], wS);
      const wstep = convStep(rt, kw, new KernelModule())!;
      const alloc = vi.spyOn(rt, 'alloc'), scratch = vi.spyOn(rt, 'scratch');
      for (let r = 0; r < 3; r++) {
        step([xv, wv], yv);
        wstep([xv, yv], wv);
      }
      expect(alloc).not.toHaveBeenCalled();
      expect(scratch).not.toHaveBeenCalled();
    } finally {
      pool.close();
    }
  });
});
