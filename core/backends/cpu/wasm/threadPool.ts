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
 *   BASE, END  a shared job: the chunk range [BASE, END) of the team counter
 * After the workers' slots, one team slot: NEXT (next chunk to claim, monotonic) and FINISHED
 * (chunks completed, monotonic).
 *
 * Shared jobs (work sharing): the caller and every posted worker claim chunks by compare-and-swap
 * on NEXT while NEXT < END and call FN(ARGS..., chunk − BASE); each completed chunk bumps
 * FINISHED. The caller returns once FINISHED has advanced by the job's chunk count, never waiting
 * for a worker that has not started: a descheduled worker (a loaded machine) costs nothing, the
 * caller simply does every chunk. A late worker finds NEXT ≥ its END and stops without claiming
 * (the compare-and-swap never moves NEXT past END, so it cannot take a later job's chunk), and a
 * worker is only posted a new job once its DONE shows the previous one finished. When the workers
 * keep taking less than their share of chunks, the caller runs the next jobs alone (`Jobs.help`).
 * Workers spin briefly on SEQ before `Atomics.wait`; the main thread spins then waits on DONE or
 * FINISHED. A job = one thread crossing each way; `crossings` counts them. Function indices: the
 * exports named at `start`, then those of each `load`ed module in order. Where the calling thread
 * may not block (a page's main thread: `Atomics.wait` throws there), the main thread only spins.
 */
import type { WasmMemory, WasmModule } from './webassembly';

export const SLOT_BYTES = 256;
export const MAX_ARGS = 16;
export const WORD = { seq: 0, done: 1, alive: 2, fn: 3, args: 4, base: 4 + MAX_ARGS, end: 5 + MAX_ARGS } as const;
/** words of the team slot */
export const TEAM = { next: 0, finished: 1 } as const;
export const SPIN = 20000;
/**
 * Polls of SEQ by an idle worker before it sleeps. Short: on a machine with more runnable threads
 * than cores a spinning worker takes the time slices the calling thread needs for the kernels it
 * runs alone; a sleeping one costs a wake-up (~10–50 µs) per shared product (≥ 8 MFLOP, ≥ 150 µs).
 */
export const WORKER_SPIN = 1000;
/** see `Jobs.help` */
export const HELP_FLOOR = 0.4;
export const HOLD_OFF = 64;
/** polls of a worker's DONE before a shared job goes on without it */
export const IDLE_SPIN = 2000;

let blocking: boolean | undefined;

/**
 * Whether this thread may block in `Atomics.wait` (probed once): false on a page's main thread,
 * where the check precedes the value comparison, so a wait on a mismatching value throws.
 */
export function canBlock(): boolean {
  if (blocking === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blocking = true;
    } catch {
      blocking = false;
    }
  }
  return blocking;
}

export interface ThreadPool {
  /** worker threads besides the calling thread */
  readonly workers: number;
  /** Start every worker on `module` (imports `env.memory`) serving jobs from its slot at `controlBase`. */
  start(module: WasmModule, memory: WasmMemory, controlBase: number, exportNames: readonly string[]): void;
  /**
   * Hands every worker one more module over the same memory (an executable's generated kernels, at
   * prepare): its exports get the next function indices after those of `start` and earlier loads.
   * No crossing: a worker instantiates it when first given one of its indices.
   */
  load(module: WasmModule, exportNames: readonly string[]): void;
  /** Ask the workers to exit. */
  close(): void;
}

/**
 * The worker side of the protocol as JavaScript source, for an adapter's worker script. In scope
 * there: `memory`, `control`, `index`, `workers`, the function table `fns`, and `need(fn)` that
 * makes `fns[fn]` exist (awaited when `awaitNeed`, inside an async function). It serves jobs from
 * slot `index` until asked to exit, then marks the worker not alive.
 */
export function workerLoopSource(awaitNeed: boolean): string {
  const call = Array.from({ length: MAX_ARGS }, (_, i) => `ctl[A + ${i}]`).join(', ');
  return `
  const ctl = new Int32Array(memory.buffer, control + index * ${SLOT_BYTES}, ${SLOT_BYTES / 4});
  const team = new Int32Array(memory.buffer, control + workers * ${SLOT_BYTES}, ${SLOT_BYTES / 4});
  const A = ${WORD.args};
  let seen = Atomics.load(ctl, ${WORD.seq});
  Atomics.store(ctl, ${WORD.alive}, 1);
  for (;;) {
    let s = Atomics.load(ctl, ${WORD.seq});
    for (let i = 0; s === seen && i < ${WORKER_SPIN}; i++) s = Atomics.load(ctl, ${WORD.seq});
    if (s === seen) { Atomics.wait(ctl, ${WORD.seq}, seen); continue; }
    seen = s;
    const fn = ctl[${WORD.fn}];
    if (fn < 0) break;
    if (fn >= fns.length) ${awaitNeed ? 'await ' : ''}need(fn);
    const end = ctl[${WORD.end}];
    if (end < 0) fns[fn](${call});
    else {
      // a shared job: claim chunks below end by compare-and-swap (never moving NEXT past end)
      const base = ctl[${WORD.base}];
      for (;;) {
        const v = Atomics.load(team, ${TEAM.next});
        if (v >= end) break;
        if (Atomics.compareExchange(team, ${TEAM.next}, v, v + 1) !== v) continue;
        fns[fn](${call}, v - base);
        Atomics.add(team, ${TEAM.finished}, 1);
        Atomics.notify(team, ${TEAM.finished});
      }
    }
    Atomics.store(ctl, ${WORD.done}, s);
    Atomics.notify(ctl, ${WORD.done});
  }
  Atomics.store(ctl, ${WORD.alive}, 0);`;
}

export class Jobs {
  /** jobs handed to workers (each one crossing there and one back) */
  crossings = 0;
  private readonly seq: number[];
  private aliveCount = 0;
  /** false: spin only (see `canBlock`) */
  private readonly block = canBlock();

  constructor(private readonly memory: WasmMemory, private readonly base: number, readonly workers: number) {
    this.seq = new Array<number>(workers).fill(0);
  }

  /** Bytes of control memory for `workers` workers (their slots and the team slot). */
  static bytes(workers: number): number {
    return (workers + 1) * SLOT_BYTES;
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
    this.team = this.ctl(this.workers);
  }

  private team: Int32Array = new Int32Array(0);
  private jobBase = 0;
  private jobEnd = 0;
  private finishedBase = 0;

  /** Whether worker w has finished every job it was given (it may take a new one). */
  idle(w: number): boolean {
    return Atomics.load(this.ctlViews[w], WORD.done) === this.seq[w];
  }

  /**
   * Starts a shared job of `chunks` chunks: `fn` on every idle worker among the first `workers`
   * (their ARGS filled by the caller beforehand). Returns how many were posted; the caller then
   * runs `claim`/`finish` itself and ends with `join`.
   */
  share(fn: number, chunks: number, workers: number): number {
    const team = this.team;
    let base = Atomics.load(team, TEAM.next);
    if (base > 1 << 30 && this.ctlViews.every((_, w) => this.idle(w))) {
      // every worker is idle: no claim is in flight, so the counters may restart
      Atomics.store(team, TEAM.next, 0);
      Atomics.store(team, TEAM.finished, 0);
      base = 0;
    }
    this.jobBase = base;
    this.jobEnd = base + chunks;
    this.finishedBase = Atomics.load(team, TEAM.finished);
    this.mine = 0;
    this.posted = 0;
    if (this.holdOff > 0) {
      // the workers have not been getting CPU time: the caller runs this job alone
      this.holdOff--;
      return 0;
    }
    let posted = 0;
    for (let w = 0; w < Math.min(workers, this.workers); w++) {
      // a worker finishing the previous job stores DONE just after its last claim: allow it that
      let idle = this.idle(w);
      for (let i = 0; !idle && i < IDLE_SPIN; i++) idle = this.idle(w);
      if (!idle) continue;
      const ctl = this.ctlViews[w];
      ctl[WORD.base] = base;
      ctl[WORD.end] = this.jobEnd;
      this.send(w, fn);
      posted++;
    }
    this.posted = posted;
    return posted;
  }

  /**
   * How much of their fair share of chunks the posted workers took, averaged over recent shared
   * jobs (1: an even split; 0: the caller did everything). On a machine with more runnable threads
   * than cores a worker often gets no time slice while the caller works — and one that takes a
   * chunk and is then preempted makes the caller wait — so below HELP_FLOOR the caller runs the
   * next HOLD_OFF jobs alone (the workers sleep), then tries sharing again.
   */
  help = 1;
  private holdOff = 0;
  private mine = 0;
  private posted = 0;

  /** The next chunk of the current shared job (0-based), or -1 when all are taken (claimed by the caller). */
  claim(): number {
    const team = this.team, end = this.jobEnd;
    for (;;) {
      const v = Atomics.load(team, TEAM.next);
      if (v >= end) return -1;
      if (Atomics.compareExchange(team, TEAM.next, v, v + 1) === v) {
        this.mine++;
        return v - this.jobBase;
      }
    }
  }

  finish(): void {
    Atomics.add(this.team, TEAM.finished, 1);
  }

  /** Waits until every chunk of the current shared job is done (by whichever thread took it). */
  join(chunks: number): void {
    const team = this.team, target = this.finishedBase + chunks;
    for (let i = 0; ; i++) {
      const done = Atomics.load(team, TEAM.finished);
      if (done >= target) break;
      // workers notify FINISHED after each chunk; the timeout only bounds a lost wake-up
      if (i > SPIN && this.block) Atomics.wait(team, TEAM.finished, done, 20);
    }
    if (this.posted === 0) return;
    const fair = (chunks * this.posted) / (this.posted + 1);
    this.help += (Math.min(1, (chunks - this.mine) / fair) - this.help) / 8;
    if (this.help < HELP_FLOOR) {
      this.holdOff = HOLD_OFF;
      this.help = 1;
    }
  }

  /** A plain job: FN(ARGS...) once on worker w (ARGS filled by the caller); `wait(w)` for it. */
  post(w: number, fn: number): void {
    this.ctlViews[w][WORD.end] = -1;
    this.send(w, fn);
  }

  private send(w: number, fn: number): void {
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
      if (this.block) Atomics.wait(ctl, WORD.done, d, 50);
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
