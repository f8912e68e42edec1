/** @file Backend selection: one case per backend folder, exhaustive by `satisfies never`. */
import type { Backend, BackendKind, DtypeMode } from './backend';
import { CpuBackend } from './cpu/cpuBackend';
import { WebGpuBackend } from './webgpu/webgpuBackend';
import type { ThreadPool } from './cpu/wasm/threadPool';

export function createBackend(kind: BackendKind, options: { mode?: DtypeMode; wasm?: boolean; threads?: ThreadPool; device?: GPUDevice } = {}): Backend {
  switch (kind) {
    case 'cpu':
      return new CpuBackend(options.mode ?? 'f32', { ...(options.wasm === undefined ? {} : { wasm: options.wasm }), ...(options.threads === undefined ? {} : { threads: options.threads }) });
    case 'webgpu':
      if (options.device === undefined) throw new Error('createBackend: the webgpu backend needs a GPUDevice (options.device)');
      return new WebGpuBackend(options.device);
    default:
      return kind satisfies never;
  }
}

export type { ThreadPool } from './cpu/wasm/threadPool';
export type { Backend, BackendKind, DtypeMode, DeviceBuffer, Executable, HostArray, PrepareOptions, StepProfile } from './backend';
