/**
 * @file Elementwise kernels, fused chains and row/column reductions shared between threads
 * (core/backends/cpu/wasm/ranged.ts): bit-identical to one thread whoever takes which chunk (here
 * the chunks also run in reverse order on the caller alone), and whole training steps of the
 * transformer block (its feed-forward activations shared) give the single-thread losses bit for bit,
 * allocate nothing in the steady state and cross to the worker at most once per shared kernel.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend, CpuExecutable } from '../../core/backends/cpu/cpuBackend';
import { fastKernel, fusedKernel } from '../../core/backends/cpu/wasm/fast';
import { KernelModule } from '../../core/backends/cpu/wasm/kernelModule';
import type { F32Step } from '../../core/backends/cpu/wasm/matmul';
import { PARALLEL_ELEMENTS } from '../../core/backends/cpu/wasm/ranged';
import { simdChain } from '../../core/backends/cpu/wasm/simdgen';
import { MAX_ARGS } from '../../core/backends/cpu/wasm/threadPool';
import { Prim } from '../../core/ir/prims';
import { compileSupervised, LR_INPUT, STEP_INPUT } from '../../core/train/program';
import { NodeThreadPool } from '../../electron/engine/threads/nodeThreadPool';
import { recipe, WORKLOADS, type WorkloadId } from '../../bench/workloads';
import { kernel, rng, runFast, size } from './support';

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

async function threadedBackend(pool: NodeThreadPool): Promise<CpuBackend> {
  const backend = new CpuBackend('f32', { threads: pool });
  for (let i = 0; i < 200 && backend.runtime!.threads() < 2; i++) await new Promise((r) => setTimeout(r, 10));
  return backend;
}

function prepare(backend: CpuBackend, make: (lib: KernelModule) => F32Step | undefined): { step: F32Step; lib: KernelModule } {
  const lib = new KernelModule(backend.runtime!.jobs !== undefined);
  const step = make(lib);
  if (step === undefined) throw new Error('no fast step');
  lib.link(backend.runtime!);
  return { step, lib };
}

const ROWS = 192, COLS = 3001; // 576 192 elements ≥ PARALLEL_ELEMENTS; rows of an odd length (vector tails)

describe('kernels shared between threads', () => {
  const r = rng(5);
  const x = Float64Array.from({ length: ROWS * COLS }, () => r() * 8 - 4);
  const y = Float64Array.from({ length: ROWS * COLS }, () => r() * 2 - 1);
  const bias = Float64Array.from({ length: COLS }, () => r() - 0.5);
  // tanh(x)·y + bias, fused: the threaded run must equal the single-thread one bit for bit
  const chain = [
    kernel(Prim.Tanh, {}, [[ROWS, COLS]], [ROWS, COLS]),
    kernel(Prim.Mul, {}, [[ROWS, COLS], [ROWS, COLS]], [ROWS, COLS]),
    kernel(Prim.Add, {}, [[ROWS, COLS], [COLS]], [ROWS, COLS]),
  ];
  const operands = [[{ leaf: 0 }], [{ node: 0 }, { leaf: 1 }], [{ node: 1 }, { leaf: 2 }]];
  const leafShapes = [[ROWS, COLS], [ROWS, COLS], [COLS]];
  const reductions = [
    kernel(Prim.Sum, { axes: [1] }, [[ROWS, COLS]], [ROWS]),
    kernel(Prim.ReduceMax, { axes: [1] }, [[ROWS, COLS]], [ROWS]),
    kernel(Prim.Sum, { axes: [0] }, [[ROWS, COLS]], [COLS]),
  ];

  it('a fused chain and row/column reductions: threaded = one thread, bit for bit', async () => {
    expect(ROWS * COLS).toBeGreaterThanOrEqual(PARALLEL_ELEMENTS);
    const pool = new NodeThreadPool(1);
    try {
      const threaded = await threadedBackend(pool), single = new CpuBackend('f32');
      const runChain = (be: CpuBackend): { out: Float32Array; shared: number } => {
        const { step, lib } = prepare(be, (lib) => fusedKernel(chain, operands, leafShapes, lib, be.runtime));
        const out = runFast(be, step, [x, y, bias], ROWS * COLS);
        return { out, shared: lib.rangedSlots };
      };
      const one = runChain(single), two = runChain(threaded);
      expect(one.shared).toBe(0);
      expect(two.shared).toBe(1);
      const before = threaded.threadCrossings;
      expect(bits(two.out)).toEqual(bits(one.out));
      for (const k of reductions) {
        const n = size(k.output.shape);
        const a = runFast(single, prepare(single, (lib) => fastKernel(single.runtime!, k, lib)).step, [x], n);
        const p = prepare(threaded, (lib) => fastKernel(threaded.runtime!, k, lib));
        expect(p.lib.rangedSlots, `${k.prim} ${JSON.stringify(k.params)}`).toBe(1);
        expect(bits(runFast(threaded, p.step, [x], n)), `${k.prim} ${JSON.stringify(k.params)}`).toEqual(bits(a));
      }
      // one job (one crossing) per shared kernel at most
      expect(threaded.threadCrossings - before).toBeLessThanOrEqual(reductions.length);
    } finally {
      pool.close();
    }
  });

  it('the part wrapper: chunks run in any order give the whole-range result', () => {
    const be = new CpuBackend('f32');
    const rt = be.runtime!;
    const g = simdChain(chain, operands, leafShapes, 32);
    expect(g).toBeDefined();
    expect(g!.outer).toBe(ROWS); // rows to share even where the chain's first split is one row
    const lib = new KernelModule(true);
    const slot = lib.add(g!.fn, 4);
    lib.link(rt);
    expect(slot.job).toBe(-1); // no workers here
    const views = [x, y, bias].map((v) => {
      const f = rt.f32(rt.alloc(v.length * 4), v.length);
      f.set(v);
      return f;
    });
    const whole = rt.f32(rt.alloc(ROWS * COLS * 4), ROWS * COLS), parts = rt.f32(rt.alloc(ROWS * COLS * 4), ROWS * COLS);
    const a = new Int32Array(MAX_ARGS);
    views.forEach((v, i) => (a[i] = v.byteOffset));
    const call = (out: Float32Array, unit: number, idx: number): void => {
      a[3] = out.byteOffset;
      a[4] = unit;
      a[5] = ROWS;
      slot.part(...Array.from(a), idx);
    };
    call(whole, ROWS, 0);
    const unit = 29;
    for (let i = Math.ceil(ROWS / unit) - 1; i >= 0; i--) call(parts, unit, i);
    expect(bits(parts)).toEqual(bits(whole));
  });
});

async function trainLosses(backend: CpuBackend, id: WorkloadId, batch: number): Promise<{ losses: number[]; shared: number }> {
  const w = WORKLOADS[id];
  const r = compileSupervised(w.network, recipe(batch), backend, batch, 1);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  const random = rng(11);
  const inputs: Record<string, ArrayLike<number>> = { [LR_INPUT]: new Float32Array([1e-3]), [STEP_INPUT]: new Int32Array(1) };
  for (const f of r.model.feeds) {
    const n = batch * f.spec.shape.reduce((a, b) => a * b, 1);
    inputs[f.input] = f.spec.dtype === 'i32' ? Int32Array.from({ length: n }, () => Math.floor(random() * 10)) : Float32Array.from({ length: n }, () => random() * 2 - 1);
  }
  const losses: number[] = [];
  losses.push((await r.model.train.run(inputs)).loss[0]);
  const allocations = backend.allocations, crossings = backend.threadCrossings;
  for (let i = 1; i < 3; i++) losses.push((await r.model.train.run(inputs)).loss[0]);
  const exe = r.model.train;
  // at most one job per large matmul (or batch of products) and per shared kernel
  const products = exe.plan.steps.filter((s) => s.op === 'run' && (s.kernel.prim === Prim.MatMul || s.kernel.prim === Prim.Conv2d)).length;
  const shared = exe instanceof CpuExecutable ? exe.sharedKernels : -1;
  expect(backend.allocations - allocations, 'allocations in steady-state steps').toBe(0);
  expect((backend.threadCrossings - crossings) / 2, 'crossings per step').toBeLessThanOrEqual(products + shared);
  return { losses, shared };
}

describe('training steps with shared elementwise kernels', () => {
  // W5 at its batch 32: the feed-forward activations ([2048, 512]) are above PARALLEL_ELEMENTS
  for (const [id, batch] of [['W5', 32]] as const) {
    it(`${id}: three steps give the single-thread losses bit for bit, allocation-free, one crossing per job at most`, async () => {
      const pool = new NodeThreadPool(1);
      try {
        const threaded = await trainLosses(await threadedBackend(pool), id, batch);
        const single = await trainLosses(new CpuBackend('f32'), id, batch);
        expect(threaded.shared).toBeGreaterThan(0);
        expect(single.shared).toBe(0);
        expect(threaded.losses).toEqual(single.losses);
      } finally {
        pool.close();
      }
    });
  }
});
