/**
 * @file The page side of the browser threads test (bundled by esbuild there): the fast CPU backend
 * on the Web Worker pool of renderer/engine/threads/browserThreadPool.ts, when the factory gives
 * one, and on one thread, in the same page. `brrrThreads(workers)` trains a few W2 (MLP) steps —
 * its first product is 51 MFLOP, a shared GEMM — and runs one fused elementwise chain of 576K
 * elements (a shared kernel), on both backends, and returns the loss bits, a hash of the chain's
 * output bits (shared memory only; -1 otherwise) and the crossings.
 */
import { CpuBackend, CpuExecutable } from '../../../core/backends/cpu/cpuBackend';
import { fusedKernel } from '../../../core/backends/cpu/wasm/fast';
import { canBlock } from '../../../core/backends/cpu/wasm/threadPool';
import { KernelModule } from '../../../core/backends/cpu/wasm/kernelModule';
import { Prim } from '../../../core/ir/prims';
import { compileSupervised, LR_INPUT, STEP_INPUT } from '../../../core/train/program';
import { recipe, WORKLOADS } from '../../../bench/workloads';
import { createBrowserThreadPool } from '../../../renderer/engine/threads/browserThreadPool';
import { rng } from '../../support/rng';
import { kernel, runFast } from '../support';

export const ROWS = 192, COLS = 3001;
export const STEPS = 3;

export interface RunResult {
  threads: number;
  losses: number[];
  chainHash: number;
  sharedKernels: number;
  /** jobs handed to workers by the training steps alone, and in all */
  trainCrossings: number;
  crossings: number;
  /** every worker finished every job it was given (the chain's needs the module loaded at link) */
  idle: boolean;
}

export interface PageResult {
  isolated: boolean;
  /** whether the page's main thread may Atomics.wait (no: `Jobs` spins) */
  blocks: boolean;
  reason: string;
  errors: string[];
  threaded: RunResult | undefined;
  single: RunResult;
}

const bits = (x: number): number => new Uint32Array(Float32Array.of(x).buffer)[0];

function fnv(a: Float32Array): number {
  const u = new Uint32Array(a.buffer, a.byteOffset, a.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i], 0x01000193) >>> 0;
  return h;
}

async function run(backend: CpuBackend): Promise<RunResult> {
  const w = WORKLOADS.W2;
  const r = compileSupervised(w.network, recipe(w.batch), backend, w.batch, 1);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  const random = rng(11);
  const inputs: Record<string, ArrayLike<number>> = { [LR_INPUT]: new Float32Array([1e-3]), [STEP_INPUT]: new Int32Array(1) };
  for (const f of r.model.feeds) {
    const n = w.batch * f.spec.shape.reduce((a, b) => a * b, 1);
    inputs[f.input] = f.spec.dtype === 'i32' ? Int32Array.from({ length: n }, () => Math.floor(random() * 10)) : Float32Array.from({ length: n }, () => random() * 2 - 1);
  }
  const losses: number[] = [];
  for (let i = 0; i < STEPS; i++) losses.push(bits((await r.model.train.run(inputs)).loss[0]));
  const trainCrossings = backend.threadCrossings;
  const exe = r.model.train;
  let sharedKernels = exe instanceof CpuExecutable ? exe.sharedKernels : -1;
  // tanh(x)·y + bias over ROWS × COLS (≥ PARALLEL_ELEMENTS): shared between threads when there are any
  const chain = [
    kernel(Prim.Tanh, {}, [[ROWS, COLS]], [ROWS, COLS]),
    kernel(Prim.Mul, {}, [[ROWS, COLS], [ROWS, COLS]], [ROWS, COLS]),
    kernel(Prim.Add, {}, [[ROWS, COLS], [COLS]], [ROWS, COLS]),
  ];
  const rt = backend.runtime;
  if (rt === undefined) throw new Error('no WebAssembly runtime in this page');
  // runFast cuts its views before allocating the next block: only sound on shared memory (never detaches)
  if (!rt.shared) return { threads: rt.threads(), losses, chainHash: -1, sharedKernels, trainCrossings, crossings: backend.threadCrossings, idle: true };
  const lib = new KernelModule(rt.jobs !== undefined);
  const step = fusedKernel(chain, [[{ leaf: 0 }], [{ node: 0 }, { leaf: 1 }], [{ node: 1 }, { leaf: 2 }]], [[ROWS, COLS], [ROWS, COLS], [COLS]], lib, rt);
  if (step === undefined) throw new Error('no fused step for the chain');
  lib.link(rt);
  sharedKernels += lib.rangedSlots;
  const g = rng(5);
  const x = Float64Array.from({ length: ROWS * COLS }, () => g() * 8 - 4);
  const y = Float64Array.from({ length: ROWS * COLS }, () => g() * 2 - 1);
  const bias = Float64Array.from({ length: COLS }, () => g() - 0.5);
  const chainHash = fnv(runFast(backend, step, [x, y, bias], ROWS * COLS));
  const jobs = rt.jobs;
  let idle = jobs === undefined;
  for (let i = 0; i < 500 && !idle; i++) {
    idle = Array.from({ length: jobs!.workers }, (_, w) => jobs!.idle(w)).every(Boolean);
    if (!idle) await new Promise((r) => setTimeout(r, 10));
  }
  return { threads: rt.threads(), losses, chainHash, sharedKernels, trainCrossings, crossings: backend.threadCrossings, idle };
}

async function brrrThreads(workers: number): Promise<PageResult> {
  const choice = createBrowserThreadPool(workers);
  let threaded: RunResult | undefined;
  if (choice.pool !== undefined) {
    const backend = new CpuBackend('f32', { threads: choice.pool });
    // workers start asynchronously (Blob fetch, instantiation): wait until they report alive
    for (let i = 0; i < 500 && backend.runtime!.threads() < workers + 1; i++) await new Promise((r) => setTimeout(r, 10));
    try {
      threaded = await run(backend);
    } finally {
      choice.pool.close();
    }
  }
  const single = await run(new CpuBackend('f32'));
  return { isolated: globalThis.crossOriginIsolated, blocks: canBlock(), reason: choice.reason, errors: choice.pool?.errors ?? [], threaded, single };
}

(globalThis as unknown as { brrrThreads: typeof brrrThreads }).brrrThreads = brrrThreads;
