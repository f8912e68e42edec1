/**
 * @file The browser adapter of core's `ThreadPool`: Web Workers (from a Blob URL of a
 * self-contained source, like the Node adapter's eval'd string) that instantiate the kernel module
 * over the shared WebAssembly memory and serve jobs through the control slots (protocol in
 * core/backends/cpu/wasm/threadPool.ts). Only in a cross-origin isolated page (served with
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`):
 * elsewhere there is no SharedArrayBuffer and `createBrowserThreadPool` says why (one thread).
 *
 * Modules handed over by `load` (at prepare). A worker blocked in `Atomics.wait` runs no message
 * handler and a worker has no receiveMessageOnPort, so a worker only reads its messages when a job
 * names a function index it does not have yet: it then leaves its job loop for the event loop
 * (`await`) until the module messages up to that index have been delivered. This depends on no
 * timing: `load` posts the module before any job can name its exports (core's runtime hands it over
 * at prepare, jobs come at run), messages from one sender arrive in order, and delivery to a worker
 * does not need the posting thread to yield. Meanwhile nobody waits for this worker: core's shared
 * jobs never wait for a worker that has not claimed a chunk (the caller takes them all).
 *
 * The calling thread may be the page's main thread, where `Atomics.wait` is not allowed: `Jobs`
 * then only spins (threadPool.ts `canBlock`); the workers block as usual.
 */
import { workerLoopSource, type ThreadPool } from '../../../core/backends/cpu/wasm/threadPool';

const workerSource = `
'use strict';
let started = false, arrived = null;
const queue = [];
self.onmessage = (e) => {
  if (!started) {
    started = true;
    serve(e.data).catch((err) => self.postMessage({ error: String(err && err.stack || err) }));
    return;
  }
  queue.push(e.data);
  if (arrived !== null) { const r = arrived; arrived = null; r(); }
};
async function serve({ module, memory, control, index, workers, names }) {
  const instantiate = (m) => new WebAssembly.Instance(m, { env: { memory } }).exports;
  const first = instantiate(module);
  const fns = names.map((n) => first[n]);
  // modules loaded later (pool.load): read from the event loop when a job first needs one
  const need = async (fn) => {
    while (fn >= fns.length) {
      if (queue.length === 0) await new Promise((r) => { arrived = r; });
      const m = queue.shift();
      const x = instantiate(m.module);
      for (const n of m.names) fns.push(x[n]);
    }
  };
${workerLoopSource(true)}
  self.close();
}
`;

export class BrowserThreadPool implements ThreadPool {
  private readonly threads: Worker[] = [];
  private url: string | undefined;
  /** why a worker failed (it then never reports alive, and the calling thread works alone) */
  readonly errors: string[] = [];

  constructor(readonly workers: number) {}

  start(module: object, memory: object, controlBase: number, exportNames: readonly string[]): void {
    this.url ??= URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    for (let index = 0; index < this.workers; index++) {
      const w = new Worker(this.url, { name: `brrr-cpu-${index + 1}` });
      w.onmessage = (e: MessageEvent<{ error?: string }>) => {
        if (e.data.error !== undefined) this.errors.push(`cpu worker ${index + 1}: ${e.data.error}`);
      };
      w.onerror = (e) => {
        this.errors.push(`cpu worker ${index + 1}: ${e.message}`);
      };
      w.postMessage({ module, memory, control: controlBase, index, workers: this.workers, names: [...exportNames] });
      this.threads.push(w);
    }
  }

  load(module: object, exportNames: readonly string[]): void {
    for (const w of this.threads) w.postMessage({ module, names: [...exportNames] });
  }

  close(): void {
    for (const w of this.threads) w.terminate();
    this.threads.length = 0;
    if (this.url !== undefined) URL.revokeObjectURL(this.url);
    this.url = undefined;
  }
}

export interface ThreadChoice {
  /** undefined: the CPU backend runs on the calling thread alone */
  pool: BrowserThreadPool | undefined;
  /** why, in words (shown to the user or logged) */
  reason: string;
}

/**
 * The worker pool for the CPU backend, or why there is none. `workers` defaults to one per core
 * besides the calling thread (`navigator.hardwareConcurrency`).
 */
export function createBrowserThreadPool(workers?: number): ThreadChoice {
  if (globalThis.crossOriginIsolated !== true || typeof SharedArrayBuffer !== 'function') {
    return { pool: undefined, reason: 'one thread: the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so there is no shared memory for worker threads' };
  }
  if (typeof Worker !== 'function' || typeof Blob !== 'function' || typeof URL.createObjectURL !== 'function') {
    return { pool: undefined, reason: 'one thread: this context cannot start Web Workers from a Blob URL' };
  }
  const n = workers ?? Math.max(0, (globalThis.navigator?.hardwareConcurrency ?? 1) - 1);
  if (!(Number.isInteger(n) && n >= 1)) {
    return { pool: undefined, reason: workers === undefined ? 'one thread: the browser reports a single core' : `one thread: ${String(workers)} worker threads asked for` };
  }
  return { pool: new BrowserThreadPool(n), reason: `${n + 1} threads: ${n} Web Worker${n === 1 ? '' : 's'} besides the calling thread, over shared WebAssembly memory` };
}
