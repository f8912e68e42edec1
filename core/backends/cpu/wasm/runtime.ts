/**
 * @file One WebAssembly instance per f32 CPU backend: the memory every plan buffer lives in (so
 * kernels take buffers by pointer, no copies), a first-fit allocator over it, the generated
 * kernels, and the thread pool's job queue. Memory layout: [control slots | one GEMM workspace per
 * thread | plan buffers ...], 16-byte aligned. Shared memory (threads) never detaches on growth;
 * unshared memory does, so `epoch` counts growths and executables re-cut their views.
 */
import { encodeModule, type Fn } from './emit';
import { gemmFunctions, WORKSPACE_BYTES } from './gemmKernel';
import { Jobs, type ThreadPool } from './threadPool';
import { PAGE, wasmApi, wasmFeatures, type WasmMemory, type WasmModule } from './webassembly';

const MAX_PAGES = 32768; // 2 GiB: pointers stay positive i32
const align16 = (n: number): number => (n + 15) & ~15;

export type Kernels = {
  gemm(m: number, n: number, k: number, a: number, sai: number, sap: number, b: number, sbp: number, sbj: number, c: number, ldc: number, acc: number, ws: number): void;
  gemmBatch(count: number, sa: number, sb: number, sc: number, m: number, n: number, k: number, a: number, sai: number, sap: number, b: number, sbp: number, sbj: number, c: number, ldc: number, ws: number): void;
  gemmPart(m: number, n: number, k: number, a: number, sai: number, sap: number, b: number, sbp: number, sbj: number, c: number, ldc: number, acc: number, ws: number, unit: number, byCols: number, unused: number, idx: number): void;
  gemmBatchPart(count: number, sa: number, sb: number, sc: number, m: number, n: number, k: number, a: number, sai: number, sap: number, b: number, sbp: number, sbj: number, c: number, ldc: number, ws: number, idx: number): void;
};
export const EXPORTS = ['packB', 'packA', 'macro', 'gemm', 'gemmBatch', 'gemmPart', 'gemmBatchPart'] as const;
export const FN_GEMM_PART = EXPORTS.indexOf('gemmPart');
export const FN_GEMM_BATCH_PART = EXPORTS.indexOf('gemmBatchPart');

export class WasmRuntime {
  readonly memory: WasmMemory;
  readonly module: WasmModule;
  readonly kernels: Kernels;
  readonly shared: boolean;
  readonly relaxed: boolean;
  readonly jobs: Jobs | undefined;
  /** byte offset of thread t's GEMM workspace (t = 0 is the calling thread) */
  readonly workspace: number[];
  /** bumped whenever unshared memory grows (views detach) */
  epoch = 0;
  private top: number;
  private readonly freeList: { at: number; bytes: number }[] = [];

  private readonly pool: ThreadPool | undefined;
  /** the function index the next loaded export gets on the workers */
  private nextFn: number = EXPORTS.length;

  private constructor(pool: ThreadPool | undefined) {
    const api = wasmApi();
    const f = wasmFeatures();
    if (api === undefined || !f.simd) throw new Error('cpu: WebAssembly SIMD128 is not available in this runtime');
    this.shared = f.sharedMemory;
    this.relaxed = f.relaxedSimd;
    const workers = this.shared && pool !== undefined ? pool.workers : 0;
    const control = workers > 0 ? Jobs.bytes(workers) : 0;
    this.workspace = Array.from({ length: workers + 1 }, (_, t) => align16(control) + t * WORKSPACE_BYTES);
    this.top = align16(control) + (workers + 1) * WORKSPACE_BYTES;
    const pages = Math.ceil(this.top / PAGE) + 16;
    this.memory = new api.Memory({ initial: pages, maximum: MAX_PAGES, shared: this.shared });
    this.module = new api.Module(encodeModule(gemmFunctions(this.relaxed), { pages: 1, maxPages: MAX_PAGES, shared: this.shared }));
    this.kernels = new api.Instance(this.module, { env: { memory: this.memory } }).exports as unknown as Kernels;
    if (workers > 0 && pool !== undefined) {
      this.jobs = new Jobs(this.memory, 0, workers);
      this.jobs.bind();
      pool.start(this.module, this.memory, 0, EXPORTS);
      this.pool = pool;
    }
  }

  /** A runtime, or undefined where WebAssembly SIMD is missing (the plain-JS kernels run then). */
  static create(pool?: ThreadPool): WasmRuntime | undefined {
    const api = wasmApi();
    if (api === undefined || !wasmFeatures().simd) return undefined;
    return new WasmRuntime(pool);
  }

  /** Compiles generated functions (names[i] for fns[i]) into one module over this runtime's memory. */
  instantiate(fns: readonly Fn[], names: readonly string[]): { module: WasmModule; exports: Record<string, unknown> } {
    const api = wasmApi();
    if (api === undefined) throw new Error('cpu: WebAssembly is not available');
    const module = new api.Module(encodeModule(fns, { pages: 1, maxPages: MAX_PAGES, shared: this.shared }, names));
    return { module, exports: new api.Instance(module, { env: { memory: this.memory } }).exports };
  }

  /**
   * Hands a module compiled by `instantiate` to the workers; returns the worker function index of
   * names[0] (the others follow), or -1 without workers.
   */
  share(module: WasmModule, names: readonly string[]): number {
    if (this.pool === undefined || this.jobs === undefined) return -1;
    const first = this.nextFn;
    this.pool.load(module, names);
    this.nextFn += names.length;
    return first;
  }

  /** Threads that take part in a kernel now (workers still starting up are left out). */
  threads(): number {
    return 1 + (this.jobs?.alive() ?? 0);
  }

  /** Byte offset of a fresh 16-byte aligned block (first fit in freed blocks, else the top). */
  alloc(bytes: number): number {
    const size = align16(Math.max(bytes, 16));
    const i = this.freeList.findIndex((b) => b.bytes >= size);
    if (i >= 0) {
      const b = this.freeList[i];
      const at = b.at;
      if (b.bytes === size) this.freeList.splice(i, 1);
      else {
        b.at += size;
        b.bytes -= size;
      }
      return at;
    }
    const at = this.top;
    this.top += size;
    const have = this.memory.buffer.byteLength;
    if (this.top > have) {
      const pages = Math.ceil((this.top - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) throw new Error(`cpu: the model needs more than ${MAX_PAGES * PAGE / 2 ** 30} GiB of tensor memory`);
      this.memory.grow(Math.min(MAX_PAGES - have / PAGE, Math.max(pages, (have / PAGE) >> 2)));
      if (!this.shared) this.epoch++;
    }
    return at;
  }

  private scratchAt = 0;
  private scratchBytes = 0;

  /**
   * A scratch block of at least `bytes` shared by every kernel (kernels run one after another).
   * Called at prepare; a bigger request moves it (earlier kernels keep their smaller old block).
   */
  scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      this.scratchAt = this.alloc(bytes);
      this.scratchBytes = bytes;
    }
    return this.scratchAt;
  }

  free(at: number, bytes: number): void {
    this.freeList.push({ at, bytes: align16(Math.max(bytes, 16)) });
  }

  f32(at: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, length);
  }

  i32(at: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, at, length);
  }
}
