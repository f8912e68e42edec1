/**
 * @file The app's state: what the host said about itself and the project open in the editor.
 * The project document is the one source of truth; the canvas edits it through `replaceNetwork`.
 */
import { create } from 'zustand';
import type { ResponseOf } from '../../core/contract/studio';
import type { Network, Project } from '../../core/project/schema';

export type AppInfo = ResponseOf<'getAppInfo'>;
export type OpenedProject = ResponseOf<'openProject'>;

export interface OpenDocument {
  /** The project folder. */
  path: string;
  project: Project;
  /** Edited since the last save or load. */
  dirty: boolean;
  /** ISO time of the last save in this session. */
  savedAt: string | null;
  /** Changes each time a document is loaded, so views holding derived state know to start over. */
  loadId: number;
  migratedFrom?: number;
}

export interface StudioState {
  appInfo: AppInfo | null;
  /** Set when the studio cannot start (no services, no token): shown instead of the app. */
  startupError: string | null;
  document: OpenDocument | null;
  activeNetworkId: string | null;
  saving: boolean;

  setAppInfo(info: AppInfo): void;
  setStartupError(message: string | null): void;
  openDocument(opened: OpenedProject): void;
  closeDocument(): void;
  setActiveNetwork(id: string): void;
  /** Replace one network of the open project; marks the document dirty. */
  replaceNetwork(network: Network): void;
  setSaving(saving: boolean): void;
  /** A save of `project` to `path` finished; still dirty if the project changed meanwhile. */
  markSaved(path: string, savedAt: string, project: Project): void;
}

let loadCounter = 0;

export const useStudioStore = create<StudioState>()((set) => ({
  appInfo: null,
  startupError: null,
  document: null,
  activeNetworkId: null,
  saving: false,

  setAppInfo: (appInfo) => set({ appInfo, startupError: null }),
  setStartupError: (startupError) => set({ startupError }),
  openDocument: (opened) =>
    set({
      document: { path: opened.path, project: opened.project, dirty: false, savedAt: null, loadId: ++loadCounter, migratedFrom: opened.migratedFrom },
      activeNetworkId: opened.project.networks[0]?.id ?? null,
    }),
  closeDocument: () => set({ document: null, activeNetworkId: null }),
  setActiveNetwork: (activeNetworkId) => set({ activeNetworkId }),
  replaceNetwork: (network) =>
    set(({ document }) => {
      if (!document) return {};
      const networks = document.project.networks.map((n) => (n.id === network.id ? network : n));
      return { document: { ...document, project: { ...document.project, networks }, dirty: true } };
    }),
  setSaving: (saving) => set({ saving }),
  markSaved: (path, savedAt, project) =>
    set(({ document }) => {
      if (!document) return {};
      return { document: { ...document, path, savedAt, dirty: document.project !== project } };
    }),
}));

/** The network shown in the editor. */
export function selectActiveNetwork(state: StudioState): Network | null {
  const networks = state.document?.project.networks ?? [];
  return networks.find((n) => n.id === state.activeNetworkId) ?? networks[0] ?? null;
}
