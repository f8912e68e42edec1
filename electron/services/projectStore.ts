/**
 * @file The project store: a project is a folder holding `project.brrr.json` (and later `runs/`,
 * `data/`). Creates projects from templates, opens, saves and lists them. Every write is atomic;
 * an existing project is never overwritten by a create.
 */
import { mkdir, readdir, readFile, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { StudioError, TEMPLATE_NAMES, type ResponseOf } from '../../core/contract';
import { PROJECT_FILE_NAME, parseProject, parseProjectText, serializeProject, type Project } from '../../core/project';
import { findTemplate } from '../../core/templates';
import { atomicWrite, isErrno, type AtomicFs } from './atomicWrite';

export type OpenedProject = ResponseOf<'openProject'>;
export type ProjectSummary = ResponseOf<'listWorkspaceProjects'>[number];

export interface ProjectStoreOptions {
  /** Where new projects go unless a folder is given; relative paths resolve against it too. */
  workspaceDir: string;
  /** File operations for atomic writes (tests inject failures). */
  fs?: AtomicFs;
}

export interface ProjectLocation {
  folder: string;
  file: string;
}

export interface ProjectStore {
  create(template: string, name: string, dir?: string): Promise<OpenedProject>;
  open(projectPath: string): Promise<OpenedProject>;
  save(projectPath: string, project: Project): Promise<{ path: string; savedAt: string }>;
  listWorkspace(): Promise<ProjectSummary[]>;
  /** Name and modification time of the project in `folder`; null when it has no project file. */
  summarize(folder: string): Promise<ProjectSummary | null>;
}

export function createProjectStore(options: ProjectStoreOptions): ProjectStore {
  const workspaceDir = path.resolve(options.workspaceDir);
  const resolve = (p: string): string => path.resolve(workspaceDir, p);
  const writeOptions = options.fs ? { fs: options.fs } : {};

  async function create(templateName: string, name: string, dir?: string): Promise<OpenedProject> {
    const template = findTemplate(templateName);
    if (!template) {
      const planned = (TEMPLATE_NAMES as readonly string[]).includes(templateName);
      throw planned
        ? new StudioError('E_UNAVAILABLE', `The template "${templateName}" is not available yet in this version of Brrr Studio.`)
        : new StudioError('E_NOT_FOUND', `There is no template named "${templateName}".`);
    }
    const built = parseProject(template.build(name));
    if (!built.ok) throw new StudioError('E_INTERNAL', `The template "${templateName}" builds an invalid project: ${built.diagnostics[0]?.message}`);
    const text = serializeProject(built.project);

    const folder = dir === undefined ? await makeUniqueFolder(workspaceDir, slugify(name)) : resolve(dir);
    if (dir !== undefined) await mkdir(folder, { recursive: true });
    const file = path.join(folder, PROJECT_FILE_NAME);
    try {
      await atomicWrite(file, text, { ...writeOptions, overwrite: false });
    } catch (e) {
      if (isErrno(e, 'EEXIST')) throw new StudioError('E_IO', `${folder} already holds a project; open it, or create the new one in another folder.`);
      if (dir === undefined) await rmdir(folder).catch(() => undefined); // the folder made above, still empty
      throw e;
    }
    return { path: folder, project: built.project };
  }

  async function open(projectPath: string): Promise<OpenedProject> {
    const { folder, file } = await locateExisting(resolve(projectPath));
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if (isErrno(e, 'ENOENT')) throw new StudioError('E_NOT_FOUND', `${folder} holds no ${PROJECT_FILE_NAME}, so it is not a Brrr Studio project.`);
      throw e;
    }
    const parsed = parseProjectText(text, PROJECT_FILE_NAME);
    if (!parsed.ok) {
      const count = parsed.diagnostics.length;
      const first = parsed.diagnostics[0]?.message ?? 'unknown problem';
      const more = count > 1 ? ` (and ${count - 1} more problem${count > 2 ? 's' : ''})` : '';
      throw new StudioError('E_PROJECT_INVALID', `Cannot open ${file}: ${first}${more}`, parsed.diagnostics.map((d) => ({ ...d })));
    }
    return parsed.migratedFrom === undefined ? { path: folder, project: parsed.project } : { path: folder, project: parsed.project, migratedFrom: parsed.migratedFrom };
  }

  async function save(projectPath: string, project: Project): Promise<{ path: string; savedAt: string }> {
    const { folder, file } = await locateForSave(resolve(projectPath));
    await mkdir(folder, { recursive: true });
    await atomicWrite(file, serializeProject(project), writeOptions);
    return { path: folder, savedAt: new Date().toISOString() };
  }

  async function summarize(folder: string): Promise<ProjectSummary | null> {
    const file = path.join(folder, PROJECT_FILE_NAME);
    let modifiedAt: string;
    let text: string;
    try {
      const info = await stat(file);
      if (!info.isFile()) return null;
      modifiedAt = info.mtime.toISOString();
      text = await readFile(file, 'utf8');
    } catch (e) {
      if (isErrno(e, 'ENOENT', 'ENOTDIR', 'EACCES', 'EPERM')) return null;
      throw e;
    }
    const parsed = parseProjectText(text, file);
    // An invalid project is still listed (under its folder name) so opening it shows what is wrong.
    return { path: folder, name: parsed.ok ? parsed.project.name : path.basename(folder), modifiedAt };
  }

  async function listWorkspace(): Promise<ProjectSummary[]> {
    let entries;
    try {
      entries = await readdir(workspaceDir, { withFileTypes: true });
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return [];
      throw e;
    }
    const folders = entries.filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => path.join(workspaceDir, d.name));
    const summaries = (await Promise.all(folders.map(summarize))).filter((s): s is ProjectSummary => s !== null);
    return summaries.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt) || a.name.localeCompare(b.name));
  }

  return { create, open, save, listWorkspace, summarize };
}

/** A folder holding a project, or its project file. */
async function locateExisting(target: string): Promise<ProjectLocation> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(target)).isDirectory();
  } catch (e) {
    if (isErrno(e, 'ENOENT', 'ENOTDIR')) throw new StudioError('E_NOT_FOUND', `No project at ${target}: it does not exist.`);
    throw e;
  }
  if (isDirectory) return { folder: target, file: path.join(target, PROJECT_FILE_NAME) };
  if (path.basename(target) !== PROJECT_FILE_NAME) {
    throw new StudioError('E_NOT_FOUND', `${target} is not a Brrr Studio project: pick a project folder or its ${PROJECT_FILE_NAME}.`);
  }
  return { folder: path.dirname(target), file: target };
}

/** Like locateExisting, but a path that does not exist yet names a new project folder (Save As). */
async function locateForSave(target: string): Promise<ProjectLocation> {
  if (path.basename(target) === PROJECT_FILE_NAME) return { folder: path.dirname(target), file: target };
  try {
    if (!(await stat(target)).isDirectory()) {
      throw new StudioError('E_IO', `Cannot save a project to ${target}: it is a file, not a folder.`);
    }
  } catch (e) {
    if (!isErrno(e, 'ENOENT')) throw e;
  }
  return { folder: target, file: path.join(target, PROJECT_FILE_NAME) };
}

/** Creates `<parent>/<base>`, or `<base>-2`, `<base>-3`... whichever does not exist yet (mkdir is the atomic test). */
async function makeUniqueFolder(parent: string, base: string): Promise<string> {
  await mkdir(parent, { recursive: true });
  for (let n = 1; n <= 1000; n++) {
    const folder = path.join(parent, n === 1 ? base : `${base}-${n}`);
    try {
      await mkdir(folder);
      return folder;
    } catch (e) {
      if (!isErrno(e, 'EEXIST')) throw e;
    }
  }
  throw new StudioError('E_IO', `Too many projects named "${base}" in ${parent}; pick another name.`);
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/;

/** A folder name from a project name: lower case letters and digits joined by single dashes. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  if (!slug) return 'project';
  return WINDOWS_RESERVED.test(slug) ? `${slug}-project` : slug;
}
