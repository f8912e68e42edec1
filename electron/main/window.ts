/**
 * @file The studio window and the session rules around it: sandboxed, context-isolated renderer
 * loaded from `app://studio/`, no navigation away, no new windows, no permissions, no remote content.
 */
import path from 'node:path';
import { BrowserWindow, dialog, session, shell } from 'electron';
import { APP_ENTRY_URL } from './appProtocol';
import { originOf } from './senderPolicy';

export interface MainWindowOptions {
  /** `dist/electron/preload.cjs`. */
  preloadPath: string;
  /** http(s) origins whose links may open in the OS browser; empty by default: nothing opens. */
  externalOrigins?: readonly string[];
  log: (message: string) => void;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Brrr Studio',
    show: false,
    webPreferences: {
      preload: path.resolve(options.preloadPath),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  const external = new Set((options.externalOrigins ?? []).map((o) => o.toLowerCase()));
  const contents = window.webContents;

  contents.setWindowOpenHandler(({ url }) => {
    const origin = originOf(url);
    if (origin !== null && /^https?:\/\//.test(origin) && external.has(origin)) void shell.openExternal(url);
    else options.log(`[brrr] blocked a new window for ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    // The renderer is one page and never navigates (reloads do not pass here); links go through setWindowOpenHandler.
    event.preventDefault();
    options.log(`[brrr] blocked navigation to ${url.slice(0, 200)}`);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  // The page vetoes unloading while the project has unsaved changes (beforeunload); ask the person.
  contents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Close without saving', 'Keep editing'],
      defaultId: 1,
      cancelId: 1,
      title: 'Unsaved changes',
      message: 'This project has changes that are not saved.',
      detail: 'They are kept in a recovery file and offered the next time you open the project.',
    });
    if (choice === 0) event.preventDefault(); // preventDefault here lets the unload go ahead
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());

  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

/** Session-wide rules: every permission denied, and no request leaves the machine. */
export function hardenSession(log: (message: string) => void): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`[brrr] denied permission request: ${permission}`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    log(`[brrr] blocked remote request to ${details.url.slice(0, 200)}`);
    callback({ cancel: true });
  });
}
