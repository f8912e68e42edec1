/**
 * @file Checkpoints: every variable of a run's executables (weights, optimizer state, layer state)
 * as safetensors tensors, and the run position in the metadata (`brrr.checkpoint`, JSON). The RNG
 * is counter-based (Philox keyed by seed, counter = step), so seed + step restore it exactly; the
 * batch order is `epochOrder(seed, epoch)`, so epoch + stepInEpoch say which batches are done.
 */
import type { Executable, HostArray } from '../backends/backend';
import { decodeSafetensors, encodeSafetensors } from '../export/safetensors';
import type { MetricValues } from './events';

export const CHECKPOINT_VERSION = 1;
const META_KEY = 'brrr.checkpoint';

/** Where a run stands. Plain JSON. */
export interface RunPosition {
  version: number;
  runId: string;
  recipe: string;
  seed: number;
  /** Steps done (the next step's counter). */
  step: number;
  /** Epoch in progress, from 0; `stepInEpoch` batches of it are done (0 at an epoch boundary). */
  epoch: number;
  stepInEpoch: number;
  /** Epochs planned for the run. */
  epochs: number;
  /** Metrics of the last finished epoch. */
  metrics: MetricValues;
  /** Best value of the early-stopping (or default) metric so far, with its epoch, and epochs without improvement. */
  best?: { metric: string; value: number; epoch: number; step: number };
  sinceBest: number;
  /** Anything else a recipe must restore (diagnosis history, ...). */
  extra?: Record<string, unknown>;
}

export interface Checkpoint {
  position: RunPosition;
  variables: Record<string, { shape: number[]; data: Float32Array | Float64Array | Int32Array }>;
}

/** Every variable of the executables (first owner wins: shared variables are read once). */
export async function captureVariables(executables: readonly Executable[]): Promise<Checkpoint['variables']> {
  const out: Checkpoint['variables'] = {};
  for (const executable of executables) {
    for (const v of executable.plan.variables) {
      if (out[v.name]) continue;
      const data: HostArray = await executable.readVariable(v.name);
      out[v.name] = { shape: [...v.shape], data };
    }
  }
  return out;
}

/**
 * Writes the checkpoint's variables into the executables. Every variable of every executable
 * must be in the checkpoint with its shape: a checkpoint of another model is refused by name.
 */
export function restoreVariables(executables: readonly Executable[], variables: Checkpoint['variables'], source: string): void {
  for (const executable of executables) {
    for (const v of executable.plan.variables) {
      const saved = variables[v.name];
      if (!saved) throw new Error(`${source} has no variable "${v.name}": it was written for another model or recipe.`);
      const n = v.shape.reduce((a, b) => a * b, 1);
      if (saved.data.length !== n) throw new Error(`${source}: variable "${v.name}" holds ${saved.data.length} values, the model needs ${n} ([${v.shape.join(', ')}]).`);
      executable.writeVariable(v.name, saved.data);
    }
  }
}

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  return encodeSafetensors(checkpoint.variables, { [META_KEY]: JSON.stringify(checkpoint.position), format: 'brrr-checkpoint' });
}

export function decodeCheckpoint(bytes: Uint8Array, fileName: string): Checkpoint {
  const file = decodeSafetensors(bytes, fileName);
  const meta = file.metadata[META_KEY];
  if (meta === undefined) throw new Error(`${fileName} is a safetensors file but not a Brrr checkpoint (no "${META_KEY}" metadata).`);
  let position: RunPosition;
  try {
    position = JSON.parse(meta) as RunPosition;
  } catch {
    throw new Error(`${fileName}: the checkpoint metadata is not valid JSON.`);
  }
  if (position.version !== CHECKPOINT_VERSION) throw new Error(`${fileName} is a version ${position.version} checkpoint; this build reads version ${CHECKPOINT_VERSION}.`);
  const variables: Checkpoint['variables'] = {};
  for (const [name, t] of Object.entries(file.tensors)) {
    if (!(t.data instanceof Float32Array || t.data instanceof Float64Array || t.data instanceof Int32Array)) throw new Error(`${fileName}: variable "${name}" has dtype ${t.dtype}; checkpoints hold F32, F64 or I32.`);
    variables[name] = { shape: [...t.shape], data: t.data };
  }
  return { position, variables };
}

/** Is `value` better than `best` for a metric minimised or maximised? */
export function improves(value: number, best: number | undefined, mode: 'min' | 'max'): boolean {
  if (!Number.isFinite(value)) return false;
  if (best === undefined) return true;
  return mode === 'min' ? value < best : value > best;
}
