/**
 * @file The engine host's messages, plain JSON both ways (STYLE 7). The run manager starts a
 * worker with a `HostStart` as its workerData, then posts controls; the worker posts batches of
 * run events and, when a run cannot start, one `failed` message.
 */
import type { RunEvent } from '../../core/train/events';
import type { BackendChoice } from '../services/runs/localRun';

export const HOST_PROTOCOL_VERSION = 1;

export interface HostStart {
  v: number;
  runId: string;
  projectDir: string;
  /** The project document (parsed again in the worker). */
  project: unknown;
  backend: BackendChoice;
  epochs?: number;
  seed?: number;
  kfold?: number;
  /** Resume this run id from its last checkpoint. */
  resume?: string;
}

export type HostControl = { type: 'pause' } | { type: 'resume' } | { type: 'stop' };

export type HostMessage = { type: 'events'; runId: string; events: RunEvent[] } | { type: 'failed'; runId: string; message: string };

export function isHostControl(value: unknown): value is HostControl {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'pause' || type === 'resume' || type === 'stop';
}

export function isHostMessage(value: unknown): value is HostMessage {
  const v = value as { type?: unknown; runId?: unknown; events?: unknown; message?: unknown } | null;
  if (!v || typeof v.runId !== 'string') return false;
  return (v.type === 'events' && Array.isArray(v.events)) || (v.type === 'failed' && typeof v.message === 'string');
}
