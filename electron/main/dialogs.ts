/** @file Native open and save dialogs, implementing the services' `Dialogs` for the desktop host. */
import path from 'node:path';
import { dialog, type BrowserWindow } from 'electron';
import { PROJECT_FILE_NAME } from '../../core/project';
import type { Dialogs } from '../services/services';

export function createNativeDialogs(getWindow: () => BrowserWindow | null, workspaceDir: string): Dialogs {
  return {
    async showOpenDialog() {
      const options: Electron.OpenDialogOptions = {
        title: 'Open project',
        defaultPath: workspaceDir,
        buttonLabel: 'Open',
        message: `Pick a project folder (or its ${PROJECT_FILE_NAME}).`,
        // Only macOS lets one dialog pick a file or a folder; elsewhere a project is picked as its folder.
        properties: process.platform === 'darwin' ? ['openDirectory', 'openFile'] : ['openDirectory'],
        filters: [{ name: 'Brrr Studio project', extensions: ['json'] }],
      };
      const window = getWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async showSaveDialog(suggestedName) {
      const options: Electron.SaveDialogOptions = {
        title: 'Save project as',
        defaultPath: path.join(workspaceDir, suggestedName || 'Untitled'),
        buttonLabel: 'Save',
        message: 'The project is saved as a folder of this name.',
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const window = getWindow();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}
