/**
 * @file The export handler of the studio contract: the project's trained model into
 * `<project>/exports/` (never elsewhere: the renderer names no output path), then, on the desktop,
 * the result shown in the file manager. Export problems become one `E_EXPORT` reply.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError, type StudioHandlers } from '../../../core/contract';
import { ExportError } from '../../../core/export/errors';
import { SafetensorsError } from '../../../core/export/safetensors';
import type { ProjectStore } from '../projectStore';
import { exportModel, type ExportFormat } from './exportModel';

/** The desktop's file manager (Electron's `shell.showItemInFolder`); absent in web mode and tests. */
export interface FileManager {
  showItemInFolder(path: string): void;
}

export interface ExportServiceOptions {
  store: ProjectStore;
  version: string;
  fileManager?: FileManager;
}

const EXTENSIONS: Record<ExportFormat, string> = { safetensors: '.safetensors', onnx: '.onnx', pytorch: '-pytorch' };

/** `exports/<project>-<run or "initial">[-<checkpoint>]<ext>`, file-name safe. */
export function exportName(projectName: string, format: ExportFormat, runId: string | undefined, checkpoint: string | undefined): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
  return `${safe(projectName)}-${runId ? safe(runId) : 'latest'}${checkpoint ? `-${checkpoint}` : ''}${EXTENSIONS[format]}`;
}

export function createExportService(options: ExportServiceOptions): { handlers: Pick<StudioHandlers, 'exportProject'> } {
  return {
    handlers: {
      exportProject: async ({ path, format, runId, checkpoint, reveal }) => {
        const opened = await options.store.open(path);
        const out = join(opened.path, 'exports', exportName(opened.project.name, format, runId, checkpoint));
        try {
          await mkdir(join(opened.path, 'exports'), { recursive: true });
          const result = await exportModel({ projectDir: opened.path, project: opened.project, format, out, run: runId, checkpoint, engineVersion: options.version });
          const revealed = reveal === true && options.fileManager !== undefined;
          if (revealed) options.fileManager?.showItemInFolder(result.path);
          return { path: result.path, files: result.files, source: result.source, notes: result.notes, revealed };
        } catch (e) {
          if (e instanceof ExportError || e instanceof SafetensorsError) throw new StudioError('E_EXPORT', e.message);
          throw e;
        }
      },
    },
  };
}
