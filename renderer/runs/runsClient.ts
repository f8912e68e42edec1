/**
 * @file The run messages the dashboards need, as one narrow interface over the studio client:
 * start, pause, resume, stop, list, read a run's log, and the live `runEvents` stream. Events
 * arrive as loosely checked JSON (type and version); their bodies are read by the dashboards' table.
 */
import type { StudioApi, Unsubscribe } from '../../core/contract/studio';
import type { RunEvent } from '../../core/train/events';

export type BackendChoice = 'auto' | 'cpu' | 'webgpu';

export interface StartRunRequest {
  path: string;
  backend?: BackendChoice;
  epochs?: number;
  /** The run to continue from its last checkpoint (true: the newest stopped one). */
  resume?: string | boolean;
}

/** One run of a project as the services list it. Fields past `runId` are optional: the dashboards fall back to the run's own events. */
export interface RunListing {
  runId: string;
  status?: string;
  startedAt?: string;
  recipe?: string;
  backend?: string;
  epochs?: number;
  seed?: number;
  kfold?: number;
  resumes?: number;
  step?: number;
  metrics?: Record<string, number>;
  hasCheckpoint?: boolean;
  /** More training settings the run used (batch size, optimizer, ...), when listed. */
  settings?: Record<string, unknown>;
  /** Which version of the project it trained (a hash or revision), when listed. */
  projectVersion?: string;
}

export interface RunEventBatch {
  runId: string;
  /** The project folder the run trains, when the services say. */
  path?: string;
  events: RunEvent[];
}

export interface RunsClient {
  startRun(request: StartRunRequest): Promise<{ runId: string }>;
  pauseRun(request: { runId: string }): Promise<unknown>;
  resumeRun(request: { runId: string }): Promise<unknown>;
  stopRun(request: { runId: string }): Promise<unknown>;
  listRuns(request: { path: string }): Promise<RunListing[]>;
  readRunEvents(request: { path: string; runId: string }): Promise<RunEvent[]>;
  onRunEvents(listener: (batch: RunEventBatch) => void): Unsubscribe;
}

/**
 * The studio's run functions, typed by the contract; batches are checked again as they arrive. A
 * host without the `runEvents` subscription (an older preload) leaves `live` false: runs are then
 * followed through their logs.
 */
export function runsClientOf(studio: StudioApi): RunsClient & { live: boolean } {
  const live = typeof (studio as Partial<StudioApi>).onRunEvents === 'function';
  return {
    live,
    startRun: (request) => studio.startRun(request),
    pauseRun: (request) => studio.pauseRun(request),
    resumeRun: (request) => studio.resumeRun(request),
    stopRun: (request) => studio.stopRun(request),
    listRuns: async (request) => listingsOf(await studio.listRuns(request)),
    readRunEvents: async (request) => eventsOf(await studio.readRunEvents(request)),
    onRunEvents: (listener) =>
      live
        ? studio.onRunEvents((batch) => {
            const parsed = batchOf(batch);
            if (parsed) listener(parsed);
          })
        : () => {},
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function listingsOf(reply: unknown): RunListing[] {
  const list = Array.isArray(reply) ? reply : isRecord(reply) && Array.isArray(reply.runs) ? reply.runs : [];
  return list.filter((r): r is RunListing => isRecord(r) && typeof r.runId === 'string');
}

function eventsOf(reply: unknown): RunEvent[] {
  const list = Array.isArray(reply) ? reply : isRecord(reply) && Array.isArray(reply.events) ? reply.events : [];
  return list.filter((e): e is RunEvent => isRecord(e) && typeof e.type === 'string');
}

function batchOf(batch: unknown): RunEventBatch | null {
  if (!isRecord(batch) || typeof batch.runId !== 'string') return null;
  return { runId: batch.runId, ...(typeof batch.path === 'string' ? { path: batch.path } : {}), events: eventsOf(batch.events) };
}
