/**
 * @file The Node adapter of core's `ThreadPool`: worker_threads that instantiate the kernel module
 * over the shared WebAssembly memory and serve jobs through the control slots (protocol in
 * core/backends/cpu/wasm/threadPool.ts). The worker is a self-contained script evaluated from a
 * string, so it needs no bundling and works the same under tests, the CLI and Electron.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { WORD, workerLoopSource, type ThreadPool } from '../../../core/backends/cpu/wasm/threadPool';

const workerSource = `
const { parentPort, receiveMessageOnPort } = require('node:worker_threads');
parentPort.once('message', ({ module, memory, control, index, workers, names, port }) => {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const fns = names.map((n) => exports[n]);
  // modules loaded later (pool.load) wait on the port; one is instantiated when a job first needs it
  const need = (fn) => {
    while (fn >= fns.length) {
      const m = receiveMessageOnPort(port);
      if (m === undefined) { Atomics.wait(ctl, ${WORD.alive}, 1, 1); continue; }
      const x = new WebAssembly.Instance(m.message.module, { env: { memory } }).exports;
      for (const n of m.message.names) fns.push(x[n]);
    }
  };
${workerLoopSource(false)}
  parentPort.close();
});
`;

export class NodeThreadPool implements ThreadPool {
  private readonly threads: Worker[] = [];
  private readonly ports: MessagePort[] = [];

  /** `workers` defaults to one per core besides the calling thread. */
  constructor(readonly workers: number = Math.max(0, availableParallelism() - 1)) {
    optimizeWasmEagerly();
  }

  start(module: object, memory: object, controlBase: number, exportNames: readonly string[]): void {
    for (let index = 0; index < this.workers; index++) {
      const w = new Worker(workerSource, { eval: true });
      w.unref(); // an idle pool never keeps the process alive
      const { port1, port2 } = new MessageChannel();
      port1.unref();
      w.postMessage({ module, memory, control: controlBase, index, workers: this.workers, names: [...exportNames], port: port2 }, [port2]);
      this.threads.push(w);
      this.ports.push(port1);
    }
  }

  load(module: object, exportNames: readonly string[]): void {
    for (const p of this.ports) p.postMessage({ module, names: [...exportNames] });
  }

  close(): void {
    for (const w of this.threads) void w.terminate();
    for (const p of this.ports) p.close();
    this.threads.length = 0;
    this.ports.length = 0;
  }
}

/**
 * V8 starts WebAssembly in its baseline compiler and tiers up per function after a while; a worker
 * serving a handful of long kernel calls would stay on baseline code for seconds. Kernel modules
 * are small, so compile them optimised up front (process-wide; affects modules compiled later).
 * Relaxed SIMD (the GEMM's fused multiply-add: ~15% faster on x86 with FMA) is standard from V8
 * 11.4 but behind a flag in Node 20's V8; enabling it must precede the feature detection of
 * core/backends/cpu/wasm/webassembly.ts, i.e. the first CPU backend (the pool is made first).
 */
export function optimizeWasmEagerly(): void {
  setFlagsFromString('--no-wasm-dynamic-tiering');
  if (Number(process.versions.node.split('.')[0]) < 22) setFlagsFromString('--experimental-wasm-relaxed-simd');
}
