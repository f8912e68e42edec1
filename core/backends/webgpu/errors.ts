/**
 * @file Typed WebGPU failures. A training loop treats any `GpuBackendError` as fatal for the run
 * (a `done` failed event with `message`), never as a crash: device loss and out-of-memory keep
 * the last checkpoint, limits name the tensor that does not fit.
 */

export type GpuFailure = 'device-lost' | 'out-of-memory' | 'validation' | 'limit';

export class GpuBackendError extends Error {
  override readonly name = 'GpuBackendError';
  constructor(readonly failure: GpuFailure, message: string) {
    super(message);
  }
}

export function isGpuBackendError(e: unknown): e is GpuBackendError {
  return e instanceof GpuBackendError;
}
