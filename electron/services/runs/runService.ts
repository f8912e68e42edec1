/**
 * @file The run handlers of the studio contract: start (the saved project, in an engine-host
 * worker), pause, resume, stop, the run history and a run's logged events. Event batches go to
 * `emit` as `runEvents` studio events.
 */
import { StudioError, type EventOf, type StudioHandlers } from '../../../core/contract';
import { TrainingSetupError } from '../../../core/train/supervised';
import type { ProjectStore } from '../projectStore';
import { createRunManager, defaultHostEntry, RunError, type RunManager } from './runManager';
import { listRunSummaries, readEvents, readRunSettings, runDir } from './runFolder';

export type RunHandlers = Pick<StudioHandlers, 'startRun' | 'pauseRun' | 'resumeRun' | 'stopRun' | 'listRuns' | 'readRunEvents'>;

export interface RunServiceOptions {
  store: ProjectStore;
  /** The built engine host; default dist/engine/host.mjs next to the running bundle. */
  hostEntry?: string | URL;
  emit?: (payload: EventOf<'runEvents'>) => void;
}

function asStudioError(e: unknown): never {
  if (e instanceof RunError) throw new StudioError(e.code, e.message);
  if (e instanceof TrainingSetupError) throw new StudioError('E_PROJECT_INVALID', e.message);
  throw e;
}

export function createRunService(options: RunServiceOptions): { handlers: RunHandlers; manager: RunManager } {
  const manager = createRunManager({
    hostEntry: options.hostEntry ?? defaultHostEntry(),
    onEvents: (runId, projectDir, events) => options.emit?.({ runId, path: projectDir, events }),
  });
  const control = (f: (runId: string) => void) => async ({ runId }: { runId: string }) => {
    try {
      f(runId);
    } catch (e) {
      asStudioError(e);
    }
    return {};
  };
  const handlers: RunHandlers = {
    startRun: async ({ path: projectPath, backend, epochs, resume }) => {
      const opened = await options.store.open(projectPath);
      try {
        return await manager.start({ projectDir: opened.path, project: opened.project, backend: backend ?? 'auto', ...(epochs !== undefined ? { epochs } : {}), ...(resume !== undefined ? { resume } : {}) });
      } catch (e) {
        return asStudioError(e);
      }
    },
    pauseRun: control((runId) => manager.pause(runId)),
    resumeRun: control((runId) => manager.resume(runId)),
    stopRun: control((runId) => manager.stop(runId)),
    listRuns: async ({ path: projectPath }) => {
      const opened = await options.store.open(projectPath);
      return listRunSummaries(opened.path);
    },
    readRunEvents: async ({ path: projectPath, runId }) => {
      const folder = (await options.store.open(projectPath)).path;
      const dir = runDir(folder, runId);
      if (!(await readRunSettings(dir))) throw new StudioError('E_NOT_FOUND', `The project at ${folder} has no run "${runId}".`);
      return { events: await readEvents(dir) };
    },
  };
  return { handlers, manager };
}
