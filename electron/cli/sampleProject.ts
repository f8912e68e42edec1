/**
 * @file The sample project `npm start` opens: `<workspace>/Sample - MNIST MLP`, made from the
 * `mnist-mlp` template the first time and never overwritten afterwards (it is the user's now).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_FILE_NAME } from '../../core/project';
import { createProjectStore } from '../services/projectStore';

export const SAMPLE_PROJECT_NAME = 'Sample - MNIST MLP';
export const SAMPLE_TEMPLATE = 'mnist-mlp';

/** Returns the sample project's folder, creating it only when it holds no project file yet. */
export async function ensureSampleProject(workspaceDir: string): Promise<{ folder: string; created: boolean }> {
  const folder = join(workspaceDir, SAMPLE_PROJECT_NAME);
  const existing = await stat(join(folder, PROJECT_FILE_NAME)).catch(() => undefined);
  if (existing) return { folder, created: false };
  // create() writes with no-clobber semantics, so a project appearing meanwhile is kept, not replaced.
  await createProjectStore({ workspaceDir }).create(SAMPLE_TEMPLATE, SAMPLE_PROJECT_NAME, folder);
  return { folder, created: true };
}
