/**
 * @file Connects the editor to the project's runs: builds the run client and actions from the
 * studio, follows the `runEvents` stream for as long as a project is open (so a run keeps drawing
 * while the canvas is shown; a host that does not push them has its live runs' logs re-read), and
 * reloads the history when another project opens.
 */
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import '../dashboards/dashboards.css';
import { useStudio } from '../app/studioContext';
import { useStudioStore } from '../state/studioStore';
import { createRunActions, type RunActions } from './runActions';
import { runsClientOf, type RunsClient } from './runsClient';
import { isLive, useRunsStore } from './runsStore';

/** How often a host without pushed run events has its live runs' logs re-read. */
const LOG_POLL_MS = 2_000;

export interface RunsContextValue {
  client: RunsClient;
  actions: RunActions;
  /** The host pushes run events (otherwise only recorded runs show). */
  live: boolean;
}

const RunsContext = createContext<RunsContextValue | null>(null);

/** The run client and actions (null outside the editor). */
export function useRuns(): RunsContextValue | null {
  return useContext(RunsContext);
}

export function RunsProvider({ children }: { children: ReactNode }) {
  const { studio, commands } = useStudio();
  const value = useMemo<RunsContextValue>(() => {
    const client = runsClientOf(studio);
    return { client, actions: createRunActions(client, commands), live: client.live };
  }, [studio, commands]);
  const path = useStudioStore((s) => s.document?.path ?? null);

  useEffect(() => {
    return value.client.onRunEvents((batch) => {
      const { projectPath, ingest } = useRunsStore.getState();
      // Runs of another project (another window) are not this history's.
      if (projectPath && (batch.path === undefined || batch.path === projectPath)) ingest(batch.runId, batch.events);
    });
  }, [value]);

  // Without pushed events, follow the live runs by re-reading their logs.
  useEffect(() => {
    if (value.live || !path) return;
    const timer = setInterval(() => {
      const { runs, projectPath, replaceFromLog } = useRunsStore.getState();
      for (const run of Object.values(runs)) {
        if (projectPath !== path || !isLive(run.status)) continue;
        value.client.readRunEvents({ path, runId: run.runId }).then(
          (events) => {
            if (useRunsStore.getState().projectPath === path && events.length) replaceFromLog(run.runId, events);
          },
          () => {},
        );
      }
    }, LOG_POLL_MS);
    return () => clearInterval(timer);
  }, [value, path]);

  useEffect(() => {
    if (useRunsStore.getState().projectPath === path) return;
    useRunsStore.getState().reset(path);
    if (path) void value.actions.loadHistory(path);
  }, [value, path]);

  return <RunsContext.Provider value={value}>{children}</RunsContext.Provider>;
}
