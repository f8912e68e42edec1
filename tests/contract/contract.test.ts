/**
 * @file The studio contract, enforced: the handler table covers every message, every payload is
 * parsed (bad ones refused naming the field), errors become replies, the IPC sender policy refuses
 * strangers, and the preload exposes exactly one function per request.
 */
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { REQUEST_NAMES, StudioError, type RequestName, type StudioApi, type StudioHandlers } from '../../core/contract';
import { findTemplate } from '../../core/templates';
import { checkSender, originOf, type SenderTrust } from '../../electron/main/senderPolicy';
import { dispatchRequest } from '../../electron/services/dispatch';
import { createStudioServices } from '../../electron/services/services';

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    exposed,
    listeners,
    invoke: vi.fn<(channel: string, payload: unknown) => Promise<unknown>>(),
  };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      if (!electron.listeners.has(channel)) electron.listeners.set(channel, new Set());
      electron.listeners.get(channel)?.add(listener);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => electron.listeners.get(channel)?.delete(listener),
  },
}));

// Compile-time: the handler table is keyed by exactly the request names.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const handlerKeysMatch: Equal<keyof StudioHandlers, RequestName> = true;

const tmp = path.join(os.tmpdir(), 'brrr-contract-never-written');
const handlers: StudioHandlers = createStudioServices({ host: 'test', workspaceDir: tmp, configDir: tmp, startupProject: null, version: '0' });

describe('layering', () => {
  /** Services and web mode are hosted outside Electron too; the pure parts of main are imported by tests. */
  it('keeps `electron` out of services, web mode and the pure main modules', async () => {
    const roots = ['electron/services', 'electron/web'];
    const files = ['electron/main/senderPolicy.ts', 'electron/main/launchArgs.ts'];
    for (const dir of roots) {
      for (const entry of await readdir(dir, { recursive: true })) if (entry.endsWith('.ts')) files.push(path.join(dir, entry));
    }
    expect(files.length).toBeGreaterThan(8);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toMatch(/from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/);
    }
  });
});

describe('handlers', () => {
  it('cover every message of the contract', () => {
    expect(handlerKeysMatch).toBe(true);
    expect(Object.keys(handlers).sort()).toEqual([...REQUEST_NAMES].sort());
    for (const name of REQUEST_NAMES) expect(typeof handlers[name]).toBe('function');
  });
});

const validProject = findTemplate('neuron')?.build('Valid');

/** Per request: payloads that must be refused, and the word the refusal must name. Exhaustive by type. */
const BAD_PAYLOADS: { [K in RequestName]: { payload: unknown; names: string }[] } = {
  getAppInfo: [
    { payload: 'hello', names: 'expected object' },
    { payload: { verbose: true }, names: 'verbose' },
  ],
  listTemplates: [
    { payload: 42, names: 'expected object' },
    { payload: { filter: 'x' }, names: 'filter' },
  ],
  listRecentProjects: [
    { payload: [], names: 'expected object' },
    { payload: { limit: 3 }, names: 'limit' },
  ],
  listWorkspaceProjects: [
    { payload: true, names: 'expected object' },
    { payload: { dir: '/' }, names: 'dir' },
  ],
  createProject: [
    { payload: { template: 7, name: 'x' }, names: 'template' },
    { payload: { template: 'mnist-mlp' }, names: 'name' },
    { payload: { template: 'mnist-mlp', name: '   ' }, names: 'name' },
    { payload: { template: 'nope', name: 'x' }, names: 'template' },
    { payload: { template: 'mnist-mlp', name: 'x', dir: '' }, names: 'dir' },
    { payload: { template: 'mnist-mlp', name: 'x', overwrite: true }, names: 'overwrite' },
  ],
  openProject: [
    { payload: {}, names: 'path' },
    { payload: { path: 12 }, names: 'path' },
    { payload: { path: '/x', force: true }, names: 'force' },
  ],
  saveProject: [
    { payload: { path: '/x' }, names: 'project' },
    { payload: { path: '/x', project: { format: 'brrr-project', version: 1 } }, names: 'project' },
    { payload: { project: {}, path: 3 }, names: 'path' },
    { payload: { path: '/x', project: validProject, backup: true }, names: 'backup' },
  ],
  showOpenDialog: [
    { payload: 'open', names: 'expected object' },
    { payload: { title: 'x' }, names: 'title' },
  ],
  showSaveDialog: [
    { payload: {}, names: 'suggestedName' },
    { payload: { suggestedName: 5 }, names: 'suggestedName' },
    { payload: { suggestedName: 'x', dir: '/' }, names: 'dir' },
  ],
  writeRecovery: [
    { payload: { path: '/x' }, names: 'project' },
    { payload: { project: validProject }, names: 'path' },
  ],
  readRecovery: [
    { payload: {}, names: 'path' },
    { payload: { path: '/x', all: true }, names: 'all' },
  ],
  discardRecovery: [
    { payload: { path: 3 }, names: 'path' },
    { payload: { path: '/x', force: true }, names: 'force' },
  ],
  startRun: [
    { payload: {}, names: 'path' },
    { payload: { path: '/x', backend: 'tpu' }, names: 'backend' },
    { payload: { path: '/x', epochs: 0 }, names: 'epochs' },
    { payload: { path: '/x', epochs: 1.5 }, names: 'epochs' },
    { payload: { path: '/x', resume: '../escape' }, names: 'resume' },
    { payload: { path: '/x', gpu: true }, names: 'gpu' },
  ],
  pauseRun: [
    { payload: {}, names: 'runId' },
    { payload: { runId: '../../etc' }, names: 'runId' },
  ],
  resumeRun: [
    { payload: { runId: 5 }, names: 'runId' },
    { payload: { runId: 'r', now: true }, names: 'now' },
  ],
  stopRun: [
    { payload: { runId: '' }, names: 'runId' },
    { payload: { runId: 'r', force: true }, names: 'force' },
  ],
  listRuns: [
    { payload: {}, names: 'path' },
    { payload: { path: '/x', limit: 5 }, names: 'limit' },
  ],
  readRunEvents: [
    { payload: { path: '/x' }, names: 'runId' },
    { payload: { path: '/x', runId: 'a/b' }, names: 'runId' },
  ],
  describeDataset: [
    { payload: { path: '/x' }, names: 'dataset' },
    { payload: { path: '/x', dataset: { source: 'a.csv', kind: 'excel' } }, names: 'kind' },
    { payload: { path: '/x', dataset: { source: 'a.csv', kind: 'csv' }, validationSplit: 2 }, names: 'validationSplit' },
  ],
  previewDataset: [
    { payload: { path: '/x', dataset: { source: 'a.csv', kind: 'csv' }, split: 'train', start: 0, count: 1000 }, names: 'count' },
    { payload: { path: '/x', dataset: { source: 'a.csv', kind: 'csv' }, split: 'all', start: 0, count: 1 }, names: 'split' },
  ],
  exportProject: [
    { payload: { path: '/x', format: 'tflite' }, names: 'format' },
    { payload: { path: '/x', format: 'onnx', checkpoint: 'first' }, names: 'checkpoint' },
    { payload: { path: '/x', format: 'onnx', out: '/etc/passwd' }, names: 'out' },
  ],
};

describe('dispatchRequest', () => {
  const cases = REQUEST_NAMES.flatMap((name) => BAD_PAYLOADS[name].map((c) => ({ name, ...c })));

  it.each(cases)('refuses a bad $name payload naming "$names"', async ({ name, payload, names }) => {
    const reply = await dispatchRequest(handlers, name, payload);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('E_BAD_REQUEST');
    expect(reply.error.message).toContain(name);
    expect(reply.error.message).toContain(names);
  });

  it.each(['noSuchMessage', '__proto__', 'constructor', 'toString', ''])('answers the unknown message %j with E_NOT_FOUND', async (name) => {
    expect(await dispatchRequest(handlers, name, {})).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
  });

  it('answers a good request with its value', async () => {
    const reply = await dispatchRequest(handlers, 'listTemplates', undefined);
    expect(reply.ok).toBe(true);
    if (reply.ok) expect(reply.value).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'mnist-mlp', available: true })]));
  });

  it('replies E_UNAVAILABLE for dialogs without a native host', async () => {
    expect(await dispatchRequest(handlers, 'showOpenDialog', {})).toMatchObject({ ok: false, error: { code: 'E_UNAVAILABLE' } });
    const info = await handlers.getAppInfo({});
    expect(info.capabilities).toEqual({ nativeDialogs: false, nativeMenu: false });
  });

  it('uses injected dialogs and reports them as a capability', async () => {
    const withDialogs = createStudioServices({
      host: 'desktop',
      workspaceDir: tmp,
      configDir: tmp,
      startupProject: null,
      version: '0',
      dialogs: { showOpenDialog: async () => '/picked', showSaveDialog: async (name) => `/saved/${name}` },
    });
    expect(await dispatchRequest(withDialogs, 'showSaveDialog', { suggestedName: 'n' })).toEqual({ ok: true, value: { path: '/saved/n' } });
    expect((await withDialogs.getAppInfo({})).capabilities).toEqual({ nativeDialogs: true, nativeMenu: true });
  });

  it('maps handler errors to replies: StudioError keeps its code, fs errors become E_IO, the rest E_INTERNAL', async () => {
    const fsError = Object.assign(new Error("EACCES: permission denied, open '/locked/project.brrr.json'"), { code: 'EACCES', syscall: 'open', path: '/locked/project.brrr.json' });
    const bug = new Error('cannot read properties of undefined\n    at secret (/src/file.ts:1:1)');
    const logged: string[] = [];
    const failing = (error: unknown): StudioHandlers => ({ ...handlers, listTemplates: async () => Promise.reject(error) });

    const studio = await dispatchRequest(failing(new StudioError('E_PROJECT_INVALID', 'bad', [{ code: 'E_PROJECT_JSON', severity: 'error', message: 'm' }])), 'listTemplates', {});
    expect(studio).toEqual({ ok: false, error: { code: 'E_PROJECT_INVALID', message: 'bad', diagnostics: [{ code: 'E_PROJECT_JSON', severity: 'error', message: 'm' }] } });

    const io = await dispatchRequest(failing(fsError), 'listTemplates', {});
    expect(io).toMatchObject({ ok: false, error: { code: 'E_IO' } });
    if (!io.ok) expect(io.error.message).toContain('/locked/project.brrr.json');

    const internal = await dispatchRequest(failing(bug), 'listTemplates', {}, { log: (m) => logged.push(m) });
    expect(internal).toMatchObject({ ok: false, error: { code: 'E_INTERNAL' } });
    if (!internal.ok) {
      expect(internal.error.message).not.toContain('\n');
      expect(internal.error.message).not.toContain('/src/file.ts');
    }
    expect(logged.join('\n')).toContain('/src/file.ts'); // the full story goes to the log only

    expect(await dispatchRequest(failing('a string'), 'listTemplates', {})).toMatchObject({ ok: false, error: { code: 'E_INTERNAL' } });
  });
});

describe('IPC sender policy', () => {
  const trust: SenderTrust = { trustedWebContentsIds: new Set([1]), trustedOrigin: 'app://studio' };
  const good = { url: 'app://studio/index.html', isMainFrame: true, webContentsId: 1 };

  it('accepts the main frame of a studio window on the studio origin', () => {
    expect(checkSender(good, trust)).toEqual({ ok: true });
    expect(checkSender({ ...good, url: 'app://studio/#/project' }, trust)).toEqual({ ok: true });
  });

  it.each([
    ['a foreign URL', { ...good, url: 'https://evil.example/index.html' }],
    ['a file URL', { ...good, url: 'file:///tmp/index.html' }],
    ['a look-alike host', { ...good, url: 'app://studio.evil.example/' }],
    ['credentials in the URL', { ...good, url: 'app://user@studio/' }],
    ['a missing URL', { ...good, url: undefined }],
    ['garbage', { ...good, url: 'not a url' }],
    ['a subframe', { ...good, isMainFrame: false }],
    ['an unknown webContents id', { ...good, webContentsId: 2 }],
  ])('refuses %s', (_label, sender) => {
    const verdict = checkSender(sender, trust);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason.length).toBeGreaterThan(0);
  });

  it('computes origins for custom schemes', () => {
    expect(originOf('app://Studio/a/b?c')).toBe('app://studio');
    expect(originOf('http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8080');
    expect(originOf('::')).toBeNull();
  });
});

describe('preload', () => {
  let api: StudioApi;

  beforeAll(async () => {
    await import('../../electron/preload/preload');
    api = electron.exposed.get('studio') as StudioApi;
  });

  it('exposes window.studio only', () => {
    expect([...electron.exposed.keys()]).toEqual(['studio']);
  });

  it('exposes exactly one function per request plus one subscription per event', () => {
    expect(Object.keys(api).sort()).toEqual([...REQUEST_NAMES, 'onMenuCommand', 'onRunEvents'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it.each(REQUEST_NAMES)('%s invokes its own channel and unwraps the reply', async (name) => {
    electron.invoke.mockReset();
    electron.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'E_IO', message: `disk said no (${name})` } });
    const call = api[name] as (request: unknown) => Promise<unknown>;
    await expect(call({})).rejects.toEqual({ name: 'StudioError', code: 'E_IO', message: `disk said no (${name})` });
    expect(electron.invoke).toHaveBeenCalledWith(`studio:${name}`, {});
  });

  it('resolves with the parsed value of a good reply, and refuses a malformed one', async () => {
    electron.invoke.mockResolvedValueOnce({ ok: true, value: { path: '/picked' } });
    await expect(api.showOpenDialog({})).resolves.toEqual({ path: '/picked' });
    electron.invoke.mockResolvedValueOnce({ ok: true, value: { path: 42 } });
    await expect(api.showOpenDialog({})).rejects.toMatchObject({ code: 'E_INTERNAL' });
    electron.invoke.mockRejectedValueOnce(new Error("No handler registered for 'studio:showOpenDialog'"));
    await expect(api.showOpenDialog({})).rejects.toMatchObject({ code: 'E_UNAVAILABLE' });
  });

  it('keeps diagnostics of E_PROJECT_INVALID', async () => {
    const diagnostics = [{ code: 'E_PROJECT_SCHEMA', severity: 'error', message: 'epochs: too small', path: 'training.epochs' }];
    electron.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'E_PROJECT_INVALID', message: 'Cannot open x', diagnostics } });
    await expect(api.openProject({ path: '/x' })).rejects.toEqual({ name: 'StudioError', code: 'E_PROJECT_INVALID', message: 'Cannot open x', diagnostics });
  });

  it('onMenuCommand passes parsed commands only, without the IPC event, until unsubscribed', () => {
    const received: unknown[] = [];
    const unsubscribe = api.onMenuCommand((command) => received.push(command));
    const channel = electron.listeners.get('studio:event:menuCommand');
    expect(channel?.size).toBe(1);
    const fakeEvent = { sender: { secret: true } };
    for (const listener of channel ?? []) {
      listener(fakeEvent, { command: 'open', path: '/p' });
      listener(fakeEvent, { command: 'format-disk' });
    }
    expect(received).toEqual([{ command: 'open', path: '/p' }]);
    unsubscribe();
    expect(channel?.size).toBe(0);
  });

  it('onRunEvents passes parsed batches of run events only, without the IPC event, until unsubscribed', () => {
    const received: unknown[] = [];
    const unsubscribe = api.onRunEvents((batch) => received.push(batch));
    const channel = electron.listeners.get('studio:event:runEvents');
    expect(channel?.size).toBe(1);
    const fakeEvent = { sender: { secret: true } };
    const batch = { runId: 'r1', path: '/p', events: [{ type: 'step', v: 1, step: 1, epoch: 1, loss: 0.5, learningRate: 0.01, samplesPerSecond: 100 }] };
    for (const listener of channel ?? []) {
      listener(fakeEvent, batch);
      listener(fakeEvent, { runId: 'r1', events: 'not a list' });
    }
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ runId: 'r1', path: '/p', events: [{ type: 'step', step: 1, loss: 0.5 }] });
    unsubscribe();
    expect(channel?.size).toBe(0);
  });
});
