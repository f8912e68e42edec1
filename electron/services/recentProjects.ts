/**
 * @file The recent-projects list: project folders, most recent first, at most MAX_RECENT_PROJECTS,
 * kept in one JSON file in the app's config folder and written atomically.
 */
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { atomicWrite, isErrno } from './atomicWrite';

export const RECENT_PROJECTS_FILE_NAME = 'recent-projects.json';
export const MAX_RECENT_PROJECTS = 10;

const RecentsFileSchema = z.object({ version: z.literal(1), projects: z.array(z.string().min(1)) });

export interface RecentProjects {
  /** Folders, most recent first. A missing or unreadable file reads as an empty list. */
  list(): Promise<string[]>;
  /** Moves (or puts) a folder at the top and trims the list. */
  add(folder: string): Promise<string[]>;
  /** Keeps only the folders for which `keep` is true (used to drop projects that vanished). */
  retain(keep: (folder: string) => boolean): Promise<string[]>;
}

export function createRecentProjects(configDir: string, onChange?: (folders: string[]) => void): RecentProjects {
  const file = path.join(configDir, RECENT_PROJECTS_FILE_NAME);
  // Updates run one after another so two quick saves never lose an entry.
  let queue: Promise<unknown> = Promise.resolve();

  async function read(): Promise<string[]> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return [];
      throw e;
    }
    try {
      const parsed = RecentsFileSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data.projects.slice(0, MAX_RECENT_PROJECTS) : [];
    } catch {
      return []; // a torn or hand-edited file only costs the list, never the app
    }
  }

  function update(change: (folders: string[]) => string[]): Promise<string[]> {
    const next = queue.then(async () => {
      const before = await read();
      const after = change(before).slice(0, MAX_RECENT_PROJECTS);
      if (after.length === before.length && after.every((f, i) => f === before[i])) return after;
      await mkdir(configDir, { recursive: true });
      await atomicWrite(file, `${JSON.stringify({ version: 1, projects: after }, null, 2)}\n`);
      onChange?.(after);
      return after;
    });
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    list: () => queue.then(read),
    add: (folder) => update((folders) => [folder, ...folders.filter((f) => f !== folder)]),
    retain: (keep) => update((folders) => folders.filter(keep)),
  };
}
