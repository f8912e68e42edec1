/**
 * @file The runs of the open project: each run's dashboard model (folded from its events), the
 * services' listing of it, which run the dashboard shows, which runs are overlaid, and whether the
 * editor shows the canvas or the Train view. Event batches are folded as they arrive; views are
 * told to redraw at most ~10 times a second (`tick`).
 */
import { create } from 'zustand';
import type { RunEvent } from '../../core/train/events';
import { applyRunEvents } from '../dashboards/eventTable';
import { createRedrawThrottle, REDRAW_INTERVAL_MS, type Timers } from '../dashboards/redrawThrottle';
import { createRunView, type RunStatus, type RunView } from '../dashboards/runView';
import type { RunListing } from './runsClient';

export type EditorView = 'design' | 'data' | 'train';

export interface RunsState {
  view: EditorView;
  /** The project folder the runs belong to. */
  projectPath: string | null;
  runs: Record<string, RunView>;
  listings: Record<string, RunListing>;
  /** Run ids, newest first. */
  order: string[];
  /** The run the dashboard shows. */
  activeRunId: string | null;
  /** Runs overlaid on the comparison charts. */
  compare: string[];
  /** A request (start, pause, ...) is in flight. */
  pending: string | null;
  /** Bumped (throttled) after event batches: subscribe to redraw. */
  tick: number;

  setView(view: EditorView): void;
  /** Forget everything and follow the runs of the project at `path`. */
  reset(path: string | null): void;
  setListings(listings: RunListing[]): void;
  /** Fold a batch of events of `runId` (a new run id joins the history at the top). */
  ingest(runId: string, events: readonly RunEvent[]): void;
  /** Fold a run afresh from its whole log (hosts that do not push events); a local pause is kept. */
  replaceFromLog(runId: string, events: readonly RunEvent[]): void;
  /** A run the services just started: shown at once, before its first event. */
  addRun(runId: string): void;
  setStatus(runId: string, status: RunStatus): void;
  setActive(runId: string | null): void;
  toggleCompare(runId: string): void;
  setPending(pending: string | null): void;
}

let redrawTimers: Timers | undefined;
/** Tests inject timers; the app uses the browser's. */
export function setRunsRedrawTimers(timers: Timers | undefined): void {
  redrawTimers = timers;
  throttle.cancel();
  throttle = makeThrottle();
}

const makeThrottle = () => createRedrawThrottle(() => useRunsStore.setState((s) => ({ tick: s.tick + 1 })), REDRAW_INTERVAL_MS, redrawTimers);
let throttle = makeThrottle();

const startedAt = (run: RunView | undefined, listing: RunListing | undefined): string => listing?.startedAt ?? run?.runId ?? '';

export const useRunsStore = create<RunsState>()((set, get) => {
  const ensureRun = (runId: string): RunView => {
    const existing = get().runs[runId];
    if (existing) return existing;
    const run = createRunView(runId);
    set((s) => ({
      runs: { ...s.runs, [runId]: run },
      order: s.order.includes(runId) ? s.order : [runId, ...s.order],
      activeRunId: s.activeRunId ?? runId,
    }));
    return run;
  };

  return {
    view: 'design',
    projectPath: null,
    runs: {},
    listings: {},
    order: [],
    activeRunId: null,
    compare: [],
    pending: null,
    tick: 0,

    setView: (view) => set({ view }),
    reset: (projectPath) => {
      throttle.cancel();
      set({ projectPath, runs: {}, listings: {}, order: [], activeRunId: null, compare: [], pending: null, tick: get().tick + 1 });
    },
    setListings: (list) => {
      const listings = Object.fromEntries(list.map((l) => [l.runId, l]));
      set((s) => {
        const known = new Set([...list.map((l) => l.runId), ...s.order]);
        const order = [...known].sort((a, b) => startedAt(s.runs[b], listings[b]).localeCompare(startedAt(s.runs[a], listings[a])));
        return { listings: { ...s.listings, ...listings }, order, activeRunId: s.activeRunId ?? order[0] ?? null };
      });
    },
    ingest: (runId, events) => {
      const run = ensureRun(runId);
      applyRunEvents(run, events);
      throttle.request();
    },
    replaceFromLog: (runId, events) => {
      const old = get().runs[runId];
      const run = createRunView(runId);
      applyRunEvents(run, events);
      if (old?.status === 'paused' && !run.done) run.status = 'paused';
      run.version = (old?.version ?? 0) + 1;
      set((s) => ({ runs: { ...s.runs, [runId]: run }, order: s.order.includes(runId) ? s.order : [runId, ...s.order] }));
      throttle.request();
    },
    addRun: (runId) => {
      ensureRun(runId);
      set({ activeRunId: runId });
    },
    setStatus: (runId, status) => {
      const run = get().runs[runId];
      if (!run || run.status === status) return;
      run.status = status;
      run.version++;
      set((s) => ({ tick: s.tick + 1 }));
    },
    setActive: (activeRunId) => set({ activeRunId }),
    toggleCompare: (runId) => set((s) => ({ compare: s.compare.includes(runId) ? s.compare.filter((id) => id !== runId) : [...s.compare, runId] })),
    setPending: (pending) => set({ pending }),
  };
});

/** The run the dashboard shows. */
export const selectActiveRun = (s: RunsState): RunView | null => (s.activeRunId ? (s.runs[s.activeRunId] ?? null) : null);

/** The run the toolbar controls: the newest one still going, else the one the dashboard shows. */
export const selectControlledRun = (s: RunsState): RunView | null => {
  for (const id of s.order) {
    const run = s.runs[id];
    if (run && isLive(run.status)) return run;
  }
  return selectActiveRun(s);
};

export const isLive = (status: RunStatus): boolean => status === 'starting' || status === 'running' || status === 'paused';
