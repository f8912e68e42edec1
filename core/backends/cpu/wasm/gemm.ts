/**
 * @file GEMM on the WebAssembly kernels, split across threads: C is cut into one block of columns
 * (multiples of NR) or rows (multiples of MR) per thread, whichever dimension is larger; each
 * thread packs its own panels into its own workspace. Batched products are split by batch
 * ranges instead when there are at least as many matrices as threads. Pointers are byte offsets
 * into the runtime's memory; strides are in elements (see gemmKernel.ts).
 */
import { MR, NR } from './gemmKernel';
import { FN_GEMM, FN_GEMM_BATCH, type WasmRuntime } from './runtime';

/**
 * Below this many flops one thread does the whole product: a crossing costs ~2–30 µs on a quiet
 * machine and far more when the worker has been descheduled (a loaded machine), while 8 MFLOP take
 * ~200 µs on one thread, so smaller products gain little from a second thread and risk much.
 */
export const PARALLEL_FLOPS = 1 << 23;

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
  if (threads === 1 || jobs === undefined) {
    rt.kernels.gemm(m, n, k, a, sai, sap, b, sbp, sbj, c, ldc, acc ? 1 : 0, rt.workspace[0]);
    return;
  }
  const byCols = n >= m;
  const unit = byCols ? NR : MR;
  const extent = byCols ? n : m;
  const chunk = Math.ceil(extent / threads / unit) * unit;
  let posted = 0;
  for (let t = 1; t < threads; t++) {
    const lo = t * chunk;
    if (lo >= extent) break;
    const len = Math.min(chunk, extent - lo);
    const args = jobs.argViews[t - 1];
    args[0] = byCols ? m : len; args[1] = byCols ? len : n; args[2] = k;
    args[3] = byCols ? a : a + lo * sai * 4; args[4] = sai; args[5] = sap;
    args[6] = byCols ? b + lo * sbj * 4 : b; args[7] = sbp; args[8] = sbj;
    args[9] = byCols ? c + lo * 4 : c + lo * ldc * 4; args[10] = ldc; args[11] = acc ? 1 : 0; args[12] = rt.workspace[t];
    jobs.post(t - 1, FN_GEMM);
    posted++;
  }
  const len0 = Math.min(chunk, extent);
  rt.kernels.gemm(byCols ? m : len0, byCols ? len0 : n, k, a, sai, sap, b, sbp, sbj, c, ldc, acc ? 1 : 0, rt.workspace[0]);
  for (let t = 0; t < posted; t++) jobs.wait(t);
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
  const chunk = Math.ceil(count / threads);
  let posted = 0;
  for (let t = 1; t < threads; t++) {
    const lo = t * chunk;
    if (lo >= count) break;
    const args = jobs.argViews[t - 1];
    args[0] = Math.min(chunk, count - lo); args[1] = sa; args[2] = sb; args[3] = sc;
    args[4] = m; args[5] = n; args[6] = k;
    args[7] = a + lo * sa * 4; args[8] = sai; args[9] = sap;
    args[10] = b + lo * sb * 4; args[11] = sbp; args[12] = sbj;
    args[13] = c + lo * sc * 4; args[14] = n; args[15] = rt.workspace[t];
    jobs.post(t - 1, FN_GEMM_BATCH);
    posted++;
  }
  rt.kernels.gemmBatch(Math.min(chunk, count), sa, sb, sc, m, n, k, a, sai, sap, b, sbp, sbj, c, n, rt.workspace[0]);
  for (let t = 0; t < posted; t++) jobs.wait(t);
}
