/**
 * @file What the user can ask the studio to do (create, open, save, save as, start over), each
 * one call through the `StudioApi` with its failure turned into a readable notice. Shared by the
 * in-app menu, keyboard shortcuts and the native menu's commands.
 */
import type { EventOf, StudioApi, TemplateName } from '../../core/contract/studio';
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
      return true;
    } finally {
      store.getState().setSaving(false);
    }
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
          notify('info', 'Export arrives in a later version.');
          return;
        case 'undo':
        case 'redo':
          notify('info', 'Undo and redo arrive in a later version.');
          return;
        default:
          event.command satisfies never;
      }
    },
  };
  return commands;
}
