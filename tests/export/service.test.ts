/**
 * @file The studio's exportProject message through the services table: output always under
 * `<project>/exports/`, the file manager shown the result when asked and available, and export
 * problems as one E_EXPORT reply.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { dispatchRequest } from '../../electron/services/dispatch';
import { exportName } from '../../electron/services/export/service';
import { createStudioServices } from '../../electron/services/services';

describe('exportProject message', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'brrr-export-svc-'));
  const shown: string[] = [];
  const services = createStudioServices({
    host: 'test',
    workspaceDir: workspace,
    configDir: join(workspace, 'config'),
    startupProject: null,
    version: '9.9.9',
    fileManager: { showItemInFolder: (path) => shown.push(path) },
  });

  test('writes into <project>/exports/ and shows the result in the file manager', async () => {
    const opened = await services.createProject({ template: 'neuron', name: 'Tiny' });
    const reply = await dispatchRequest(services, 'exportProject', { path: opened.path, format: 'onnx', reveal: true });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const value = reply.value as { path: string; source: string; revealed: boolean };
    expect(value.path).toBe(join(opened.path, 'exports', 'Tiny-latest.onnx'));
    expect(existsSync(value.path)).toBe(true);
    expect(value.source).toMatch(/fresh initialisation/);
    expect(value.revealed).toBe(true);
    expect(shown).toEqual([value.path]);
  });

  test('safetensors comes with the project beside it; nothing revealed unless asked', async () => {
    const opened = await services.createProject({ template: 'neuron', name: 'Tiny2' });
    const reply = await dispatchRequest(services, 'exportProject', { path: opened.path, format: 'safetensors' });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const value = reply.value as { files: string[]; revealed: boolean };
    expect(value.files).toEqual([join(opened.path, 'exports', 'Tiny2-latest.safetensors'), join(opened.path, 'exports', 'Tiny2-latest.project.json')]);
    expect(value.revealed).toBe(false);
  });

  test('an unknown run is one E_EXPORT reply', async () => {
    const opened = await services.createProject({ template: 'neuron', name: 'Tiny3' });
    const reply = await dispatchRequest(services, 'exportProject', { path: opened.path, format: 'pytorch', runId: 'run-missing' });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('E_EXPORT');
    expect(reply.error.message).toMatch(/Run "run-missing" is not in /);
  });

  test('file names are safe', () => {
    expect(exportName('My model / v2', 'pytorch', 'run-1', 'best')).toBe('My-model-v2-run-1-best-pytorch');
  });
});
