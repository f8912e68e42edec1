/**
 * @file The app's state: what the host said about itself and the project open in the editor,
 * with its undo history. The project document is the one source of truth: every edit goes through
 * `editProject` (or `editNetwork`) and is one undoable step.
 */
import { create } from 'zustand';
import type { ResponseOf } from '../../core/contract/studio';
import type { Network, Project } from '../../core/project/schema';
import { replaceNetworkIn } from '../graph/networks';
import { emptyHistory, record, redo, undo, type History, type HistoryEntry } from './history';

export type AppInfo = ResponseOf<'getAppInfo'>;
export type OpenedProject = ResponseOf<'openProject'>;

export interface OpenDocument {
  /** The project folder. */
  path: string;
  project: Project;
  /** The project as last loaded or saved: the document is dirty while it differs. */
  savedProject: Project;
  /** Edited since the last save or load. */
  dirty: boolean;
  /** ISO time of the last save in this session. */
  savedAt: string | null;
  /** Changes each time a document is loaded, so views holding derived state know to start over. */
  loadId: number;
  migratedFrom?: number;
}

export interface EditOptions {
  /** Edits in a row with the same key make one undo step (typing in one field). */
  coalesce?: string;
}

export interface StudioState {
  appInfo: AppInfo | null;
  /** Set when the studio cannot start (no services, no token): shown instead of the app. */
  startupError: string | null;
  document: OpenDocument | null;
  activeNetworkId: string | null;
  saving: boolean;
  history: History;

  setAppInfo(info: AppInfo): void;
  setStartupError(message: string | null): void;
  openDocument(opened: OpenedProject): void;
  /** Replace the open project by recovered work: a new document state that is dirty. */
  restoreProject(project: Project): void;
  closeDocument(): void;
  setActiveNetwork(id: string): void;
  /** One undoable edit of the whole project. A change that returns the same project records nothing. */
  editProject(change: (project: Project) => Project, options?: EditOptions & { activeNetworkId?: string }): void;
  /** One undoable edit of the active network. */
  editNetwork(change: (network: Network) => Network, options?: EditOptions): void;
  /** Replace one network of the open project (one undoable edit). */
  replaceNetwork(network: Network): void;
  undo(): void;
  redo(): void;
  setSaving(saving: boolean): void;
  /** A save of `project` to `path` finished; still dirty if the project changed meanwhile. */
  markSaved(path: string, savedAt: string, project: Project): void;
}

let loadCounter = 0;

const entryOf = (s: StudioState): HistoryEntry | null => (s.document ? { project: s.document.project, activeNetworkId: s.activeNetworkId } : null);

export const useStudioStore = create<StudioState>()((set, get) => {
  /** Moves the document to `project` (history already updated by the caller). */
  const withProject = (document: OpenDocument, project: Project): OpenDocument => ({ ...document, project, dirty: project !== document.savedProject });

  function step(direction: typeof undo): void {
    const state = get();
    const current = entryOf(state);
    if (!current || !state.document) return;
    const moved = direction(state.history, current);
    if (!moved) return;
    const { project, activeNetworkId } = moved.entry;
    const active = project.networks.some((n) => n.id === activeNetworkId) ? activeNetworkId : (project.networks[0]?.id ?? null);
    set({ document: withProject(state.document, project), activeNetworkId: active, history: moved.history });
  }

  return {
    appInfo: null,
    startupError: null,
    document: null,
    activeNetworkId: null,
    saving: false,
    history: emptyHistory(),

    setAppInfo: (appInfo) => set({ appInfo, startupError: null }),
    setStartupError: (startupError) => set({ startupError }),
    openDocument: (opened) =>
      set({
        document: { path: opened.path, project: opened.project, savedProject: opened.project, dirty: false, savedAt: null, loadId: ++loadCounter, migratedFrom: opened.migratedFrom },
        activeNetworkId: opened.project.networks[0]?.id ?? null,
        history: emptyHistory(),
      }),
    restoreProject: (project) =>
      set(({ document }) =>
        document ? { document: { ...document, project, dirty: true, loadId: ++loadCounter }, activeNetworkId: project.networks[0]?.id ?? null, history: emptyHistory() } : {},
      ),
    closeDocument: () => set({ document: null, activeNetworkId: null, history: emptyHistory() }),
    setActiveNetwork: (activeNetworkId) => set({ activeNetworkId }),
    editProject: (change, options = {}) => {
      const state = get();
      const current = entryOf(state);
      if (!current || !state.document) return;
      const project = change(state.document.project);
      if (project === state.document.project && options.activeNetworkId === undefined) return;
      set({
        document: withProject(state.document, project),
        history: record(state.history, current, options.coalesce),
        ...(options.activeNetworkId !== undefined ? { activeNetworkId: options.activeNetworkId } : {}),
      });
    },
    editNetwork: (change, options) => {
      const network = selectActiveNetwork(get());
      if (!network) return;
      get().editProject((project) => {
        const next = change(network);
        return next === network ? project : replaceNetworkIn(project, next);
      }, options);
    },
    replaceNetwork: (network) => get().editProject((project) => replaceNetworkIn(project, network)),
    undo: () => step(undo),
    redo: () => step(redo),
    setSaving: (saving) => set({ saving }),
    markSaved: (path, savedAt, project) =>
      set(({ document }) => {
        if (!document) return {};
        return { document: { ...document, path, savedAt, savedProject: project, dirty: document.project !== project } };
      }),
  };
});

/** The network shown in the editor. */
export function selectActiveNetwork(state: Pick<StudioState, 'document' | 'activeNetworkId'>): Network | null {
  const networks = state.document?.project.networks ?? [];
  return networks.find((n) => n.id === state.activeNetworkId) ?? networks[0] ?? null;
}
