/**
 * @file What the run toolbar and the history can ask for: train (saving unsaved work first, since
 * the services train the project file), pause, resume, stop, continue a failed or stopped run from
 * its checkpoint, and (re)load the project's run history. Each failure becomes one notice.
 */
import { describeError } from '../app/describeError';
import type { StudioCommands } from '../app/commands';
import { notify } from '../state/noticeStore';
import { useStudioStore } from '../state/studioStore';
import type { BackendChoice, RunsClient } from './runsClient';
import { listedStatus } from './runLabels';
import { isLive, useRunsStore } from './runsStore';

export interface TrainOptions {
  backend: BackendChoice;
  /** Overrides the recipe's epochs for this run. */
  epochs?: number;
}

export interface RunActions {
  train(options: TrainOptions): Promise<void>;
  pause(runId: string): Promise<void>;
  resume(runId: string): Promise<void>;
  stop(runId: string): Promise<void>;
  /** A new run that continues `runId` from its last checkpoint. */
  continueFromCheckpoint(runId: string, backend?: BackendChoice): Promise<void>;
  /** Read the project's runs and their logs (the newest `limit`). */
  loadHistory(path: string, limit?: number): Promise<void>;
}

const HISTORY_LOGS_READ = 30;

export function createRunActions(client: RunsClient, commands: Pick<StudioCommands, 'save'>): RunActions {
  const runs = useRunsStore;

  async function attempt(label: string, doing: string, action: () => Promise<void>): Promise<void> {
    if (runs.getState().pending) return;
    runs.getState().setPending(label);
    try {
      await action();
    } catch (error) {
      notify('error', describeError(error, doing));
    } finally {
      runs.getState().setPending(null);
    }
  }

  /** The project file is what trains: save unsaved edits first. */
  async function savedPath(): Promise<string | null> {
    const document = useStudioStore.getState().document;
    if (!document) return null;
    if (document.dirty && !(await commands.save())) return null;
    return useStudioStore.getState().document?.path ?? null;
  }

  async function begin(request: { backend: BackendChoice; epochs?: number; resume?: string }): Promise<void> {
    const path = await savedPath();
    if (!path) return;
    const { runId } = await client.startRun({ path, ...request });
    runs.getState().addRun(runId);
    runs.getState().setView('train');
  }

  return {
    train: (options) => attempt('start', 'Could not start training', () => begin({ backend: options.backend, ...(options.epochs ? { epochs: options.epochs } : {}) })),
    pause: (runId) =>
      attempt('pause', 'Could not pause the run', async () => {
        await client.pauseRun({ runId });
        runs.getState().setStatus(runId, 'paused');
      }),
    resume: (runId) =>
      attempt('resume', 'Could not resume the run', async () => {
        await client.resumeRun({ runId });
        runs.getState().setStatus(runId, 'running');
      }),
    stop: (runId) =>
      attempt('stop', 'Could not stop the run', async () => {
        await client.stopRun({ runId });
      }),
    continueFromCheckpoint: (runId, backend = 'auto') => attempt('start', 'Could not resume from the checkpoint', () => begin({ backend, resume: runId })),
    loadHistory: async (path, limit = HISTORY_LOGS_READ) => {
      try {
        const listings = await client.listRuns({ path });
        if (runs.getState().projectPath !== path) return;
        runs.getState().setListings(listings);
        const newest = runs.getState().order.slice(0, limit);
        for (const runId of newest) {
          if (runs.getState().runs[runId]?.version) continue;
          const events = await client.readRunEvents({ path, runId });
          if (runs.getState().projectPath !== path) return;
          // Live batches may have arrived meanwhile; folding the log first keeps steps in order.
          if (!runs.getState().runs[runId]?.version) runs.getState().ingest(runId, events);
          // A log cut short (the services were killed mid-run) has no `done`: the listing knows better.
          const listed = runs.getState().listings[runId]?.status;
          const run = runs.getState().runs[runId];
          if (run && listed && listed !== 'running' && isLive(run.status)) runs.getState().setStatus(runId, listedStatus(listed));
        }
      } catch (error) {
        notify('error', describeError(error, 'Could not read the run history'));
      }
    },
  };
}
