/**
 * @file The run manager: one engine-host worker per run (worker_threads), controlled by messages
 * (pause, resume, stop). Batches of events go to `onEvents` as they arrive. A worker that dies
 * (an uncaught error, an exit, a kill) without reporting `done` is reported as a failed `done`
 * with a clear message, appended to the run's log, and the run can be resumed from its last
 * checkpoint. The project file is never written here.
 */
import { Worker } from 'node:worker_threads';
import type { Project } from '../../../core/project';
import { runEvent, type RunEvent } from '../../../core/train/events';
import { HOST_PROTOCOL_VERSION, isHostMessage, type HostControl, type HostStart } from '../../engine/protocol';
import { newRunId, type BackendChoice } from './localRun';
import { appendEvents, listRunSummaries, readCheckpoint, runDir } from './runFolder';

export interface RunManagerOptions {
  /** The built engine host (`dist/engine/host.mjs`). */
  hostEntry: string | URL;
  /** Every batch of events of every run, in order per run. */
  onEvents?: (runId: string, projectDir: string, events: RunEvent[]) => void;
}

export interface StartRunRequest {
  projectDir: string;
  project: Project;
  backend?: BackendChoice;
  epochs?: number;
  seed?: number;
  kfold?: number;
  /** Resume: true = the newest resumable run of the project, or that run id. */
  resume?: boolean | string;
  runId?: string;
}

export class RunError extends Error {
  constructor(
    readonly code: 'E_NOT_FOUND' | 'E_UNAVAILABLE',
    message: string,
  ) {
    super(message);
    this.name = 'RunError';
  }
}

interface ActiveRun {
  runId: string;
  projectDir: string;
  worker: Worker;
  ended: Promise<RunEvent & { type: 'done' }>;
  /** The run reported `done`; its worker is exiting (it stays listed until it has). */
  doneReported: boolean;
}

export interface RunManager {
  start(request: StartRunRequest): Promise<{ runId: string }>;
  pause(runId: string): void;
  resume(runId: string): void;
  stop(runId: string): void;
  /** Ends the worker at once, as a crash would (tests; a last resort for a run that does not stop). */
  kill(runId: string): Promise<void>;
  /** The run's final `done` event (also for a crashed worker), once its worker has ended. */
  finished(runId: string): Promise<RunEvent & { type: 'done' }>;
  active(): string[];
  /** Stops every run and waits for the workers to end (app quit). */
  close(): Promise<void>;
}

/** Where the bundle puts the engine host, seen from any bundle in dist/ (dist/cli, dist/electron). */
export function defaultHostEntry(): URL {
  return new URL('../engine/host.mjs', import.meta.url);
}

export function createRunManager(options: RunManagerOptions): RunManager {
  const runs = new Map<string, ActiveRun>();
  const endings = new Map<string, Promise<RunEvent & { type: 'done' }>>();

  function get(runId: string): ActiveRun {
    const run = runs.get(runId);
    if (!run) throw new RunError('E_NOT_FOUND', `No run "${runId}" is in progress.`);
    return run;
  }

  function control(runId: string, message: HostControl): void {
    get(runId).worker.postMessage(message);
  }

  async function resolveResume(projectDir: string, resume: true | string): Promise<string> {
    // A run that reported `done` is resumable as soon as its worker has exited: wait for that moment.
    await Promise.all([...runs.values()].filter((r) => r.projectDir === projectDir && r.doneReported).map((r) => r.ended));
    if (typeof resume === 'string') return resume;
    const candidate = (await listRunSummaries(projectDir)).find((r) => r.hasCheckpoint && r.status !== 'completed' && !runs.has(r.runId));
    if (!candidate) throw new RunError('E_NOT_FOUND', 'No run of this project can be resumed: none has a checkpoint and stopped before completing.');
    return candidate.runId;
  }

  return {
    async start(request) {
      const resumeId = request.resume ? await resolveResume(request.projectDir, request.resume) : undefined;
      const runId = resumeId ?? request.runId ?? newRunId();
      if (runs.has(runId)) throw new RunError('E_UNAVAILABLE', `Run "${runId}" is already in progress.`);
      const start: HostStart = {
        v: HOST_PROTOCOL_VERSION,
        runId,
        projectDir: request.projectDir,
        project: request.project,
        backend: request.backend ?? 'auto',
        ...(request.epochs !== undefined ? { epochs: request.epochs } : {}),
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
        ...(request.kfold !== undefined ? { kfold: request.kfold } : {}),
        ...(resumeId !== undefined ? { resume: resumeId } : {}),
      };
      const worker = new Worker(options.hostEntry, { workerData: start });
      let finish!: (done: RunEvent & { type: 'done' }) => void;
      const active: ActiveRun = { runId, projectDir: request.projectDir, worker, ended: new Promise((resolve) => (finish = resolve)), doneReported: false };
      runs.set(runId, active);
      endings.set(runId, active.ended);
      const deliver = (events: RunEvent[]) => options.onEvents?.(runId, request.projectDir, events);
      let failure: string | undefined;
      let reported: (RunEvent & { type: 'done' }) | undefined;

      worker.on('message', (message: unknown) => {
        if (!isHostMessage(message)) return;
        if (message.type === 'failed') {
          failure = message.message;
          return;
        }
        deliver(message.events);
        const done = message.events.find((e): e is RunEvent & { type: 'done' } => e.type === 'done');
        if (done) {
          reported = done;
          active.doneReported = true;
        }
      });
      worker.on('error', (e) => (failure ??= `the engine host crashed: ${e.message}`));
      worker.on('exit', (code) => {
        runs.delete(runId);
        // `finished` resolves once the worker is gone, so the run can be resumed at once
        if (reported) return finish(reported);
        void (async () => {
          const dir = runDir(request.projectDir, runId);
          const checkpoint = await readCheckpoint(dir).catch(() => undefined);
          const reason = failure ?? `the engine host stopped unexpectedly (exit code ${code})`;
          const message = `${reason[0].toUpperCase()}${reason.slice(1)}.${checkpoint ? ` Resume it to continue from its last checkpoint (step ${checkpoint.position.step}).` : ''}`;
          const done = runEvent('done', { status: 'failed', step: checkpoint?.position.step ?? 0, epochs: checkpoint?.position.epoch ?? 0, seconds: 0, metrics: checkpoint?.position.metrics ?? {}, message, resumable: checkpoint !== undefined });
          // a run that failed before its folder existed has no log to append to
          if (failure === undefined || checkpoint) await appendEvents(dir, [done]).catch(() => undefined);
          deliver([done]);
          finish(done);
        })();
      });
      return { runId };
    },
    pause: (runId) => control(runId, { type: 'pause' }),
    resume: (runId) => control(runId, { type: 'resume' }),
    stop: (runId) => control(runId, { type: 'stop' }),
    async kill(runId) {
      await get(runId).worker.terminate();
    },
    finished(runId) {
      return endings.get(runId) ?? Promise.reject(new RunError('E_NOT_FOUND', `No run "${runId}" was started here.`));
    },
    active: () => [...runs.keys()],
    async close() {
      const all = [...runs.values()];
      for (const run of all) run.worker.postMessage({ type: 'stop' } satisfies HostControl);
      await Promise.all(all.map((run) => run.ended));
    },
  };
}
