/**
 * @file Our engine on the workloads: W1 times the f32 GEMM kernel (WebAssembly SIMD, all cores);
 * W2–W5 compile the workload's network with the supervised recipe (forward, loss, backward, Adam
 * in one plan) and time train steps. W2 trains on MNIST and reports test accuracy after a full
 * epoch; the others feed one fixed random batch.
 */
import { CpuBackend } from '../core/backends/cpu/cpuBackend';
import { gemm } from '../core/backends/cpu/wasm/gemm';
import type { Dataset } from '../core/data/dataset';
import { Batcher, epochOrder, fullBatches } from '../core/train/batches';
import { compileSupervised, LR_INPUT, STEP_INPUT, type CompiledModel } from '../core/train/program';
import { NodeThreadPool } from '../electron/engine/threads/nodeThreadPool';
import { recipe, type Workload } from './workloads';

export interface Measure {
  rate: number;
  accuracy?: number;
  note?: string;
}

export class Ours {
  readonly backend: CpuBackend;
  private readonly pool: NodeThreadPool;
  private readonly models = new Map<string, CompiledModel>();

  constructor(threads: number) {
    this.pool = new NodeThreadPool(threads - 1);
    this.backend = new CpuBackend('f32', { threads: this.pool });
  }

  close(): void {
    this.pool.close();
  }

  gemm(n: number, seconds: number): Measure {
    const rt = this.backend.runtime;
    if (rt === undefined) return { rate: NaN, note: 'no WebAssembly SIMD' };
    const bytes = n * n * 4;
    const a = rt.alloc(bytes), b = rt.alloc(bytes), c = rt.alloc(bytes);
    const av = rt.f32(a, n * n), bv = rt.f32(b, n * n);
    for (let i = 0; i < n * n; i++) {
      av[i] = Math.sin(i);
      bv[i] = Math.cos(i);
    }
    for (let i = 0; i < 3; i++) gemm(rt, n, n, n, a, n, 1, b, n, 1, c, n, false);
    let reps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000 || reps < 2) {
      gemm(rt, n, n, n, a, n, 1, b, n, 1, c, n, false);
      reps++;
    }
    const ms = (performance.now() - t0) / reps;
    rt.free(a, bytes);
    rt.free(b, bytes);
    rt.free(c, bytes);
    return { rate: (2 * n * n * n) / ms / 1e6 };
  }

  private model(w: Workload): CompiledModel {
    const known = this.models.get(w.id);
    if (known) return known;
    const r = compileSupervised(w.network, recipe(w.batch), this.backend, w.batch, 1);
    if (!r.ok) throw new Error(`bench ${w.id}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    this.models.set(w.id, r.model);
    return r.model;
  }

  /** Train steps on one fixed random batch for `seconds` (after 3 warm-up steps). */
  async train(w: Workload, seconds: number): Promise<Measure> {
    const model = this.model(w);
    const { inputs, step } = fixedBatch(model, w);
    for (let i = 0; i < 3; i++) await model.train.run(inputs);
    let steps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000 || steps < 2) {
      step[0] = steps;
      await model.train.run(inputs);
      steps++;
    }
    const s = (performance.now() - t0) / 1000;
    return { rate: w.unit === 'steps/s' ? steps / s : (steps * w.batch) / s };
  }

  /** W2 on MNIST: `maxSteps` steps of the epoch (all of it when undefined), then test accuracy. */
  async mnist(w: Workload, train: Dataset, test: Dataset, maxSteps?: number): Promise<Measure> {
    // a fresh model per run: accuracy after exactly one epoch from the same initial weights
    this.models.delete(w.id);
    const model = this.model(w);
    const batcher = new Batcher(train, [...model.feeds], w.batch);
    const lr = new Float32Array([1e-3]);
    const step = new Int32Array(1);
    const batches = [...fullBatches(epochOrder(train.size, 1, 0), w.batch)];
    const n = Math.min(batches.length, maxSteps ?? batches.length);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const inputs: Record<string, ArrayLike<number>> = batcher.fill(batches[i]);
      step[0] = i;
      inputs[LR_INPUT] = lr;
      inputs[STEP_INPUT] = step;
      await model.train.run(inputs);
    }
    const rate = (n * w.batch) / ((performance.now() - t0) / 1000);
    if (n < batches.length) return { rate, note: `${n} of ${batches.length} steps` };
    const evaluator = model.evaluator(w.batch);
    if ('diagnostics' in evaluator) throw new Error('bench W2: no evaluator');
    const feeds = model.feeds.filter((f) => f.input !== model.targetField);
    const testBatcher = new Batcher(test, feeds, w.batch);
    const labels = new Int32Array(w.batch);
    let right = 0, total = 0;
    for (const rows of fullBatches(Int32Array.from({ length: test.size }, (_, i) => i), w.batch)) {
      test.gather(model.targetField, rows, labels);
      const out = await evaluator.run({ ...testBatcher.fill(rows), [model.targetField]: labels });
      const logits = out[model.prediction];
      const classes = logits.length / w.batch;
      for (let r = 0; r < w.batch; r++) {
        let best = 0;
        for (let c = 1; c < classes; c++) if (logits[r * classes + c] > logits[r * classes + best]) best = c;
        if (best === labels[r]) right++;
        total++;
      }
    }
    return { rate, accuracy: right / total };
  }
}

/** One fixed random batch for `w`'s training step (seeded: every engine run sees the same values), with its step counter. */
export function fixedBatch(model: CompiledModel, w: Workload): { inputs: Record<string, ArrayLike<number>>; step: Int32Array } {
  const inputs: Record<string, ArrayLike<number>> = {};
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (const f of model.feeds) {
    const size = w.batch * f.spec.shape.reduce((a, b) => a * b, 1);
    inputs[f.input] = f.spec.dtype === 'i32'
      ? Int32Array.from({ length: size }, () => Math.floor(rand() * (w.classes ?? 2)))
      : Float32Array.from({ length: size }, () => rand() * 2 - 1);
  }
  inputs[LR_INPUT] = new Float32Array([1e-3]);
  const step = new Int32Array(1);
  inputs[STEP_INPUT] = step;
  return { inputs, step };
}
