/**
 * @file The PROJECT argument: a project folder (holding project.brrr.json) or that file, opened
 * through the project store before any work starts. A file that does not parse is reported
 * with its path and the problem's place in the document.
 */
import { join } from 'node:path';
import { PROJECT_FILE_NAME, type Project } from '../../core/project';
import { createProjectStore } from '../services/projectStore';

export interface LoadedProject {
  /** The project document's path. */
  file: string;
  /** The project folder (datasets and runs are relative to it). */
  dir: string;
  project: Project;
  /** Set when the file was written by an older studio and migrated in memory. */
  migratedFrom?: number;
}

/** Throws the store's StudioError (`main` turns it into one line) when there is no valid project. */
export async function loadProjectArg(cwd: string, arg: string): Promise<LoadedProject> {
  const opened = await createProjectStore({ workspaceDir: cwd }).open(arg);
  const loaded: LoadedProject = { file: join(opened.path, PROJECT_FILE_NAME), dir: opened.path, project: opened.project };
  if (opened.migratedFrom !== undefined) loaded.migratedFrom = opened.migratedFrom;
  return loaded;
}
