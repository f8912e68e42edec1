/** @file The project store and recent projects: create, open, save, atomic writes, invalid files, recents. */
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioError, unwrapReply, type StudioHandlers } from '../../core/contract';
import { PROJECT_FILE_NAME, parseProjectText, serializeProject } from '../../core/project';
import { templateInfos } from '../../core/templates';
import { atomicWrite, TEMP_PREFIX, type AtomicFs } from '../../electron/services/atomicWrite';
import { dispatchRequest } from '../../electron/services/dispatch';
import { createProjectStore, slugify } from '../../electron/services/projectStore';
import { MAX_RECENT_PROJECTS, RECENT_PROJECTS_FILE_NAME } from '../../electron/services/recentProjects';
import { createStudioServices } from '../../electron/services/services';

let root: string;
let workspaceDir: string;
let configDir: string;
let studio: StudioHandlers;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'brrr-store-'));
  workspaceDir = path.join(root, 'workspace');
  configDir = path.join(root, 'config');
  studio = createStudioServices({ host: 'test', workspaceDir, configDir, startupProject: null, version: '0.0.0-test' });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}

const tempFilesIn = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((f) => f.startsWith(TEMP_PREFIX));

describe('create', () => {
  it('creates a folder holding a valid project file from mnist-mlp', async () => {
    const opened = await studio.createProject({ template: 'mnist-mlp', name: 'My Digits' });
    expect(opened.path).toBe(path.join(workspaceDir, 'my-digits'));
    expect(opened.project.name).toBe('My Digits');
    const parsed = parseProjectText(await readFile(path.join(opened.path, PROJECT_FILE_NAME), 'utf8'));
    expect(parsed.ok && parsed.project).toEqual(opened.project);
    expect(await tempFilesIn(opened.path)).toEqual([]);
  });

  it('picks a unique folder name and never overwrites an existing project', async () => {
    const first = await studio.createProject({ template: 'mnist-mlp', name: 'Digits' });
    await mkdir(path.join(workspaceDir, 'digits-2')); // a folder that is in the way, not a project
    const second = await studio.createProject({ template: 'neuron', name: 'Digits' });
    const third = await studio.createProject({ template: 'neuron', name: 'digits!' });
    expect([first.path, second.path, third.path].map((p) => path.basename(p))).toEqual(['digits', 'digits-3', 'digits-4']);
    const firstAgain = parseProjectText(await readFile(path.join(first.path, PROJECT_FILE_NAME), 'utf8'));
    expect(firstAgain.ok && firstAgain.project).toEqual(first.project);
  });

  it('creates into a given folder, and refuses one that already holds a project', async () => {
    const dir = path.join(root, 'elsewhere', 'mine');
    const opened = await studio.createProject({ template: 'neuron', name: 'Mine', dir });
    expect(opened.path).toBe(dir);
    const before = await readFile(path.join(dir, PROJECT_FILE_NAME), 'utf8');
    const error = await rejection(studio.createProject({ template: 'mnist-mlp', name: 'Other', dir }));
    expect(error.code).toBe('E_IO');
    expect(error.message).toContain(dir);
    expect(await readFile(path.join(dir, PROJECT_FILE_NAME), 'utf8')).toBe(before);
    expect(await tempFilesIn(dir)).toEqual([]);
  });

  it('creates every available template, says clearly when one is planned but unavailable, or unknown', async () => {
    for (const template of templateInfos()) {
      if (template.available) {
        const created = await studio.createProject({ template: template.name, name: `From ${template.name}` });
        expect(created.project.name).toBe(`From ${template.name}`);
      } else {
        const unavailable = await rejection(studio.createProject({ template: template.name, name: 'Planned' }));
        expect(unavailable.code).toBe('E_UNAVAILABLE');
        expect(unavailable.message).toContain(template.name);
      }
    }
    const unknown = await rejection(createProjectStore({ workspaceDir }).create('no-such-template', 'X'));
    expect(unknown.code).toBe('E_NOT_FOUND');
    expect(unknown.message).toContain('no-such-template');
  });

  it('makes folder names from project names', () => {
    expect(slugify('My First Net')).toBe('my-first-net');
    expect(slugify('  Ünïcode — Test!! ')).toBe('unicode-test');
    expect(slugify('???')).toBe('project');
    expect(slugify('CON')).toBe('con-project');
    expect(slugify('x'.repeat(200)).length).toBe(64);
  });
});

describe('open and save', () => {
  it('opens a project by its folder or by its file', async () => {
    const created = await studio.createProject({ template: 'neuron', name: 'Neuron' });
    const byFolder = await studio.openProject({ path: created.path });
    const byFile = await studio.openProject({ path: path.join(created.path, PROJECT_FILE_NAME) });
    expect(byFolder).toEqual({ path: created.path, project: created.project });
    expect(byFile).toEqual(byFolder);
  });

  it('refuses paths that are not projects with E_NOT_FOUND', async () => {
    expect((await rejection(studio.openProject({ path: path.join(root, 'missing') }))).code).toBe('E_NOT_FOUND');
    await mkdir(path.join(root, 'empty'));
    expect((await rejection(studio.openProject({ path: path.join(root, 'empty') }))).message).toContain(PROJECT_FILE_NAME);
    await writeFile(path.join(root, 'notes.json'), '{}');
    expect((await rejection(studio.openProject({ path: path.join(root, 'notes.json') }))).code).toBe('E_NOT_FOUND');
  });

  it('saves what it opened byte for byte, and saves changes', async () => {
    const created = await studio.createProject({ template: 'mnist-mlp', name: 'Round Trip' });
    const file = path.join(created.path, PROJECT_FILE_NAME);
    const original = await readFile(file, 'utf8');
    const opened = await studio.openProject({ path: created.path });
    const saved = await studio.saveProject({ path: opened.path, project: opened.project });
    expect(saved.path).toBe(created.path);
    expect(Number.isNaN(Date.parse(saved.savedAt))).toBe(false);
    expect(await readFile(file, 'utf8')).toBe(original);

    await studio.saveProject({ path: file, project: { ...opened.project, name: 'Renamed' } });
    expect((await studio.openProject({ path: created.path })).project.name).toBe('Renamed');
    expect(await tempFilesIn(created.path)).toEqual([]);
  });

  it('saves as a new folder (Save As)', async () => {
    const created = await studio.createProject({ template: 'neuron', name: 'Source' });
    const target = path.join(root, 'copies', 'copy-of-source');
    const saved = await studio.saveProject({ path: target, project: created.project });
    expect(saved.path).toBe(target);
    expect(await readFile(path.join(target, PROJECT_FILE_NAME), 'utf8')).toBe(serializeProject(created.project));
  });

  it('reports invalid JSON and schema errors as E_PROJECT_INVALID naming the file', async () => {
    const brokenDir = path.join(root, 'broken');
    await mkdir(brokenDir);
    const brokenFile = path.join(brokenDir, PROJECT_FILE_NAME);
    await writeFile(brokenFile, '{ "format": "brrr-project", ');
    const reply = await dispatchRequest(studio, 'openProject', { path: brokenDir });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('E_PROJECT_INVALID');
    expect(reply.error.message).toContain(brokenFile);
    expect(reply.error.diagnostics?.[0]?.code).toBe('E_PROJECT_JSON');

    const created = await studio.createProject({ template: 'neuron', name: 'Schema' });
    const doc = JSON.parse(await readFile(path.join(created.path, PROJECT_FILE_NAME), 'utf8'));
    doc.training.epochs = -3;
    doc.networks[0].nodes[0].position = { x: 'left' };
    await writeFile(path.join(created.path, PROJECT_FILE_NAME), JSON.stringify(doc));
    const error = await rejection(studio.openProject({ path: created.path }));
    expect(error.code).toBe('E_PROJECT_INVALID');
    expect(error.message).toContain(path.join(created.path, PROJECT_FILE_NAME));
    expect(error.message).toMatch(/and \d+ more problem/);
    const paths = (error.diagnostics ?? []).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['training.epochs', 'networks[0].nodes[0].position.x']));
  });
});

describe('atomic writes', () => {
  /** Node's fs with one operation replaced by a failure (or a torn write). */
  function failing(op: 'open' | 'rename' | 'write'): AtomicFs {
    const enospc = (p: string): NodeJS.ErrnoException => Object.assign(new Error(`ENOSPC: no space left on device, write '${p}'`), { code: 'ENOSPC', syscall: 'write', path: p });
    return {
      open: (async (file: string, flags: string, mode?: number) => {
        // A folder the studio may not write into: the temp file cannot be created.
        if (op === 'open') throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES', syscall: 'open', path: file });
        const handle = await fsp.open(file, flags, mode);
        if (op !== 'write') return handle;
        return Object.assign(Object.create(handle) as fsp.FileHandle, {
          writeFile: async (data: string | Uint8Array) => {
            await handle.write(Buffer.from(data).subarray(0, 10)); // a torn write: 10 bytes, then the disk is full
            throw enospc(file);
          },
          sync: () => handle.sync(),
          close: () => handle.close(),
        });
      }) as AtomicFs['open'],
      rename: (async (from: string) => {
        if (op === 'rename') throw Object.assign(new Error(`EIO: i/o error, rename '${from}'`), { code: 'EIO', syscall: 'rename', path: String(from) });
      }) as AtomicFs['rename'],
      link: fsp.link,
      unlink: fsp.unlink,
    };
  }

  it('replaces the file and leaves no temp files', async () => {
    const file = path.join(root, 'data.json');
    await atomicWrite(file, 'old');
    await atomicWrite(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await tempFilesIn(root)).toEqual([]);
  });

  it.each(['write', 'rename'] as const)('a failing %s leaves the old file intact and no temp file', async (op) => {
    const file = path.join(root, 'data.json');
    await atomicWrite(file, 'old contents');
    await expect(atomicWrite(file, 'new contents that never land', { fs: failing(op) })).rejects.toMatchObject({ code: op === 'write' ? 'ENOSPC' : 'EIO' });
    expect(await readFile(file, 'utf8')).toBe('old contents');
    expect(await tempFilesIn(root)).toEqual([]);
  });

  it('a failing project save keeps the saved project and replies E_IO naming the file', async () => {
    const created = await studio.createProject({ template: 'neuron', name: 'Precious' });
    const file = path.join(created.path, PROJECT_FILE_NAME);
    const before = await readFile(file, 'utf8');
    const store = createProjectStore({ workspaceDir, fs: failing('write') });
    const handlers: StudioHandlers = { ...studio, saveProject: ({ path: p, project }) => store.save(p, project) };
    const reply = await dispatchRequest(handlers, 'saveProject', { path: created.path, project: { ...created.project, name: 'Changed' } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'E_IO' } });
    if (!reply.ok) expect(reply.error.message).toContain(created.path);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await tempFilesIn(created.path)).toEqual([]);
  });

  it('a folder that refuses new files fails the write with EACCES and keeps the old file', async () => {
    const file = path.join(root, 'data.json');
    await atomicWrite(file, 'old');
    await expect(atomicWrite(file, 'new', { fs: failing('open') })).rejects.toMatchObject({ code: 'EACCES' });
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await tempFilesIn(root)).toEqual([]);
  });
});

describe('workspace and recent projects', () => {
  it('lists the projects in the workspace', async () => {
    expect(await studio.listWorkspaceProjects({})).toEqual([]);
    await studio.createProject({ template: 'neuron', name: 'Alpha' });
    await studio.createProject({ template: 'mnist-mlp', name: 'Beta' });
    await mkdir(path.join(workspaceDir, 'not-a-project'));
    const listed = await studio.listWorkspaceProjects({});
    expect(listed.map((p) => p.name).sort()).toEqual(['Alpha', 'Beta']);
    expect(listed.every((p) => !Number.isNaN(Date.parse(p.modifiedAt)))).toBe(true);
  });

  it('keeps recent projects most recent first, without duplicates, and drops missing ones', async () => {
    const a = await studio.createProject({ template: 'neuron', name: 'A' });
    const b = await studio.createProject({ template: 'neuron', name: 'B' });
    const c = await studio.createProject({ template: 'neuron', name: 'C' });
    await studio.openProject({ path: a.path });
    expect((await studio.listRecentProjects({})).map((p) => p.name)).toEqual(['A', 'C', 'B']);

    await rm(b.path, { recursive: true });
    expect((await studio.listRecentProjects({})).map((p) => p.name)).toEqual(['A', 'C']);
    const stored = JSON.parse(await readFile(path.join(configDir, RECENT_PROJECTS_FILE_NAME), 'utf8'));
    expect(stored.projects).toEqual([a.path, c.path]);

    // A second services instance (the next launch) reads the same list.
    const next = createStudioServices({ host: 'test', workspaceDir, configDir, startupProject: null, version: '0' });
    expect((await next.listRecentProjects({})).map((p) => p.path)).toEqual([a.path, c.path]);
  });

  it(`caps the list at ${MAX_RECENT_PROJECTS}`, async () => {
    const names = Array.from({ length: MAX_RECENT_PROJECTS + 2 }, (_, i) => `P${i}`);
    for (const name of names) await studio.createProject({ template: 'neuron', name });
    const recent = await studio.listRecentProjects({});
    expect(recent.map((p) => p.name)).toEqual(names.slice(2).reverse());
  });

  it('reads a corrupt recents file as an empty list and repairs it on the next open', async () => {
    await mkdir(configDir, { recursive: true });
    await writeFile(path.join(configDir, RECENT_PROJECTS_FILE_NAME), '{ not json');
    expect(await studio.listRecentProjects({})).toEqual([]);
    const a = await studio.createProject({ template: 'neuron', name: 'A' });
    expect((await studio.listRecentProjects({})).map((p) => p.path)).toEqual([a.path]);
  });

  it('createProject through dispatch returns a reply the renderer can unwrap', async () => {
    const reply = await dispatchRequest(studio, 'createProject', { template: 'mnist-mlp', name: '  Spaced  ' });
    const opened = unwrapReply('createProject', reply);
    expect(opened.project.name).toBe('Spaced');
    expect(path.basename(opened.path)).toBe('spaced');
  });
});
