/**
 * @file The preload: `window.studio`, exactly one function per request of the contract plus one
 * subscription per event, nothing generic. Bundled to `dist/electron/preload.cjs` (sandboxed, so
 * everything but `electron` is inlined).
 *
 * A failed request rejects with a plain `{ name: 'StudioError', code, message, diagnostics? }`
 * object, not an Error instance: contextBridge rebuilds Errors from their message alone and drops
 * every other property, while plain objects cross intact. The renderer reads `code` and `message`.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { MenuCommandSchema, StudioError, studioEvents, unwrapReply, type RequestName, type ResponseOf, type ReplyError, type StudioApi } from '../../core/contract';

/** What a rejected `window.studio` call carries across the bridge. */
export interface BridgedStudioError {
  name: 'StudioError';
  code: ReplyError['code'];
  message: string;
  diagnostics?: ReplyError['diagnostics'];
}

async function settle<K extends RequestName>(name: K, reply: Promise<unknown>): Promise<ResponseOf<K>> {
  try {
    return unwrapReply(name, await reply);
  } catch (e) {
    throw toBridgedError(e, name);
  }
}

function toBridgedError(e: unknown, name: string): BridgedStudioError {
  if (e instanceof StudioError) {
    return e.diagnostics ? { name: 'StudioError', code: e.code, message: e.message, diagnostics: e.diagnostics } : { name: 'StudioError', code: e.code, message: e.message };
  }
  // ipcRenderer.invoke itself failed (no handler, window closing): the studio is not reachable.
  const detail = e instanceof Error ? e.message : String(e);
  return { name: 'StudioError', code: 'E_UNAVAILABLE', message: `${name} could not reach the studio: ${detail}` };
}

const MENU_COMMAND_CHANNEL = 'studio:event:menuCommand';
const RUN_EVENTS_CHANNEL = 'studio:event:runEvents';

const api = {
  getAppInfo: (request) => settle('getAppInfo', ipcRenderer.invoke('studio:getAppInfo', request)),
  listTemplates: (request) => settle('listTemplates', ipcRenderer.invoke('studio:listTemplates', request)),
  listRecentProjects: (request) => settle('listRecentProjects', ipcRenderer.invoke('studio:listRecentProjects', request)),
  listWorkspaceProjects: (request) => settle('listWorkspaceProjects', ipcRenderer.invoke('studio:listWorkspaceProjects', request)),
  createProject: (request) => settle('createProject', ipcRenderer.invoke('studio:createProject', request)),
  openProject: (request) => settle('openProject', ipcRenderer.invoke('studio:openProject', request)),
  saveProject: (request) => settle('saveProject', ipcRenderer.invoke('studio:saveProject', request)),
  showOpenDialog: (request) => settle('showOpenDialog', ipcRenderer.invoke('studio:showOpenDialog', request)),
  showSaveDialog: (request) => settle('showSaveDialog', ipcRenderer.invoke('studio:showSaveDialog', request)),
  writeRecovery: (request) => settle('writeRecovery', ipcRenderer.invoke('studio:writeRecovery', request)),
  readRecovery: (request) => settle('readRecovery', ipcRenderer.invoke('studio:readRecovery', request)),
  discardRecovery: (request) => settle('discardRecovery', ipcRenderer.invoke('studio:discardRecovery', request)),
  startRun: (request) => settle('startRun', ipcRenderer.invoke('studio:startRun', request)),
  pauseRun: (request) => settle('pauseRun', ipcRenderer.invoke('studio:pauseRun', request)),
  resumeRun: (request) => settle('resumeRun', ipcRenderer.invoke('studio:resumeRun', request)),
  stopRun: (request) => settle('stopRun', ipcRenderer.invoke('studio:stopRun', request)),
  listRuns: (request) => settle('listRuns', ipcRenderer.invoke('studio:listRuns', request)),
  readRunEvents: (request) => settle('readRunEvents', ipcRenderer.invoke('studio:readRunEvents', request)),
  describeDataset: (request) => settle('describeDataset', ipcRenderer.invoke('studio:describeDataset', request)),
  previewDataset: (request) => settle('previewDataset', ipcRenderer.invoke('studio:previewDataset', request)),
  exportProject: (request) => settle('exportProject', ipcRenderer.invoke('studio:exportProject', request)),
  onMenuCommand(listener) {
    // The IpcRendererEvent (and its `sender`) never reaches the page; only a parsed command does.
    const forward = (_event: IpcRendererEvent, payload: unknown): void => {
      const command = MenuCommandSchema.safeParse(payload);
      if (command.success) listener(command.data);
    };
    ipcRenderer.on(MENU_COMMAND_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(MENU_COMMAND_CHANNEL, forward);
    };
  },
  onRunEvents(listener) {
    const forward = (_event: IpcRendererEvent, payload: unknown): void => {
      const batch = studioEvents.runEvents.safeParse(payload);
      if (batch.success) listener(batch.data);
    };
    ipcRenderer.on(RUN_EVENTS_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(RUN_EVENTS_CHANNEL, forward);
    };
  },
} satisfies StudioApi;

contextBridge.exposeInMainWorld('studio', api);
