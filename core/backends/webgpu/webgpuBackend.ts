/**
 * @file The WebGPU backend: executes a Plan on a GPUDevice (from `navigator.gpu` in a page, from
 * Dawn's `webgpu` package in Node: only device creation differs, see electron/engine/webgpu.ts).
 *
 * `prepare` allocates every plan buffer once, uploads constants and variables, generates a WGSL
 * program per kernel (./lower.ts), compiles each distinct source once (pipelines are cached by
 * their source text on the backend) and builds every bind group, so `run` only writes the inputs,
 * encodes the recorded dispatches and copies into one command buffer and submits it. Outputs come
 * back through pre-allocated MAP_READ buffers; `submit` runs a step without reading anything back
 * (a training loop can read metrics every few steps). Float and bool are f32, i32 is i32.
 * Failures (device loss, out-of-memory, validation, limits) surface as `GpuBackendError`.
 */
/// <reference types="@webgpu/types" />
import type { BufferId, Plan, Storage } from '../../compile/plan';
import { initialize } from '../../random/initializers';
import type { Backend, DeviceBuffer, Executable, HostArray, PrepareOptions, StepProfile } from '../backend';
import { GpuBackendError } from './errors';
import { planFusion } from './fusion';
import { type GpuWork, gpuLowerings, type LowerContext } from './lower';
import type { GpuProgram, StepIo } from './program';
import type { Prim } from '../../ir/prims';
import type { PrimKernel } from '../../compile/plan';

const USAGE_STORAGE = 0x80 | 0x4 | 0x8; // STORAGE | COPY_SRC | COPY_DST
const USAGE_UNIFORM = 0x40 | 0x8; // UNIFORM | COPY_DST
const USAGE_READBACK = 0x1 | 0x8; // MAP_READ | COPY_DST
const MAP_READ = 0x1;

class GpuBuffer implements DeviceBuffer {
  constructor(readonly storage: Storage, readonly size: number, readonly buffer: GPUBuffer) {}
}

/** Bytes for `size` 4-byte elements: bindings must be non-empty and copies multiples of 4. */
function bytesFor(size: number): number {
  return Math.max(16, Math.ceil((size * 4) / 16) * 16);
}

export interface WebGpuOptions {
  /** run elementwise chains and row groups (softmax, layer norm) as fused programs (default true) */
  fusion?: boolean;
  /** storage buffers a fused program may bind (default: the device's per-stage limit) */
  maxBindings?: number;
  /** threads per workgroup the GEMM tiles may use (default: the device's limit) */
  maxInvocations?: number;
}

export class WebGpuBackend implements Backend {
  readonly kind = 'webgpu';
  readonly mode = 'f32';
  allocations = 0;
  readonly fusion: boolean;
  readonly maxBindings: number;
  readonly maxInvocations: number;
  /** Set when the device is lost; every later call fails with it. */
  lostReason: string | null = null;
  private readonly pipelines = new Map<string, GPUComputePipeline>();

  constructor(readonly device: GPUDevice, options: WebGpuOptions = {}) {
    this.fusion = options.fusion ?? true;
    this.maxBindings = Math.min(options.maxBindings ?? Infinity, device.limits.maxStorageBuffersPerShaderStage);
    this.maxInvocations = Math.min(options.maxInvocations ?? Infinity, device.limits.maxComputeInvocationsPerWorkgroup);
    void device.lost.then((info) => {
      this.lostReason = `the GPU device was lost (${info.reason === 'destroyed' ? 'destroyed' : 'driver reset or removal'}${info.message ? `: ${info.message}` : ''})`;
    });
  }

  /** Distinct compiled pipelines so far (the cache is keyed by WGSL source). */
  get pipelineCount(): number {
    return this.pipelines.size;
  }

  checkAlive(): void {
    if (this.lostReason !== null) throw new GpuBackendError('device-lost', `webgpu: ${this.lostReason}; the run stops, its last checkpoint is kept`);
  }

  /** Refuses a tensor the adapter cannot hold, naming it. */
  checkFits(size: number, what: string): void {
    const bytes = bytesFor(size);
    const lim = this.device.limits;
    const max = Math.min(lim.maxBufferSize, lim.maxStorageBufferBindingSize);
    if (bytes > max) {
      throw new GpuBackendError('limit', `webgpu: ${what} needs ${(bytes / 2 ** 20).toFixed(1)} MiB, more than this GPU allows in one buffer (${(max / 2 ** 20).toFixed(1)} MiB); make it smaller or use the CPU backend`);
    }
  }

  allocate(size: number, storage: Storage): GpuBuffer {
    this.checkAlive();
    this.checkFits(size, `a buffer of ${size} elements`);
    this.allocations++;
    return new GpuBuffer(storage, size, this.device.createBuffer({ size: bytesFor(size), usage: USAGE_STORAGE }));
  }

  write(buffer: DeviceBuffer, data: ArrayLike<number>): void {
    const b = asGpu(buffer);
    if (data.length !== b.size) throw new Error(`webgpu: writing ${data.length} elements into a buffer of ${b.size}`);
    const host = b.storage === 'int' ? Int32Array.from(data) : Float32Array.from(data);
    if (host.length > 0) this.device.queue.writeBuffer(b.buffer, 0, host);
  }

  async read(buffer: DeviceBuffer): Promise<HostArray> {
    const b = asGpu(buffer);
    const staging = this.device.createBuffer({ size: bytesFor(b.size), usage: USAGE_READBACK });
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(b.buffer, 0, staging, 0, bytesFor(b.size));
    this.device.queue.submit([enc.finish()]);
    const out = await mapCopy(staging, b.storage, b.size);
    staging.destroy();
    return out;
  }

  pipeline(source: string): GPUComputePipeline {
    let p = this.pipelines.get(source);
    if (p === undefined) {
      const module = this.device.createShaderModule({ code: source });
      p = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.pipelines.set(source, p);
    }
    return p;
  }

  prepare(plan: Plan, options: PrepareOptions = {}): WebGpuExecutable {
    this.checkAlive();
    const other = options.shareVariablesWith;
    if (other !== undefined && !(other instanceof WebGpuExecutable && other.backend === this)) {
      throw new Error('webgpu: can only share variables with an executable of the same backend');
    }
    return new WebGpuExecutable(this, plan, options.seed ?? 0, other);
  }
}

function asGpu(b: DeviceBuffer): GpuBuffer {
  if (!(b instanceof GpuBuffer)) throw new Error('webgpu: buffer from another backend');
  return b;
}

async function mapCopy(staging: GPUBuffer, storage: Storage, size: number): Promise<HostArray> {
  await staging.mapAsync(MAP_READ);
  const range = staging.getMappedRange(0, bytesFor(size));
  const out = storage === 'int' ? new Int32Array(range, 0, size).slice() : new Float32Array(range, 0, size).slice();
  staging.unmap();
  return out;
}

type Command =
  | { kind: 'dispatch'; pipeline: GPUComputePipeline; group: GPUBindGroup; x: number; y: number }
  | { kind: 'copy'; from: GPUBuffer; to: GPUBuffer; bytes: number };

/** A random program's uniform, rewritten when the seed changes. */
interface SeededMeta {
  uniform: GPUBuffer;
  meta: number[];
}

export class WebGpuExecutable implements Executable {
  private readonly buffers: GpuBuffer[];
  private readonly owned: GPUBuffer[] = [];
  private readonly commands: Command[] = [];
  private readonly shared = new Set<string>();
  private readonly seeded: SeededMeta[] = [];
  private readonly staging: GPUBuffer[];
  private readonly ctx: LowerContext;
  /** validation errors of prepare (shader compilation), reported by the first run */
  private readonly prepared: Promise<GPUError | null>;
  private disposed = false;

  constructor(readonly backend: WebGpuBackend, readonly plan: Plan, seed: number, shareWith?: WebGpuExecutable) {
    const device = backend.device;
    this.ctx = { seed, maxInvocations: backend.maxInvocations };
    device.pushErrorScope('validation');
    this.buffers = plan.buffers.map((b) => {
      const v = shareWith?.plan.variables.find((x) => x.name === b.name && b.role === 'variable');
      if (v === undefined || shareWith === undefined) {
        backend.checkFits(b.size, `tensor '${b.name ?? `temporary #${b.id}`}' (${b.size} elements)`);
        const buf = backend.allocate(b.size, b.storage);
        this.owned.push(buf.buffer);
        return buf;
      }
      const other = shareWith.buffers[v.buffer];
      if (other.size !== b.size || other.storage !== b.storage) throw new Error(`webgpu: shared variable '${v.name}' differs in size or type`);
      this.shared.add(v.name);
      return other;
    });
    for (const c of plan.constants) backend.write(this.buffers[c.buffer], c.value.length === 1 ? new Array<number>(this.buffers[c.buffer].size).fill(c.value[0]) : c.value);
    this.initializeVariables(seed);
    const limit = device.limits.maxStorageBuffersPerShaderStage;
    const maxDim = device.limits.maxComputeWorkgroupsPerDimension;
    const fusion = backend.fusion ? planFusion(plan, backend.maxBindings) : { skip: new Set<number>(), programs: new Map<number, GpuProgram>() };
    plan.steps.forEach((s, index) => {
      switch (s.op) {
        case 'alloc':
        case 'free':
          break;
        case 'copy':
          this.commands.push({ kind: 'copy', from: this.buffers[s.from].buffer, to: this.buffers[s.to].buffer, bytes: s.size * 4 });
          break;
        case 'run': {
          if (fusion.skip.has(index)) break; // computed by a later step's fused program
          const fused = fusion.programs.get(index);
          if (fused !== undefined) {
            this.record({ kind: 'dispatch', program: fused }, s.inputs, s.output, index, fused.name, limit, maxDim);
            break;
          }
          const k = s.kernel;
          const io: StepIo = {
            inputs: s.inputs.map((id) => ({ buffer: id, storage: this.buffers[id].storage })),
            output: { buffer: s.output, storage: this.buffers[s.output].storage },
          };
          const lower = gpuLowerings[k.prim] as (k: PrimKernel<Prim>, io: StepIo, ctx: LowerContext) => GpuWork[];
          for (const work of lower(k, io, this.ctx)) this.record(work, s.inputs, s.output, index, k.prim, limit, maxDim);
          break;
        }
        default:
          s satisfies never;
      }
    });
    this.staging = plan.outputs.map((o) => this.own(device.createBuffer({ size: bytesFor(this.buffers[o.buffer].size), usage: USAGE_READBACK })));
    this.prepared = device.popErrorScope();
  }

  /** Compute dispatches one step records (fused programs count once). */
  get dispatches(): number {
    return this.commands.filter((c) => c.kind === 'dispatch').length;
  }

  private own(b: GPUBuffer): GPUBuffer {
    this.owned.push(b);
    return b;
  }

  private record(work: GpuWork, inputs: BufferId[], output: BufferId, step: number, prim: string, limit: number, maxDim: number): void {
    const device = this.backend.device;
    switch (work.kind) {
      case 'copy':
        if (work.size > 0) this.commands.push({ kind: 'copy', from: this.buffers[inputs[0]].buffer, to: this.buffers[output].buffer, bytes: work.size * 4 });
        return;
      case 'constant': {
        const out = this.buffers[output];
        const src = this.own(device.createBuffer({ size: bytesFor(work.values.length), usage: USAGE_STORAGE }));
        if (work.values.length > 0) device.queue.writeBuffer(src, 0, out.storage === 'int' ? Int32Array.from(work.values) : Float32Array.from(work.values));
        if (work.values.length > 0) this.commands.push({ kind: 'copy', from: src, to: out.buffer, bytes: work.values.length * 4 });
        return;
      }
      case 'dispatch': {
        const p: GpuProgram = work.program;
        if (p.buffers.length > limit) {
          throw new GpuBackendError('limit', `webgpu: step ${step} (${prim}) binds ${p.buffers.length} storage buffers; this adapter allows ${limit} per shader stage`);
        }
        const uniform = this.own(device.createBuffer({ size: Math.max(16, Math.ceil(p.meta.length / 4) * 16), usage: USAGE_UNIFORM }));
        device.queue.writeBuffer(uniform, 0, Int32Array.from(p.meta));
        if (prim === 'random') this.seeded.push({ uniform, meta: p.meta });
        const pipeline = this.backend.pipeline(p.source);
        const group = device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [{ binding: 0, resource: { buffer: uniform } }, ...p.buffers.map((id, i) => ({ binding: i + 1, resource: { buffer: this.buffers[id].buffer } }))],
        });
        const x = Math.min(p.workgroups, maxDim);
        const y = Math.ceil(p.workgroups / x);
        if (y > maxDim) throw new GpuBackendError('limit', `webgpu: step ${step} (${prim}) needs ${p.workgroups} workgroups, more than this adapter can dispatch`);
        this.commands.push({ kind: 'dispatch', pipeline, group, x, y });
        return;
      }
      default:
        work satisfies never;
    }
  }

  private initializeVariables(seed: number): void {
    for (const v of this.plan.variables) {
      if (this.shared.has(v.name)) continue;
      const b = this.buffers[v.buffer];
      if (b.storage === 'int') throw new Error(`webgpu: variable '${v.name}' has int storage`);
      const host = new Float32Array(b.size);
      initialize(v.init.init, v.shape, seed, v.init.stream, host);
      this.backend.write(b, host);
    }
  }

  initialize(seed: number = this.ctx.seed): void {
    this.ctx.seed = seed;
    this.initializeVariables(seed);
    for (const s of this.seeded) {
      s.meta[1] = seed | 0;
      this.backend.device.queue.writeBuffer(s.uniform, 0, Int32Array.from(s.meta));
    }
  }

  profile(): StepProfile[] {
    return []; // per-step GPU timing needs timestamp queries (not available on every adapter)
  }

  private encode(extra?: (enc: GPUCommandEncoder) => void): GPUCommandBuffer {
    const enc = this.backend.device.createCommandEncoder();
    let pass: GPUComputePassEncoder | null = null;
    for (const c of this.commands) {
      if (c.kind === 'dispatch') {
        pass ??= enc.beginComputePass();
        pass.setPipeline(c.pipeline);
        pass.setBindGroup(0, c.group);
        pass.dispatchWorkgroups(c.x, c.y);
      } else {
        pass?.end();
        pass = null;
        enc.copyBufferToBuffer(c.from, 0, c.to, 0, c.bytes);
      }
    }
    pass?.end();
    extra?.(enc);
    return enc.finish();
  }

  private writeInputs(inputs: Readonly<Record<string, ArrayLike<number>>>): void {
    if (this.disposed) throw new Error('run: the executable was disposed');
    this.backend.checkAlive();
    for (const i of this.plan.inputs) {
      const data = inputs[i.name];
      if (data === undefined) throw new Error(`run: missing input '${i.name}'`);
      const n = this.buffers[i.buffer].size;
      if (data.length !== n) throw new Error(`run: input '${i.name}' has ${data.length} elements, the plan expects ${n} (shape [${i.shape.join(',')}])`);
      this.backend.write(this.buffers[i.buffer], data);
    }
  }

  /** Runs one step without reading anything back (outputs stay on the GPU until the next `run`). */
  async submit(inputs: Readonly<Record<string, ArrayLike<number>>>): Promise<void> {
    await this.checkPrepared();
    this.writeInputs(inputs);
    await this.guarded(() => this.backend.device.queue.submit([this.encode()]));
  }

  async run(inputs: Readonly<Record<string, ArrayLike<number>>>): Promise<Record<string, HostArray>> {
    await this.checkPrepared();
    this.writeInputs(inputs);
    const outs = this.plan.outputs.map((o) => this.buffers[o.buffer]);
    await this.guarded(() => this.backend.device.queue.submit([this.encode((enc) => {
      outs.forEach((b, i) => enc.copyBufferToBuffer(b.buffer, 0, this.staging[i], 0, bytesFor(b.size)));
    })]));
    const values = await Promise.all(outs.map((b, i) => mapCopy(this.staging[i], b.storage, b.size)));
    this.backend.checkAlive();
    return Object.fromEntries(this.plan.outputs.map((o, i) => [o.name, values[i]]));
  }

  private async checkPrepared(): Promise<void> {
    const e = await this.prepared;
    if (e !== null) throw new GpuBackendError('validation', `webgpu: preparing the plan failed: ${e.message}`);
  }

  /** Submits under out-of-memory and validation error scopes; a failure becomes a GpuBackendError. */
  private async guarded(submit: () => void): Promise<void> {
    const device = this.backend.device;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    submit();
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    this.backend.checkAlive();
    if (oom !== null) throw new GpuBackendError('out-of-memory', `webgpu: the GPU ran out of memory (${oom.message}); the run stops, its last checkpoint is kept`);
    if (validation !== null) throw new GpuBackendError('validation', `webgpu: ${validation.message}`);
  }

  dispose(): void {
    this.disposed = true;
    this.commands.length = 0;
    for (const b of this.owned) b.destroy();
  }

  private variable(name: string): GpuBuffer {
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
