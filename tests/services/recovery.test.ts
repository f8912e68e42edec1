/**
 * @file Recovery files: the autosave of unsaved work is written atomically into the config
 * folder (never the project folder), read back parsed, discarded after a save, and a torn or
 * foreign file reads as nothing. Also through the service handlers, as the renderer calls them.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectSchema, type Project } from '../../core/project';
import { findTemplate } from '../../core/templates';
import { createStudioServices } from '../../electron/services';
import { createRecoveryStore, RECOVERY_DIR_NAME } from '../../electron/services/recovery';

let configDir = '';
let workspace = '';
const project = (name = 'Recovered'): Project => ProjectSchema.parse(findTemplate('mnist-mlp')?.build(name));

beforeEach(() => {
  configDir = mkdtempSync(path.join(tmpdir(), 'brrr-recovery-config-'));
  workspace = mkdtempSync(path.join(tmpdir(), 'brrr-recovery-ws-'));
});
afterEach(() => {
  for (const dir of [configDir, workspace]) rmSync(dir, { recursive: true, force: true });
});

describe('recovery store', () => {
  it('writes, reads back and discards the unsaved project, in the config folder only', async () => {
    const store = createRecoveryStore(configDir, () => new Date('2026-11-24T10:00:00.000Z'));
    const folder = path.join(workspace, 'digits');
    expect(await store.read(folder)).toBeNull();
    const edited = project('Edited');
    expect(await store.write(folder, edited)).toBe('2026-11-24T10:00:00.000Z');
    expect(await store.read(folder)).toEqual({ project: edited, writtenAt: '2026-11-24T10:00:00.000Z' });
    expect(readdirSync(workspace)).toEqual([]);
    const files = readdirSync(path.join(configDir, RECOVERY_DIR_NAME));
    expect(files).toHaveLength(1);
    expect(files.filter((f) => f.startsWith('.brrr-tmp-'))).toEqual([]);
    expect(await store.read(path.join(workspace, 'other'))).toBeNull();
    await store.discard(folder);
    await store.discard(folder); // twice is fine
    expect(await store.read(folder)).toBeNull();
  });

  it('keeps the last of quick successive writes, and reads a torn file as no recovery', async () => {
    const store = createRecoveryStore(configDir);
    const folder = path.join(workspace, 'p');
    await Promise.all([store.write(folder, project('one')), store.write(folder, project('two')), store.write(folder, project('three'))]);
    expect((await store.read(folder))?.project.name).toBe('three');
    const [file] = readdirSync(path.join(configDir, RECOVERY_DIR_NAME));
    writeFileSync(path.join(configDir, RECOVERY_DIR_NAME, file as string), '{"version":1,"projectPath":');
    expect(await store.read(folder)).toBeNull();
  });
});

describe('recovery through the services', () => {
  it('answers writeRecovery, readRecovery and discardRecovery', async () => {
    const services = createStudioServices({ host: 'test', workspaceDir: workspace, configDir, startupProject: null, version: '0.0.0' });
    const opened = await services.createProject({ template: 'mnist-mlp', name: 'Digits' });
    const edited = { ...opened.project, description: 'changed' };
    const { writtenAt } = await services.writeRecovery({ path: opened.path, project: edited });
    expect(Number.isNaN(Date.parse(writtenAt))).toBe(false);
    expect((await services.readRecovery({ path: opened.path })).recovery).toEqual({ project: edited, writtenAt });
    // The project file itself is untouched.
    expect((await services.openProject({ path: opened.path })).project.description).toBe(opened.project.description);
    await services.discardRecovery({ path: opened.path });
    expect((await services.readRecovery({ path: opened.path })).recovery).toBeNull();
  });
});
