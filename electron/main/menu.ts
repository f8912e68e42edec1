/**
 * @file The application menu. Every studio item sends a `menuCommand` event to the renderer, which
 * owns the document and decides what happens (it may ask for a dialog through the contract).
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { EventOf } from '../../core/contract';

export type MenuCommand = EventOf<'menuCommand'>;

export interface MenuOptions {
  appName: string;
  platform: NodeJS.Platform;
  /** Most recent first. */
  recentProjects: readonly { path: string; name: string }[];
  send(command: MenuCommand): void;
}

/** The menu as plain data (only type imports from electron), so it reads as a table. */
export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { send } = options;
  const isMac = options.platform === 'darwin';
  const recent: MenuItemConstructorOptions[] = options.recentProjects.length
    ? options.recentProjects.map((p) => ({ label: `${p.name} — ${p.path}`, click: () => send({ command: 'open', path: p.path }) }))
    : [{ label: 'No recent projects', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: '&New Project…', accelerator: 'CmdOrCtrl+N', click: () => send({ command: 'new' }) },
      { label: '&Open Project…', accelerator: 'CmdOrCtrl+O', click: () => send({ command: 'open' }) },
      { label: 'Open &Recent', submenu: recent },
      { type: 'separator' },
      { label: '&Save', accelerator: 'CmdOrCtrl+S', click: () => send({ command: 'save' }) },
      { label: 'Save &As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => send({ command: 'saveAs' }) },
      { type: 'separator' },
      { label: '&Export…', accelerator: 'CmdOrCtrl+E', click: () => send({ command: 'export' }) },
      ...(isMac ? [] : [{ type: 'separator' } as const, { role: 'quit', label: '&Quit' } as const]),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { label: '&Undo', accelerator: 'CmdOrCtrl+Z', click: () => send({ command: 'undo' }) },
      { label: '&Redo', accelerator: isMac ? 'Cmd+Shift+Z' : 'Ctrl+Y', click: () => send({ command: 'redo' }) },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }, { role: 'toggleDevTools' }],
  };
  const app: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
  };
  return [...(isMac ? [app] : []), file, edit, view, { role: 'windowMenu' }];
}

export function installApplicationMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(options)));
}
