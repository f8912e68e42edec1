/**
 * @file The fast path in a training step: the steady-state step allocates nothing and crosses to
 * the worker threads a bounded number of times (one job per split matmul or shared elementwise kernel at most); a few MNIST-MLP
 * steps give the same loss curve as the float64 reference backend and the plain-JS f32 backend
 * (same seed, same batches; relative tolerance 1e-4 per step).
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend, CpuExecutable } from '../../core/backends/cpu/cpuBackend';
import { PARALLEL_FLOPS } from '../../core/backends/cpu/wasm/gemm';
import type { Dataset } from '../../core/data/dataset';
import { Prim } from '../../core/ir/prims';
import { Batcher, epochOrder, fullBatches } from '../../core/train/batches';
import { compileSupervised, LR_INPUT, STEP_INPUT } from '../../core/train/program';
import { loadBuiltinDataset } from '../../electron/services/datasets/builtin';
import { NodeThreadPool } from '../../electron/engine/threads/nodeThreadPool';
import { recipe, WORKLOADS } from '../../bench/workloads';

const W2 = WORKLOADS.W2;

async function lossCurve(backend: CpuBackend, train: Dataset, steps: number, batch: number): Promise<number[]> {
  const r = compileSupervised(W2.network, recipe(batch), backend, batch, 1);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  const model = r.model;
  const batcher = new Batcher(train, [...model.feeds], batch);
  const order = [...fullBatches(epochOrder(train.size, 1, 0), batch)];
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const inputs: Record<string, ArrayLike<number>> = batcher.fill(order[i]);
    inputs[LR_INPUT] = new Float32Array([1e-3]);
    inputs[STEP_INPUT] = new Int32Array([i]);
    losses.push((await model.train.run(inputs)).loss[0]);
  }
  return losses;
}

describe('fast path in training', () => {
  it('steady-state MLP step: no allocation, at most one worker job per large matmul or shared elementwise kernel', async () => {
    const pool = new NodeThreadPool(1);
    const backend = new CpuBackend('f32', { threads: pool });
    try {
      for (let i = 0; i < 200 && backend.runtime!.threads() < 2; i++) await new Promise((r) => setTimeout(r, 10));
      const r = compileSupervised(W2.network, recipe(W2.batch), backend, W2.batch, 1);
      if (!r.ok) throw new Error('compile failed');
      const exe = r.model.train;
      if (!(exe instanceof CpuExecutable)) throw new Error('not a CPU executable');
      const matmuls = exe.plan.steps.filter((s) => {
        if (s.op !== 'run' || s.kernel.prim !== Prim.MatMul) return false;
        return 2 * s.kernel.output.shape.reduce((a, b) => a * b, 1) * (s.kernel.params.transA ? s.kernel.inputs[0].shape[0] : s.kernel.inputs[0].shape[1]) >= PARALLEL_FLOPS;
      }).length;
      expect(matmuls).toBeGreaterThan(0);
      const bound = matmuls + exe.sharedKernels;
      const inputs = {
        image: new Float32Array(W2.batch * 784).fill(0.5),
        label: new Int32Array(W2.batch).fill(3),
        [LR_INPUT]: new Float32Array([1e-3]),
        [STEP_INPUT]: new Int32Array(1),
      };
      const start = backend.threadCrossings;
      await exe.run(inputs);
      const allocations = backend.allocations, crossings = backend.threadCrossings;
      for (let i = 0; i < 3; i++) await exe.run(inputs);
      expect(backend.allocations - allocations).toBe(0);
      // the first big product always goes to the (idle) worker; later ones may run alone when the
      // worker gets no time slice (a loaded machine: threadPool.ts's hold-off), never more than one each
      expect(backend.threadCrossings - start).toBeGreaterThan(0);
      expect((backend.threadCrossings - crossings) / 3).toBeLessThanOrEqual(bound);
    } finally {
      pool.close();
    }
  });

  it('MNIST-MLP: the loss curve of a few steps matches the float64 reference and the plain-JS f32 backend', async () => {
    const { train } = await loadBuiltinDataset('builtin:mnist', { limit: 2048 }, 1);
    const steps = 12, batch = 64;
    const fast = await lossCurve(new CpuBackend('f32'), train, steps, batch);
    const reference = await lossCurve(new CpuBackend('f64'), train, steps, batch);
    const plain = await lossCurve(new CpuBackend('f32', { wasm: false }), train, steps, batch);
    expect(fast[steps - 1]).toBeLessThan(fast[0]); // it learns
    for (let i = 0; i < steps; i++) {
      expect(Math.abs(fast[i] - reference[i]) / reference[i], `step ${i}`).toBeLessThan(1e-4);
      expect(Math.abs(fast[i] - plain[i]) / plain[i], `step ${i}`).toBeLessThan(1e-4);
    }
  });
});
