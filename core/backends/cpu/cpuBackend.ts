/**
 * @file The CPU backend: executes a Plan with typed arrays, in float32 (default) or float64 (the
 * test oracle). `prepare` allocates every plan buffer once, fills constants, initialises the
 * variables and turns each step into a closure over pre-cut views, so `run` only writes the
 * inputs, calls kernels and copies the outputs out.
 *
 * Fast path (f32, WebAssembly SIMD available, on unless `wasm: false`): every buffer lives in the
 * memory of one `WasmRuntime`, and the kernels of `wasm/fast.ts` (GEMM, fused chains, ...) replace
 * the plain-JS ones step by step; the rest run in JS on views of the same memory. With a thread
 * pool and shared memory, big kernels are split across threads.
 */
import { sizeOf } from '../../ir/graph';
import type { Plan, Storage } from '../../compile/plan';
import { Prim } from '../../ir/prims';
import { initialize } from '../../random/initializers';
import type { Backend, DeviceBuffer, DtypeMode, Executable, HostArray, PrepareOptions, StepProfile } from '../backend';
import { cpuKernels, type CpuKernel, type KernelContext } from './dispatch';
import { constant } from './kernels';
import { elementwiseChains, padAddPairs, type ElementwiseChain } from '../../compile/fuse';
import { rowPatterns } from '../../compile/rowPatterns';
import { fastKernel, fusedKernel, padAddKernel, rowGroupKernel } from './wasm/fast';
import { KernelModule } from './wasm/kernelModule';
import { WasmRuntime } from './wasm/runtime';
import type { ThreadPool } from './wasm/threadPool';

class CpuBuffer implements DeviceBuffer {
  /** `at`: byte offset in the wasm memory (fast path), -1 for a plain typed array */
  /** elements; kept, since a view of unshared wasm memory reads length 0 once the memory grows (until re-cut) */
  readonly size: number;
  constructor(readonly storage: Storage, public data: HostArray, readonly at = -1) {
    this.size = data.length;
  }
}

export interface CpuOptions {
  /** WebAssembly SIMD kernels for f32 (default true where the runtime has SIMD128) */
  wasm?: boolean;
  /** worker threads for the fast kernels (used where shared memory is available) */
  threads?: ThreadPool;
  /** softmax and layer norm as one row kernel each (wasm/rowgen.ts; default true; false runs their steps) */
  rowKernels?: boolean;
  /** a millisecond clock: every executable this backend prepares times its steps (`--profile`) */
  clock?: () => number;
}

export class CpuBackend implements Backend {
  readonly kind = 'cpu';
  allocations = 0;
  /** the WebAssembly runtime of the fast path, if on */
  readonly runtime: WasmRuntime | undefined;
  readonly rowKernels: boolean;
  private readonly wasmBuffers: CpuBuffer[] = [];
  /** every executable prepared here, in order (profiles are read from them) */
  readonly prepared: Executable[] = [];
  private epoch = 0;

  /** set by `profileWith`, or by the `clock` option */
  clock: (() => number) | undefined;

  constructor(readonly mode: DtypeMode = 'f32', options: CpuOptions = {}) {
    this.clock = options.clock;
    this.runtime = mode === 'f32' && options.wasm !== false ? WasmRuntime.create(options.threads) : undefined;
    this.rowKernels = options.rowKernels !== false;
  }

  /** Jobs handed to worker threads so far (each is one crossing there and back). */
  get threadCrossings(): number {
    return this.runtime?.jobs?.crossings ?? 0;
  }

  allocate(size: number, storage: Storage): CpuBuffer {
    this.allocations++;
    const rt = this.runtime;
    if (rt !== undefined) {
      const at = rt.alloc(size * 4);
      this.refreshViews();
      const b = new CpuBuffer(storage, storage === 'int' ? rt.i32(at, size) : rt.f32(at, size), at);
      b.data.fill(0); // a reused block holds old values
      this.wasmBuffers.push(b);
      return b;
    }
    const data = storage === 'int' ? new Int32Array(size) : this.mode === 'f64' ? new Float64Array(size) : new Float32Array(size);
    return new CpuBuffer(storage, data);
  }

  /** Unshared wasm memory detaches its views when it grows: re-cut them. */
  private refreshViews(): void {
    const rt = this.runtime;
    if (rt === undefined || rt.epoch === this.epoch) return;
    this.epoch = rt.epoch;
    for (const b of this.wasmBuffers) b.data = b.storage === 'int' ? rt.i32(b.at, b.size) : rt.f32(b.at, b.size);
  }

  /** Returns a fast-path buffer's memory (after its executable is disposed). */
  release(b: CpuBuffer): void {
    const rt = this.runtime;
    if (rt === undefined || b.at < 0) return;
    const i = this.wasmBuffers.indexOf(b);
    if (i < 0) return;
    this.wasmBuffers.splice(i, 1);
    rt.free(b.at, b.size * 4);
  }

  write(buffer: DeviceBuffer, data: ArrayLike<number>): void {
    const b = asCpu(buffer);
    if (data.length !== b.size) throw new Error(`cpu: writing ${data.length} elements into a buffer of ${b.size}`);
    b.data.set(data);
  }

  async read(buffer: DeviceBuffer): Promise<HostArray> {
    return asCpu(buffer).data.slice();
  }

  prepare(plan: Plan, options: PrepareOptions = {}): Executable {
    const other = options.shareVariablesWith;
    if (other !== undefined && !(other instanceof CpuExecutable && other.backend === this)) {
      throw new Error('cpu: can only share variables with an executable of the same backend');
    }
    const executable = new CpuExecutable(this, plan, options.seed ?? 0, other, options.clock ?? this.clock);
    this.prepared.push(executable);
    return executable;
  }
}

function asCpu(b: DeviceBuffer): CpuBuffer {
  if (!(b instanceof CpuBuffer)) throw new Error('cpu: buffer from another backend');
  return b;
}

interface FusedRun {
  leaves: ElementwiseChain['leaves'];
  loop: (leaves: readonly Float32Array[], out: Float32Array) => void;
  /** profile name: fused(prim+prim+...) */
  name: string;
}

/** The plan's elementwise chains this backend can run as one loop: steps to skip, loops by last step. */
function fusedRuns(plan: Plan, lib: KernelModule, rows: WasmRuntime | undefined, rt: WasmRuntime | undefined): { skip: Set<number>; last: Map<number, FusedRun> } {
  const skip = new Set<number>();
  const last = new Map<number, FusedRun>();
  for (const pa of padAddPairs(plan)) {
    const pad = plan.steps[pa.pad], add = plan.steps[pa.add];
    if (pad.op !== 'run' || add.op !== 'run' || pad.kernel.prim !== Prim.Pad) continue;
    const g = pad.kernel.inputs[0].shape;
    const run = padAddKernel(g, pad.kernel.params.pads, add.kernel.output.shape, lib);
    skip.add(pa.pad);
    last.set(pa.add, {
      leaves: [{ buffer: add.inputs[1 - pa.operand], shape: [...add.kernel.output.shape] }, { buffer: pad.inputs[0], shape: [...g] }],
      loop: ([other, x], out) => run(other, x, out),
      name: 'fused(pad+add)',
    });
  }
  const rowSteps: number[] = [];
  if (rows !== undefined) {
    for (const p of rowPatterns(plan)) {
      const row = rowGroupKernel(plan, p, lib, rows);
      if (row === undefined) continue;
      for (const i of p.steps.slice(0, -1)) skip.add(i);
      rowSteps.push(...p.steps);
      last.set(p.steps[p.steps.length - 1], { leaves: row.leaves, loop: row.step, name: `row(${p.kind})` });
    }
  }
  for (const c of elementwiseChains(plan, new Set([...last.keys(), ...rowSteps]))) {
    const kernels = c.steps.map((i) => (plan.steps[i] as Extract<Plan['steps'][number], { op: 'run' }>).kernel);
    const loop = fusedKernel(kernels, c.operands, c.leaves.map((l) => l.shape), lib, rt);
    if (loop === undefined) continue;
    for (const i of c.steps.slice(0, -1)) skip.add(i);
    last.set(c.steps[c.steps.length - 1], { leaves: c.leaves, loop, name: `fused(${kernels.map((k) => k.prim).join('+')})` });
  }
  return { skip, last };
}

export class CpuExecutable implements Executable {
  /** kernels prepared to be shared between threads (wasm/ranged.ts): at most one crossing each per run */
  sharedKernels = 0;
  private readonly buffers: CpuBuffer[];
  private readonly program: (() => void)[] = [];
  private readonly ctx: KernelContext;
  /** variables owned by another executable */
  private readonly shared = new Set<string>();
  private disposed = false;
  private readonly timings: StepProfile[] = [];
  private epoch: number;

  constructor(readonly backend: CpuBackend, readonly plan: Plan, seed: number, shareWith?: CpuExecutable, private readonly clock?: () => number) {
    this.ctx = { seed };
    this.buffers = plan.buffers.map((b) => {
      const v = shareWith?.plan.variables.find((x) => x.name === b.name && b.role === 'variable');
      if (v === undefined || shareWith === undefined) return backend.allocate(b.size, b.storage);
      const other = shareWith.buffers[v.buffer];
      if (other.size !== b.size || other.storage !== b.storage) throw new Error(`cpu: shared variable '${v.name}' differs in size or type`);
      this.shared.add(v.name);
      return other;
    });
    for (const c of plan.constants) constant(c.value, 'f32', this.buffers[c.buffer].data);
    this.initialize(seed);
    this.epoch = backend.runtime?.epoch ?? 0;
    this.build();
  }

  /** Turns the steps into closures over views cut now (again after unshared memory grew). */
  private build(): void {
    const { plan, clock, backend } = this;
    this.program.length = 0;
    this.timings.length = 0;
    const view = (id: number, size: number): HostArray => this.buffers[id].data.subarray(0, size);
    const lib = backend.runtime === undefined ? undefined : new KernelModule(backend.runtime.jobs !== undefined);
    const fusion = lib === undefined ? { skip: new Set<number>(), last: new Map<number, FusedRun>() } : fusedRuns(plan, lib, backend.rowKernels ? backend.runtime : undefined, backend.runtime);
    plan.steps.forEach((s, index) => {
      switch (s.op) {
        case 'alloc':
        case 'free':
          break; // lifetimes only: slots were allocated above
        case 'copy': {
          const from = view(s.from, s.size);
          const to = view(s.to, s.size);
          this.program.push(() => to.set(from));
          break;
        }
        case 'run': {
          if (fusion.skip.has(index)) break; // computed inside its chain's fused loop
          const k = s.kernel;
          const chain = fusion.last.get(index);
          const inputs = chain !== undefined
            ? chain.leaves.map((l) => view(l.buffer, sizeOf(l.shape)))
            : s.inputs.map((id, i) => view(id, sizeOf(k.inputs[i].shape)));
          const out = view(s.output, sizeOf(k.output.shape));
          const ctx = this.ctx;
          const fast = chain?.loop ?? (backend.runtime === undefined ? undefined : fastKernel(backend.runtime, k, lib));
          const run: CpuKernel<Prim> = fast !== undefined
            ? (_, x, o) => fast(x as Float32Array[], o as Float32Array)
            : cpuKernels[k.prim] as CpuKernel<Prim>;
          if (clock === undefined) {
            this.program.push(() => run(k, inputs, out, ctx));
            break;
          }
          const t: StepProfile = { step: index, prim: chain?.name ?? k.prim, ms: 0, runs: 0 };
          this.timings.push(t);
          this.program.push(() => {
            const start = clock();
            run(k, inputs, out, ctx);
            t.ms += clock() - start;
            t.runs++;
          });
          break;
        }
        default:
          s satisfies never;
      }
    });
    if (lib !== undefined && backend.runtime !== undefined) lib.link(backend.runtime);
    this.sharedKernels = lib?.rangedSlots ?? 0;
  }

  profile(): StepProfile[] {
    return this.timings.map((t) => ({ ...t }));
  }

  initialize(seed: number = this.ctx.seed): void {
    this.ctx.seed = seed;
    for (const v of this.plan.variables) {
      if (this.shared.has(v.name)) continue;
      const data = this.buffers[v.buffer].data;
      if (data instanceof Int32Array) throw new Error(`cpu: variable '${v.name}' has int storage`);
      initialize(v.init.init, v.shape, seed, v.init.stream, data);
    }
  }

  async run(inputs: Readonly<Record<string, ArrayLike<number>>>): Promise<Record<string, HostArray>> {
    if (this.disposed) throw new Error('run: the executable was disposed');
    const rt = this.backend.runtime;
    if (rt !== undefined && rt.epoch !== this.epoch) {
      this.epoch = rt.epoch;
      this.build();
    }
    for (const i of this.plan.inputs) {
      const data = inputs[i.name];
      if (data === undefined) throw new Error(`run: missing input '${i.name}'`);
      const n = this.buffers[i.buffer].size;
      if (data.length !== n) throw new Error(`run: input '${i.name}' has ${data.length} elements, the plan expects ${n} (shape [${i.shape.join(',')}])`);
      this.backend.write(this.buffers[i.buffer], data);
    }
    for (const step of this.program) step();
    const out: Record<string, HostArray> = {};
    for (const o of this.plan.outputs) out[o.name] = this.buffers[o.buffer].data.slice();
    return out;
  }

  dispose(): void {
    // typed arrays are garbage collected, fast-path memory goes back to the runtime; drop the
    // program so a late run fails loudly
    this.program.length = 0;
    if (!this.disposed) {
      const sharedBuffers = new Set(this.plan.variables.filter((v) => this.shared.has(v.name)).map((v) => v.buffer));
      this.buffers.forEach((b, i) => { if (!sharedBuffers.has(i)) this.backend.release(b); });
    }
    this.disposed = true;
  }

  private variable(name: string): CpuBuffer {
    const v = this.plan.variables.find((x) => x.name === name);
    if (v === undefined) throw new Error(`no variable named '${name}'`);
    return this.buffers[v.buffer];
  }

  async readVariable(name: string): Promise<HostArray> {
    return this.backend.read(this.variable(name));
  }

  writeVariable(name: string, data: ArrayLike<number>): void {
    this.backend.write(this.variable(name), data);
  }
}
