/**
 * @file The studio services: one handler per request of the contract (`StudioHandlers`, checked
 * exhaustive by the compiler), built on plain Node. No `electron` import here or anywhere in this
 * folder: Electron main, `brrr serve` and the `brrr` command line all host these same handlers.
 *
 * Later services (dataset catalog, compile, run manager, export) each get their own file in this
 * folder and their handlers join the table below when their messages join core/contract.
 */
import path from 'node:path';
import { CONTRACT_VERSION, StudioError, type EventName, type EventOf, type StudioHandlers } from '../../core/contract';
import { templateInfos } from '../../core/templates';
import { createDatasetService } from './datasets/service';
import { createExportService, type FileManager } from './export/service';
import { createProjectStore, type ProjectSummary } from './projectStore';
import { createRecentProjects } from './recentProjects';
import { createRecoveryStore } from './recovery';
import { createRunService } from './runs/runService';

/** Native open/save dialogs; only the desktop host has them. Each resolves to a path, or null when cancelled. */
export interface Dialogs {
  /** Asks for a project folder (or its project file) to open. */
  showOpenDialog(): Promise<string | null>;
  /** Asks where to save a project; `suggestedName` is the proposed folder name. */
  showSaveDialog(suggestedName: string): Promise<string | null>;
}

export interface StudioServicesOptions {
  host: 'desktop' | 'web' | 'test';
  /** Where new projects are created unless the user picks a folder. */
  workspaceDir: string;
  /** The app's own config folder (recent projects live here). */
  configDir: string;
  /** A project to open at start, or null. */
  startupProject: string | null;
  dialogs?: Dialogs;
  version: string;
  /** Called after the recent-projects list changed (Electron rebuilds its Open Recent menu). */
  onRecentProjectsChanged?: (folders: string[]) => void;
  /** Where non-fatal problems are reported (for example a config folder that cannot be written). */
  log?: (message: string) => void;
  /** Pushes a studio event to the renderer (training runs send `runEvents`). */
  emit?: <K extends EventName>(event: K, payload: EventOf<K>) => void;
  /** The built engine-host worker of training runs (default: dist/engine/host.mjs beside the bundle). */
  engineHost?: string | URL;
  /** Shows an exported file in the file manager (desktop: Electron's shell.showItemInFolder). */
  fileManager?: FileManager;
}

export function createStudioServices(options: StudioServicesOptions): StudioHandlers {
  const store = createProjectStore({ workspaceDir: options.workspaceDir });
  const recents = createRecentProjects(options.configDir, options.onRecentProjectsChanged);
  const recovery = createRecoveryStore(options.configDir);
  const log = options.log ?? (() => undefined);
  const { dialogs } = options;
  const runs = createRunService({ store, hostEntry: options.engineHost, emit: (payload) => options.emit?.('runEvents', payload) });

  /** Recording a recent project must never fail the open or save that caused it. */
  async function remember(folder: string): Promise<void> {
    await recents.add(folder).catch((e: unknown) => log(`[brrr] could not update the recent projects list: ${e instanceof Error ? e.message : String(e)}`));
  }

  function requireDialogs(): Dialogs {
    if (!dialogs) throw new StudioError('E_UNAVAILABLE', 'Native file dialogs are not available here; type a path instead.');
    return dialogs;
  }

  const handlers: StudioHandlers = {
    getAppInfo: async () => ({
      name: 'Brrr Studio',
      version: options.version,
      contractVersion: CONTRACT_VERSION,
      host: options.host,
      platform: process.platform,
      capabilities: { nativeDialogs: dialogs !== undefined, nativeMenu: options.host === 'desktop' },
      workspaceDir: path.resolve(options.workspaceDir),
      startupProject: options.startupProject,
    }),
    listTemplates: async () => templateInfos(),
    listRecentProjects: async () => {
      const folders = await recents.list();
      const summaries = await Promise.all(folders.map((folder) => store.summarize(folder)));
      const present = summaries.filter((s): s is ProjectSummary => s !== null);
      if (present.length < folders.length) {
        const keep = new Set(present.map((s) => s.path));
        await recents.retain((folder) => keep.has(folder)).catch(() => undefined);
      }
      return present;
    },
    listWorkspaceProjects: async () => store.listWorkspace(),
    createProject: async ({ template, name, dir }) => {
      const opened = await store.create(template, name, dir);
      await remember(opened.path);
      return opened;
    },
    openProject: async ({ path }) => {
      const opened = await store.open(path);
      await remember(opened.path);
      return opened;
    },
    saveProject: async ({ path, project }) => {
      const saved = await store.save(path, project);
      await remember(saved.path);
      return saved;
    },
    showOpenDialog: async () => ({ path: await requireDialogs().showOpenDialog() }),
    showSaveDialog: async ({ suggestedName }) => ({ path: await requireDialogs().showSaveDialog(suggestedName) }),
    writeRecovery: async ({ path, project }) => ({ writtenAt: await recovery.write(path, project) }),
    readRecovery: async ({ path }) => ({ recovery: await recovery.read(path) }),
    discardRecovery: async ({ path }) => {
      await recovery.discard(path);
      return {};
    },
    ...runs.handlers,
    ...createDatasetService().handlers,
    ...createExportService({ store, version: options.version, fileManager: options.fileManager }).handlers,
  };
  return handlers;
}
