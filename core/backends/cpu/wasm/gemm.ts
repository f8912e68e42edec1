/**
 * @file GEMM on the WebAssembly kernels, shared across threads: C is cut into chunks of columns
 * (multiples of NR) or rows (multiples of MR), whichever dimension is larger, about CHUNKS_PER_THREAD
 * per thread, which the threads claim one by one (threadPool.ts: a descheduled worker is never
 * waited for; the caller takes its chunks); each thread packs its own panels into its own
 * workspace. Batched products are shared by matrices instead when there are at least as many
 * matrices as threads. Every element of C is computed by one thread in the same k order, so the
 * result does not depend on who took which chunk. Pointers are byte offsets into the runtime's
 * memory; strides are in elements (see gemmKernel.ts).
 */
import { MR, NR } from './gemmKernel';
import { FN_GEMM_BATCH_PART, FN_GEMM_PART, type WasmRuntime } from './runtime';

/**
 * Below this many flops one thread does the whole product: a crossing costs ~2–30 µs on a quiet
 * machine and far more when the worker has been descheduled (a loaded machine), while 8 MFLOP take
 * ~200 µs on one thread, so smaller products gain little from a second thread and risk much.
 */
export const PARALLEL_FLOPS = 1 << 23;

/**
 * Chunks per thread of a shared product: enough to even out a slow thread, few enough to pack
 * little twice (each column chunk packs all of A: 4 chunks of a 512³ product cost ~2% on one
 * thread, 8 chunks ~7%).
 */
export const CHUNKS_PER_THREAD = 2;

export function gemm(
  rt: WasmRuntime, m: number, n: number, k: number,
  a: number, sai: number, sap: number, b: number, sbp: number, sbj: number,
  c: number, ldc: number, acc: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!acc) for (let i = 0; i < m; i++) rt.f32(c + i * ldc * 4, n).fill(0);
    return;
  }
  const threads = 2 * m * n * k < PARALLEL_FLOPS ? 1 : rt.threads();
  const jobs = rt.jobs;
  const byCols = n >= m;
  const step = byCols ? NR : MR;
  const extent = byCols ? n : m;
  const unit = Math.ceil(extent / (threads * CHUNKS_PER_THREAD) / step) * step;
  const chunks = Math.ceil(extent / unit);
  if (threads === 1 || jobs === undefined || chunks < 2) {
    rt.kernels.gemm(m, n, k, a, sai, sap, b, sbp, sbj, c, ldc, acc ? 1 : 0, rt.workspace[0]);
    return;
  }
  const flag = acc ? 1 : 0, cols = byCols ? 1 : 0;
  for (let t = 1; t < threads; t++) {
    const args = jobs.argViews[t - 1];
    args[0] = m; args[1] = n; args[2] = k; args[3] = a; args[4] = sai; args[5] = sap;
    args[6] = b; args[7] = sbp; args[8] = sbj; args[9] = c; args[10] = ldc; args[11] = flag;
    args[12] = rt.workspace[t]; args[13] = unit; args[14] = cols;
  }
  jobs.share(FN_GEMM_PART, chunks, threads - 1);
  const ws = rt.workspace[0];
  for (let i = jobs.claim(); i >= 0; i = jobs.claim()) {
    rt.kernels.gemmPart(m, n, k, a, sai, sap, b, sbp, sbj, c, ldc, flag, ws, unit, cols, 0, i);
    jobs.finish();
  }
  jobs.join(chunks);
}

/** `count` products C_t = opA_t · opB_t (C overwritten); sa/sb/sc advance the pointers in elements, 0 broadcasts. */
export function gemmBatch(
  rt: WasmRuntime, count: number, sa: number, sb: number, sc: number, m: number, n: number, k: number,
  a: number, sai: number, sap: number, b: number, sbp: number, sbj: number, c: number,
): void {
  if (count === 0) return;
  const threads = 2 * m * n * k * count < PARALLEL_FLOPS ? 1 : rt.threads();
  const jobs = rt.jobs;
  if (k === 0 || threads === 1 || jobs === undefined || count < threads) {
    for (let t = 0; t < count; t++) gemm(rt, m, n, k, a + t * sa * 4, sai, sap, b + t * sb * 4, sbp, sbj, c + t * sc * 4, n, false);
    return;
  }
  for (let t = 1; t < threads; t++) {
    const args = jobs.argViews[t - 1];
    args[0] = count; args[1] = sa; args[2] = sb; args[3] = sc;
    args[4] = m; args[5] = n; args[6] = k;
    args[7] = a; args[8] = sai; args[9] = sap;
    args[10] = b; args[11] = sbp; args[12] = sbj;
    args[13] = c; args[14] = n; args[15] = rt.workspace[t];
  }
  jobs.share(FN_GEMM_BATCH_PART, count, threads - 1);
  const ws = rt.workspace[0];
  for (let i = jobs.claim(); i >= 0; i = jobs.claim()) {
    rt.kernels.gemmBatchPart(count, sa, sb, sc, m, n, k, a, sai, sap, b, sbp, sbj, c, n, ws, i);
    jobs.finish();
  }
  jobs.join(count);
}
