/** @file Backend selection: one case per backend folder, exhaustive by `satisfies never`. */
import type { Backend, BackendKind, DtypeMode } from './backend';
import { CpuBackend } from './cpu/cpuBackend';

export function createBackend(kind: BackendKind, options: { mode?: DtypeMode } = {}): Backend {
  switch (kind) {
    case 'cpu':
      return new CpuBackend(options.mode ?? 'f32');
    default:
      return kind satisfies never;
  }
}

export type { Backend, BackendKind, DtypeMode, DeviceBuffer, Executable, HostArray, PrepareOptions, StepProfile } from './backend';
