/**
 * @file The Electron main process: app lifecycle and wiring only. One instance; the services get
 * Electron's userData folder as their config folder and `~/Brrr Studio` as the workspace.
 * Bundled to `dist/electron/main.cjs`; launched as `electron . [--project <path>]`.
 */
import path from 'node:path';
import { app, BrowserWindow, shell } from 'electron';
import { createStudioServices } from '../services/services';
import { APP_ORIGIN, handleAppProtocol, registerAppScheme } from './appProtocol';
import { createNativeDialogs } from './dialogs';
import { registerIpcHandlers, sendEvent } from './ipc';
import { projectFromArgv } from './launchArgs';
import { installApplicationMenu, type MenuCommand } from './menu';
import { createMainWindow, hardenSession } from './window';

const log = (message: string): void => console.error(message);

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(start);
}

function start(): void {
  const appPath = app.getAppPath();
  const workspaceDir = path.join(app.getPath('home'), 'Brrr Studio');
  const startupArg = projectFromArgv(process.argv);
  const trustedWebContentsIds = new Set<number>();
  let mainWindow: BrowserWindow | null = null;

  const handlers = createStudioServices({
    host: 'desktop',
    workspaceDir,
    configDir: app.getPath('userData'),
    startupProject: startupArg === null ? null : path.resolve(startupArg),
    dialogs: createNativeDialogs(() => mainWindow, workspaceDir),
    fileManager: { showItemInFolder: (file) => shell.showItemInFolder(file) },
    version: app.getVersion(),
    onRecentProjectsChanged: () => void refreshMenu(),
    log,
    // training runs push their event batches to every trusted window
    emit: (event, payload) => {
      for (const window of BrowserWindow.getAllWindows()) if (trustedWebContentsIds.has(window.webContents.id)) sendEvent(window.webContents, event, payload);
    },
  });

  const sendMenuCommand = (command: MenuCommand): void => {
    const target = BrowserWindow.getFocusedWindow() ?? mainWindow;
    if (target && trustedWebContentsIds.has(target.webContents.id)) sendEvent(target.webContents, 'menuCommand', command);
  };

  async function refreshMenu(): Promise<void> {
    const recentProjects = await handlers.listRecentProjects({}).catch(() => []);
    installApplicationMenu({ appName: app.getName(), platform: process.platform, recentProjects, send: sendMenuCommand });
  }

  function openWindow(): BrowserWindow {
    const window = createMainWindow({ preloadPath: path.join(appPath, 'dist', 'electron', 'preload.cjs'), log });
    const id = window.webContents.id;
    trustedWebContentsIds.add(id);
    window.on('closed', () => {
      trustedWebContentsIds.delete(id);
      if (mainWindow === window) mainWindow = null;
    });
    return window;
  }

  handleAppProtocol(path.join(appPath, 'dist', 'renderer'));
  hardenSession(log);
  registerIpcHandlers(handlers, { trustedWebContentsIds, trustedOrigin: APP_ORIGIN }, log);
  app.on('web-contents-created', (_event, contents) => {
    // Whatever window appears (devtools included), it may not open others or host webviews.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  mainWindow = openWindow();
  void refreshMenu();

  app.on('second-instance', (_event, argv, workingDirectory) => {
    if (!mainWindow) mainWindow = openWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    const project = projectFromArgv(argv);
    if (project !== null) sendMenuCommand({ command: 'open', path: path.resolve(workingDirectory, project) });
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
