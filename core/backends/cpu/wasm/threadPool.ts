/**
 * @file Threads for the WebAssembly kernels, without postMessage per kernel. Core stays pure: a
 * `ThreadPool` (Node worker_threads in electron/engine/threads, Web Workers in a cross-origin
 * isolated page) only starts workers that instantiate the kernel module over the shared memory
 * and then serve jobs from their control slot; `Jobs` is the main-thread side of that protocol.
 *
 * Control slot of worker w: SLOT_BYTES at `base + w·SLOT_BYTES`, i32 words:
 *   SEQ   job sequence number, bumped by the main thread after writing FN and ARGS (then notify)
 *   DONE  the worker copies SEQ here when the job is finished (then notify)
 *   ALIVE 1 once the worker has instantiated the module and waits for jobs
 *   FN    index into the exported function names given to `start`; -1 asks the worker to exit
 *   ARGS  MAX_ARGS i32 arguments
 * Workers spin briefly on SEQ before `Atomics.wait` (a kernel usually follows soon); the main
 * thread spins then waits on DONE. A job = one thread crossing each way; `crossings` counts them.
 */
import type { WasmMemory, WasmModule } from './webassembly';

export const SLOT_BYTES = 256;
export const WORD = { seq: 0, done: 1, alive: 2, fn: 3, args: 4 } as const;
export const MAX_ARGS = 16;
export const SPIN = 20000;

export interface ThreadPool {
  /** worker threads besides the calling thread */
  readonly workers: number;
  /** Start every worker on `module` (imports `env.memory`) serving jobs from its slot at `controlBase`. */
  start(module: WasmModule, memory: WasmMemory, controlBase: number, exportNames: readonly string[]): void;
  /** Ask the workers to exit. */
  close(): void;
}

export class Jobs {
  /** jobs handed to workers (each one crossing there and one back) */
  crossings = 0;
  private readonly seq: number[];
  private aliveCount = 0;

  constructor(private readonly memory: WasmMemory, private readonly base: number, readonly workers: number) {
    this.seq = new Array<number>(workers).fill(0);
  }

  private ctl(w: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.base + w * SLOT_BYTES, SLOT_BYTES / 4);
  }

  /** Workers ready to take jobs (started ones appear as they finish instantiating). */
  alive(): number {
    if (this.aliveCount === this.workers) return this.aliveCount;
    let n = 0;
    while (n < this.workers && Atomics.load(this.ctl(n), WORD.alive) === 1) n++;
    this.aliveCount = n;
    return n;
  }

  private ctlViews: Int32Array[] = [];
  /** argument words of each worker's slot, filled before `post` */
  argViews: Int32Array[] = [];

  /** Views are cut once; the control block sits at the bottom of memory and never moves. */
  bind(): void {
    this.ctlViews = Array.from({ length: this.workers }, (_, w) => this.ctl(w));
    this.argViews = this.ctlViews.map((v) => v.subarray(WORD.args, WORD.args + MAX_ARGS));
  }

  post(w: number, fn: number): void {
    const ctl = this.ctlViews[w];
    ctl[WORD.fn] = fn;
    const s = ++this.seq[w];
    Atomics.store(ctl, WORD.seq, s);
    Atomics.notify(ctl, WORD.seq);
    this.crossings++;
  }

  wait(w: number): void {
    const ctl = this.ctlViews[w];
    const s = this.seq[w];
    for (let i = 0; i < SPIN; i++) if (Atomics.load(ctl, WORD.done) === s) return;
    for (;;) {
      const d = Atomics.load(ctl, WORD.done);
      if (d === s) return;
      Atomics.wait(ctl, WORD.done, d, 50);
    }
  }

  stop(): void {
    for (let w = 0; w < this.workers; w++) {
      const ctl = this.ctlViews[w];
      ctl[WORD.fn] = -1;
      Atomics.store(ctl, WORD.seq, ++this.seq[w]);
      Atomics.notify(ctl, WORD.seq);
    }
  }
}
