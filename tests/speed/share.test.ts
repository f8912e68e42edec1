/**
 * @file Work sharing (threadPool.ts `Jobs.share`): the caller claims chunks alongside the workers
 * and never waits for a worker that has not started. Here worker 0's slot exists but no thread
 * serves it (a descheduled worker): the caller must take every chunk, each exactly once, and the
 * next job must not be posted to the worker still owing the previous one. With a real worker,
 * chunks are taken once each between the two threads. Workers that keep missing their share (a
 * loaded machine) make the caller run the next jobs alone for a while.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../core/backends/cpu/cpuBackend';
import { gemm } from '../../core/backends/cpu/wasm/gemm';
import { HELP_FLOOR, HOLD_OFF, Jobs, WORD } from '../../core/backends/cpu/wasm/threadPool';
import { wasmApi } from '../../core/backends/cpu/wasm/webassembly';
import { NodeThreadPool } from '../../electron/engine/threads/nodeThreadPool';

describe('work sharing between the caller and the workers', () => {
  it('the caller takes every chunk when the worker never shows up, and skips it while it owes a job', () => {
    const memory = new (wasmApi()!.Memory)({ initial: 1, maximum: 1, shared: true });
    const jobs = new Jobs(memory, 0, 1);
    jobs.bind();
    for (const [job, chunks] of [[0, 7], [1, 5], [2, 1]]) {
      const posted = jobs.share(0, chunks, 1);
      expect(posted, `job ${job}`).toBe(job === 0 ? 1 : 0); // posted once, then it owes that job
      const taken: number[] = [];
      for (let i = jobs.claim(); i >= 0; i = jobs.claim()) {
        taken.push(i);
        jobs.finish();
      }
      jobs.join(chunks);
      expect(taken).toEqual(Array.from({ length: chunks }, (_, i) => i));
    }
    expect(jobs.crossings).toBe(1);
  });

  it('runs jobs alone for a while when the workers keep taking less than their share, then tries again', () => {
    const memory = new (wasmApi()!.Memory)({ initial: 1, maximum: 1, shared: true });
    const jobs = new Jobs(memory, 0, 1);
    jobs.bind();
    const slot = new Int32Array(memory.buffer, 0, 64);
    const posted: number[] = [];
    for (let job = 0; job < 7 + HOLD_OFF + 1; job++) {
      posted.push(jobs.share(0, 8, 1));
      for (let i = jobs.claim(); i >= 0; i = jobs.claim()) jobs.finish();
      jobs.join(8);
      Atomics.store(slot, WORD.done, Atomics.load(slot, WORD.seq)); // the worker "finished" without claiming
    }
    // help 1 → 7/8 per job: below HELP_FLOOR after 7 jobs, then HOLD_OFF jobs alone, then a retry
    expect(posted.slice(0, 7)).toEqual(new Array<number>(7).fill(1));
    expect(posted.slice(7, 7 + HOLD_OFF)).toEqual(new Array<number>(HOLD_OFF).fill(0));
    expect(posted[7 + HOLD_OFF]).toBe(1);
    expect(HELP_FLOOR).toBeGreaterThan((7 / 8) ** 7);
  });

  it('with a live worker, a shared product is computed once per element (same as one thread)', async () => {
    const pool = new NodeThreadPool(1);
    const threaded = new CpuBackend('f32', { threads: pool });
    const single = new CpuBackend('f32');
    try {
      for (let i = 0; i < 200 && threaded.runtime!.threads() < 2; i++) await new Promise((r) => setTimeout(r, 10));
      const run = (be: CpuBackend, acc: boolean): Float32Array => {
        const rt = be.runtime!;
        const [m, n, k] = [96, 1000, 70];
        const a = rt.alloc(m * k * 4), b = rt.alloc(k * n * 4), c = rt.alloc(m * n * 4);
        rt.f32(a, m * k).forEach((_, i, v) => { v[i] = Math.sin(i); });
        rt.f32(b, k * n).forEach((_, i, v) => { v[i] = Math.cos(i); });
        rt.f32(c, m * n).fill(1);
        for (let r = 0; r < 5; r++) gemm(rt, m, n, k, a, k, 1, b, n, 1, c, n, acc); // accumulating 5 times: a chunk done twice would show
        return rt.f32(c, m * n).slice();
      };
      for (const acc of [false, true]) expect(Array.from(run(threaded, acc))).toEqual(Array.from(run(single, acc)));
      expect(threaded.threadCrossings).toBeGreaterThan(0);
    } finally {
      pool.close();
    }
  });
});
