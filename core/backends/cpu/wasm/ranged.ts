/**
 * @file Elementwise kernels and row/column reductions shared between threads: a ranged kernel
 * f(pointers..., lo, hi) (kernelModule.ts) computes each row (or column) the same whoever runs it,
 * so cutting [0, extent) into contiguous chunks gives results bit-identical to one thread. Chunks
 * are claimed as for the GEMM (threadPool.ts: the caller never waits for a worker that has not
 * started; workers that keep missing their share make the caller run the next jobs alone).
 */
import type { LinkedFn } from './kernelModule';
import type { F32Step } from './matmul';
import type { WasmRuntime } from './runtime';
import { MAX_ARGS } from './threadPool';

/**
 * At and above this many elements a ranged kernel is shared. Measured on the 2-core box under load
 * (another job's two busy threads): a 6-leaf Adam-like chain, memory-bound, 16K elements 45 µs
 * alone, +30 µs shared; 64K 185 µs, +50–90 µs; 128K and up even — a job costs ~20–50 µs of
 * crossing and chunk bookkeeping when the worker is descheduled. Whole W5 steps on 2 threads
 * (bench/profile.ts, 3 alternating runs): sharing from 128K (~40 jobs per step) 14.2 steps/s,
 * from 512K (~22) 15.2, never 15.1. So only the largest kernels (W5's feed-forward activations and
 * attention scores) are shared; the hold-off (threadPool.ts) bounds the loss when the worker
 * gets no time slice.
 */
export const PARALLEL_ELEMENTS = 1 << 19;
/** Rows an elementwise kernel to be shared is cut into at least (simdgen.ts picks a deeper split). */
export const SHARED_MIN_ROWS = 32;
/** Chunks per thread of a shared range: a slow thread's last chunk is taken by the others. */
export const RANGE_CHUNKS_PER_THREAD = 2;

/** Whether a kernel of `elements` elements over `extent` rows is worth preparing as shared. */
export function shareable(rt: WasmRuntime | undefined, elements: number, extent: number): rt is WasmRuntime {
  return rt !== undefined && rt.jobs !== undefined && elements >= PARALLEL_ELEMENTS && extent >= 2;
}

/**
 * A step over [0, extent) of `slot` (added with `pointers` = inputs + 1): the pointers are the
 * inputs' and the output's byte offsets. Chunks are multiples of `align` (except the last).
 */
export function rangedStep(rt: WasmRuntime, slot: LinkedFn, pointers: number, extent: number, align: number): F32Step {
  // ARGS of the part wrapper: pointers..., unit, extent (one array per step: no allocation per run)
  const args = new Int32Array(MAX_ARGS);
  args[pointers + 1] = extent;
  return (x, o) => {
    for (let i = 0; i < x.length; i++) args[i] = x[i].byteOffset;
    args[pointers - 1] = o.byteOffset;
    runRanged(rt, slot, args, pointers, extent, align);
  };
}

function runRanged(rt: WasmRuntime, slot: LinkedFn, a: Int32Array, pointers: number, extent: number, align: number): void {
  const threads = rt.threads();
  const jobs = rt.jobs;
  const unit = Math.ceil(extent / (threads * RANGE_CHUNKS_PER_THREAD) / align) * align;
  const chunks = Math.ceil(extent / unit);
  if (threads === 1 || jobs === undefined || slot.job < 0 || chunks < 2) {
    a[pointers] = extent;
    slot.part(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], 0);
    return;
  }
  a[pointers] = unit;
  for (let t = 1; t < threads; t++) jobs.argViews[t - 1].set(a);
  jobs.share(slot.job, chunks, threads - 1);
  for (let i = jobs.claim(); i >= 0; i = jobs.claim()) {
    slot.part(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], i);
    jobs.finish();
  }
  jobs.join(chunks);
}
