/**
 * @file The narrow backend interface: allocate, write, read, prepare a plan, run it. A backend is
 * one folder implementing `Backend`; `createBackend` (backends/index.ts) lists them exhaustively.
 * Every buffer a plan needs is allocated once at `prepare`; `run` allocates no device memory.
 */
import type { Plan, Storage } from '../compile/plan';

export type BackendKind = 'cpu' | 'webgpu';

/** Float storage precision: f32 (default, fast) or f64 (the CPU reference oracle). */
export type DtypeMode = 'f32' | 'f64';

export type HostArray = Float32Array | Float64Array | Int32Array;

/** An opaque device buffer of `size` elements. */
export interface DeviceBuffer {
  readonly size: number;
  readonly storage: Storage;
}

export interface PrepareOptions {
  /** Philox seed of the run: initializers and `random` nodes draw from (seed, stream, counter). Default 0. */
  seed?: number;
  /**
   * Variables of this executable (same backend) whose names match are shared, not copied: an
   * evaluation plan sees the training plan's parameters as they are updated. Shared variables are
   * not re-initialised.
   */
  shareVariablesWith?: Executable;
  /** A millisecond clock (e.g. `performance.now`); when given, every run step is timed (see `profile`). */
  clock?: () => number;
}

/** Time spent in one `run` step of the plan, summed over runs. */
export interface StepProfile {
  /** index into plan.steps */
  step: number;
  prim: string;
  ms: number;
  runs: number;
}

export interface Backend {
  readonly kind: BackendKind;
  readonly mode: DtypeMode;
  /** Number of `allocate` calls so far (tests check the steady-state step allocates nothing). */
  readonly allocations: number;
  allocate(size: number, storage: Storage): DeviceBuffer;
  write(buffer: DeviceBuffer, data: ArrayLike<number>): void;
  read(buffer: DeviceBuffer): Promise<HostArray>;
  /** Allocates every buffer of the plan, fills constants and initialises the variables. */
  prepare(plan: Plan, options?: PrepareOptions): Executable;
}

/** A prepared plan: run it step after step; variables persist between runs. */
export interface Executable {
  readonly plan: Plan;
  /** Writes the named inputs, runs every step, returns a copy of each output. */
  run(inputs: Readonly<Record<string, ArrayLike<number>>>): Promise<Record<string, HostArray>>;
  /** A copy of a parameter or state variable. */
  readVariable(name: string): Promise<HostArray>;
  writeVariable(name: string, data: ArrayLike<number>): void;
  /** Re-draws every variable from its initializer (shared variables are left to their owner). */
  initialize(seed?: number): void;
  /** Per-step timings (empty unless prepared with a clock). */
  profile(): StepProfile[];
  /** Releases the buffers this executable owns (GPU memory); it must not be run afterwards. */
  dispose(): void;
}
