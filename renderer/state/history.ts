/**
 * @file Undo history as a list of project snapshots. Projects are immutable values that share
 * what did not change, so a snapshot costs only the changed path. Consecutive edits with the same
 * `coalesce` key (typing in one field) make one step.
 */
import type { Project } from '../../core/project/schema';

export const HISTORY_LIMIT = 200;

export interface HistoryEntry {
  project: Project;
  activeNetworkId: string | null;
}

export interface History {
  past: HistoryEntry[];
  future: HistoryEntry[];
  /** The key of the last recorded edit, while further edits with it fold into the same step. */
  lastCoalesce: string | null;
}

export const emptyHistory = (): History => ({ past: [], future: [], lastCoalesce: null });

/** Records `before` as the state an undo returns to (unless the edit folds into the previous step). */
export function record(history: History, before: HistoryEntry, coalesce: string | undefined): History {
  if (coalesce !== undefined && coalesce === history.lastCoalesce && history.past.length > 0) return { ...history, future: [] };
  const past = [...history.past, before];
  if (past.length > HISTORY_LIMIT) past.splice(0, past.length - HISTORY_LIMIT);
  return { past, future: [], lastCoalesce: coalesce ?? null };
}

export function undo(history: History, current: HistoryEntry): { history: History; entry: HistoryEntry } | null {
  const entry = history.past.at(-1);
  if (!entry) return null;
  return { history: { past: history.past.slice(0, -1), future: [current, ...history.future], lastCoalesce: null }, entry };
}

export function redo(history: History, current: HistoryEntry): { history: History; entry: HistoryEntry } | null {
  const entry = history.future[0];
  if (!entry) return null;
  return { history: { past: [...history.past, current], future: history.future.slice(1), lastCoalesce: null }, entry };
}
