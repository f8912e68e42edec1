/**
 * @file The Plan: what a backend executes. Plain JSON-serialisable data (posted to workers and
 * GPU backends): buffers allocated once at `prepare`, a flat list of steps, named inputs and
 * outputs, persistent variables updated in place by the trailing `copy` steps.
 *
 * `alloc`/`free` mark a temporary's lifetime in an arena slot (backends allocate slots at
 * prepare, so these are free at run time); `run` executes one kernel. A kernel is one primitive
 * today; a fused elementwise expression will be a second `Kernel` kind.
 */
import type { InitSpec, ValueInfo, VariableKind } from '../ir/graph';
import type { Dtype, Prim, PrimParams } from '../ir/prims';

export type BufferId = number;

/** Storage class: i32 values live in int buffers; f32 and bool in float buffers (f32 or f64 by backend mode). */
export type Storage = 'float' | 'int';

export type BufferRole = 'input' | 'output' | 'variable' | 'constant' | 'slot';

export interface PlanBuffer {
  id: BufferId;
  role: BufferRole;
  storage: Storage;
  /** elements */
  size: number;
  /** inputs, outputs, variables */
  name?: string;
}

export interface PrimKernel<P extends Prim = Prim> {
  kind: 'prim';
  prim: P;
  params: PrimParams[P];
  inputs: ValueInfo[];
  output: ValueInfo;
}

/** One primitive (fused expressions are a future kind). */
export type Kernel = { [P in Prim]: PrimKernel<P> }[Prim];

export type Step =
  | { op: 'alloc'; buffer: BufferId; size: number }
  | { op: 'free'; buffer: BufferId }
  | { op: 'run'; kernel: Kernel; inputs: BufferId[]; output: BufferId }
  | { op: 'copy'; from: BufferId; to: BufferId; size: number };

export interface PlanIo {
  name: string;
  buffer: BufferId;
  shape: number[];
  dtype: Dtype;
}

export interface PlanVariable extends PlanIo {
  kind: VariableKind;
  init: InitSpec;
}

export interface PlanConstant {
  buffer: BufferId;
  value: number[];
}

export interface Plan {
  version: 1;
  buffers: PlanBuffer[];
  inputs: PlanIo[];
  outputs: PlanIo[];
  variables: PlanVariable[];
  /** filled once at prepare */
  constants: PlanConstant[];
  steps: Step[];
}

export function storageOf(dtype: Dtype): Storage {
  return dtype === 'i32' ? 'int' : 'float';
}
