/**
 * @file Recovery files: the editor's autosave of unsaved work, one JSON file per project in the
 * app's config folder (`recovery/<hash of the project folder>.json`), never over the user's
 * project file. Written atomically; read back parsed (and migrated) like any project; removed
 * after a save or when the user declines it. A torn or foreign file reads as no recovery.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Project } from '../../core/project/schema';
import { parseProject } from '../../core/project/parse';
import { atomicWrite, isErrno } from './atomicWrite';

export const RECOVERY_DIR_NAME = 'recovery';

const RecoveryFileSchema = z.object({ version: z.literal(1), projectPath: z.string(), writtenAt: z.string(), project: z.unknown() });

export interface Recovery {
  project: Project;
  writtenAt: string;
}

export interface RecoveryStore {
  /** Writes the unsaved `project` of the project folder `projectPath`; resolves with the time written. */
  write(projectPath: string, project: Project): Promise<string>;
  read(projectPath: string): Promise<Recovery | null>;
  discard(projectPath: string): Promise<void>;
}

export function createRecoveryStore(configDir: string, now: () => Date = () => new Date()): RecoveryStore {
  const dir = path.join(configDir, RECOVERY_DIR_NAME);
  const fileFor = (projectPath: string): string => path.join(dir, `${createHash('sha256').update(path.resolve(projectPath)).digest('hex').slice(0, 24)}.json`);
  // Writes for one project run in order, so an older autosave never lands after a newer one.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    write: (projectPath, project) =>
      serial(async () => {
        const writtenAt = now().toISOString();
        await mkdir(dir, { recursive: true });
        await atomicWrite(fileFor(projectPath), `${JSON.stringify({ version: 1, projectPath: path.resolve(projectPath), writtenAt, project })}\n`);
        return writtenAt;
      }),
    read: (projectPath) =>
      serial(async () => {
        let text: string;
        try {
          text = await readFile(fileFor(projectPath), 'utf8');
        } catch (e) {
          if (isErrno(e, 'ENOENT')) return null;
          throw e;
        }
        try {
          const file = RecoveryFileSchema.safeParse(JSON.parse(text));
          if (!file.success || file.data.projectPath !== path.resolve(projectPath)) return null;
          const parsed = parseProject(file.data.project);
          return parsed.ok ? { project: parsed.project, writtenAt: file.data.writtenAt } : null;
        } catch {
          return null;
        }
      }),
    discard: (projectPath) =>
      serial(async () => {
        await unlink(fileFor(projectPath)).catch((e: unknown) => {
          if (!isErrno(e, 'ENOENT')) throw e;
        });
      }),
  };
}
