/**
 * @file What the user can ask the studio to do (create, open, save, save as, start over, undo,
 * redo), each one call through the `StudioApi` with its failure turned into a readable notice.
 * Shared by the in-app menu, keyboard shortcuts and the native menu's commands. Opening a project
 * offers the unsaved work a crashed session left in its recovery file.
 */
import type { EventOf, ResponseOf, StudioApi, TemplateName } from '../../core/contract/studio';
import type { Project } from '../../core/project/schema';
import { showExportDialog } from '../export/exportDialogStore';
import { askConfirm, askText } from '../state/dialogStore';
import { notify } from '../state/noticeStore';
import { useStudioStore } from '../state/studioStore';
import { describeError } from './describeError';
import { joinPath, slugify } from './paths';

export interface StudioCommands {
  /** Ask the host who it is; open its startup project if it names one. */
  bootstrap(): Promise<void>;
  createProject(template: TemplateName, name: string): Promise<boolean>;
  openProject(path: string): Promise<boolean>;
  /** Pick a project folder (native dialog, or an in-app prompt) and open it. */
  open(): Promise<void>;
  save(): Promise<boolean>;
  saveAs(): Promise<boolean>;
  /** Leave the editor for the start screen, after asking about unsaved changes. */
  startOver(): Promise<void>;
  /** Keep the unsaved state in the project's recovery file (autosave; never the project file). */
  autosave(): Promise<void>;
  runMenuCommand(event: EventOf<'menuCommand'>): void;
}

export function createCommands(studio: StudioApi): StudioCommands {
  const store = useStudioStore;

  async function attempt<T>(doing: string, action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (error) {
      notify('error', describeError(error, doing));
      return undefined;
    }
  }

  /** True when nothing unsaved would be lost, or the user agrees to lose it. */
  async function mayDiscard(): Promise<boolean> {
    const document = store.getState().document;
    if (!document?.dirty) return true;
    return askConfirm({
      title: 'Discard unsaved changes?',
      message: `"${document.project.name}" has changes that are not saved. They will be lost.`,
      confirmLabel: 'Discard changes',
      danger: true,
    });
  }

  async function saveTo(path: string): Promise<boolean> {
    const { document, saving } = store.getState();
    if (!document || saving) return false;
    const project = document.project;
    store.getState().setSaving(true);
    try {
      const saved = await attempt('Could not save the project', () => studio.saveProject({ path, project }));
      if (!saved) return false;
      store.getState().markSaved(saved.path, saved.savedAt, project);
      // The work is safe in the project file now: its recovery files are stale.
      for (const folder of new Set([document.path, saved.path])) await studio.discardRecovery({ path: folder }).catch(() => undefined);
      return true;
    } finally {
      store.getState().setSaving(false);
    }
  }

  /** After a crash: offer the newer unsaved state of the project just opened. */
  async function offerRecovery(path: string, project: Project): Promise<void> {
    let recovery: ResponseOf<'readRecovery'>['recovery'] = null;
    try {
      recovery = (await studio.readRecovery({ path })).recovery;
    } catch {
      return; // no recovery is no reason to refuse the open
    }
    if (!recovery) return;
    if (JSON.stringify(recovery.project) === JSON.stringify(project)) {
      await studio.discardRecovery({ path }).catch(() => undefined);
      return;
    }
    const when = formatTime(recovery.writtenAt);
    const recover = await askConfirm({
      title: 'Recover unsaved changes?',
      message: `Recover unsaved changes from ${when}? The studio closed before "${project.name}" was saved. Recovering opens them as unsaved changes; declining discards them.`,
      confirmLabel: 'Recover',
    });
    if (recover && store.getState().document?.path === path) {
      store.getState().restoreProject(recovery.project);
      notify('info', `Recovered the unsaved changes from ${when}. Save to keep them.`);
    } else await studio.discardRecovery({ path }).catch(() => undefined);
  }

  const commands: StudioCommands = {
    async bootstrap() {
      try {
        const info = await studio.getAppInfo({});
        store.getState().setAppInfo(info);
        if (info.startupProject) await commands.openProject(info.startupProject);
      } catch (error) {
        store.getState().setStartupError(describeError(error));
      }
    },

    async createProject(template, name) {
      const opened = await attempt('Could not create the project', () => studio.createProject({ template, name: name.trim() }));
      if (!opened) return false;
      store.getState().openDocument(opened);
      return true;
    },

    async openProject(path) {
      if (!(await mayDiscard())) return false;
      const opened = await attempt('Could not open the project', () => studio.openProject({ path }));
      if (!opened) return false;
      store.getState().openDocument(opened);
      await offerRecovery(opened.path, opened.project);
      if (opened.migratedFrom !== undefined) notify('info', `This project was written by an older studio (format ${opened.migratedFrom}); it will be saved in the current format.`);
      return true;
    },

    async open() {
      const info = store.getState().appInfo;
      if (!info) return;
      let path: string | null | undefined;
      if (info.capabilities.nativeDialogs) {
        path = (await attempt('Could not show the open dialog', () => studio.showOpenDialog({})))?.path;
      } else {
        path = await askText({ title: 'Open project', label: 'Project folder', initial: joinPath(info.workspaceDir, ''), confirmLabel: 'Open', hint: 'The folder that holds project.brrr.json.' });
      }
      if (path?.trim()) await commands.openProject(path.trim());
    },

    async save() {
      const document = store.getState().document;
      return document ? saveTo(document.path) : false;
    },

    async saveAs() {
      const { document, appInfo } = store.getState();
      if (!document || !appInfo) return false;
      const suggestedName = document.project.name;
      let path: string | null | undefined;
      if (appInfo.capabilities.nativeDialogs) {
        path = (await attempt('Could not show the save dialog', () => studio.showSaveDialog({ suggestedName })))?.path;
      } else {
        path = await askText({
          title: 'Save project as',
          label: 'Project folder',
          initial: joinPath(appInfo.workspaceDir, `${slugify(suggestedName)}-copy`),
          confirmLabel: 'Save',
          hint: 'A new folder; the project is written there and stays open from there.',
        });
      }
      return path?.trim() ? saveTo(path.trim()) : false;
    },

    async startOver() {
      if (await mayDiscard()) store.getState().closeDocument();
    },

    async autosave() {
      const document = store.getState().document;
      if (!document?.dirty) return;
      await studio.writeRecovery({ path: document.path, project: document.project }).catch(() => undefined);
    },

    runMenuCommand(event) {
      switch (event.command) {
        case 'new':
          void commands.startOver();
          return;
        case 'open':
          void (event.path ? commands.openProject(event.path) : commands.open());
          return;
        case 'save':
          void commands.save();
          return;
        case 'saveAs':
          void commands.saveAs();
          return;
        case 'export':
          if (store.getState().document) showExportDialog();
          else notify('info', 'Open a project to export it.');
          return;
        case 'undo':
          store.getState().undo();
          return;
        case 'redo':
          store.getState().redo();
          return;
        default:
          event.command satisfies never;
      }
    },
  };
  return commands;
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
