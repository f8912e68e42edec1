// @vitest-environment jsdom
/** @file The app shell against an in-memory studio: start screen, create from a template, editor, save, errors as notices. */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StudioError, type StudioApi } from '../../core/contract/studio';
import type { Project } from '../../core/project';
import { findTemplate, templateInfos } from '../../core/templates';
import { App } from '../../renderer/app/App';
import { useDialogStore } from '../../renderer/state/dialogStore';
import { useNoticeStore } from '../../renderer/state/noticeStore';
import { emptyHistory } from '../../renderer/state/history';
import { useStudioStore } from '../../renderer/state/studioStore';
import { testAppInfo, type AppInfo } from '../support/appInfo';

type MenuListener = Parameters<StudioApi['onMenuCommand']>[0];

function fakeStudio(overrides: Partial<AppInfo> = {}) {
  const saved = new Map<string, Project>();
  const info = testAppInfo(overrides);
  const studio = {
    getAppInfo: vi.fn(async () => info),
    // One template marked planned, so the start screen's disabled state is checked whatever the core offers.
    listTemplates: vi.fn(async () => templateInfos().map((t) => (t.name === 'text-transformer' ? { ...t, available: false } : t))),
    listRecentProjects: vi.fn(async () => []),
    listWorkspaceProjects: vi.fn(async () => [{ path: '/ws/old', name: 'Old one', modifiedAt: new Date().toISOString() }]),
    createProject: vi.fn(async ({ template, name }) => {
      const def = findTemplate(template);
      if (!def) throw new StudioError('E_UNAVAILABLE', `Template ${template} is not available yet.`);
      return { path: `/ws/${name.toLowerCase().replace(/\W+/g, '-')}`, project: def.build(name) };
    }),
    openProject: vi.fn(async ({ path }) => {
      const project = saved.get(path);
      if (!project) throw new StudioError('E_NOT_FOUND', `No project at ${path}.`);
      return { path, project };
    }),
    saveProject: vi.fn(async ({ path, project }) => {
      saved.set(path, project as Project);
      return { path, savedAt: '2026-11-24T12:00:00.000Z' };
    }),
    showOpenDialog: vi.fn(async () => ({ path: null })),
    showSaveDialog: vi.fn(async () => ({ path: null })),
    writeRecovery: vi.fn(async () => ({ writtenAt: '2026-11-24T12:00:00.000Z' })),
    readRecovery: vi.fn(async () => ({ recovery: null })),
    discardRecovery: vi.fn(async () => ({})),
    startRun: vi.fn(async () => ({ runId: 'run-1' })),
    pauseRun: vi.fn(async () => ({})),
    resumeRun: vi.fn(async () => ({})),
    stopRun: vi.fn(async () => ({})),
    listRuns: vi.fn(async () => []),
    readRunEvents: vi.fn(async () => ({ events: [] })),
    exportProject: vi.fn(async () => ({ path: '/x/exports/x.onnx', files: [], source: 'test', notes: [], revealed: false })),
    describeDataset: vi.fn(async (): Promise<never> => {
      throw new StudioError('E_UNAVAILABLE', 'This test studio has no datasets.');
    }),
    previewDataset: vi.fn(async (): Promise<never> => {
      throw new StudioError('E_UNAVAILABLE', 'This test studio has no datasets.');
    }),
    onMenuCommand: vi.fn((_listener: MenuListener): (() => void) => () => {}),
    onRunEvents: vi.fn(() => () => {}),
  } satisfies StudioApi;
  return { studio, saved };
}

beforeEach(() => {
  useStudioStore.setState({ appInfo: null, startupError: null, document: null, activeNetworkId: null, saving: false, history: emptyHistory() });
  useNoticeStore.setState({ notices: [] });
  useDialogStore.setState({ current: null });
});
afterEach(cleanup);

describe('App', () => {
  it('creates a project from a template, shows it in the editor and saves it', async () => {
    const { studio, saved } = fakeStudio();
    render(<App studio={studio} />);
    await screen.findByTestId('start-screen');
    await screen.findByTestId('template-mnist-mlp');
    expect(screen.getByTestId('template-text-transformer')).toHaveProperty('disabled', true);
    expect(screen.getByTestId('create-project')).toHaveProperty('disabled', true);

    fireEvent.click(screen.getByTestId('template-mnist-mlp'));
    fireEvent.change(screen.getByTestId('new-project-name'), { target: { value: 'Digits' } });
    fireEvent.click(screen.getByTestId('create-project'));

    await screen.findByTestId('editor');
    expect(studio.createProject).toHaveBeenCalledWith({ template: 'mnist-mlp', name: 'Digits' });
    expect(screen.getByTestId('project-name').textContent).toBe('Digits');
    expect(screen.getByTestId('dirty-indicator').dataset.dirty).toBe('false');
    const templateNodes = findTemplate('mnist-mlp')!.build('Digits').networks[0].nodes.length;
    await waitFor(() => expect(document.querySelectorAll('.react-flow__node')).toHaveLength(templateNodes));
    expect(screen.getByTestId('status').textContent).toContain(`${templateNodes} layers`);
    expect(screen.getByTestId('status').textContent).toContain('test · linux');

    // A moved node: the document changes and is dirty until saved.
    const network = useStudioStore.getState().document?.project.networks[0];
    if (!network) throw new Error('no network');
    const moved = network.nodes[1].id;
    act(() => useStudioStore.getState().replaceNetwork({ ...network, nodes: network.nodes.map((n) => (n.id === moved ? { ...n, position: { x: 700, y: 300 } } : n)) }));
    expect(screen.getByTestId('dirty-indicator').dataset.dirty).toBe('true');

    fireEvent.click(screen.getByTestId('menu-file'));
    fireEvent.click(screen.getByTestId('menu-save'));
    await waitFor(() => expect(screen.getByTestId('dirty-indicator').dataset.dirty).toBe('false'));
    expect(saved.get('/ws/digits')?.networks[0]?.nodes.find((n) => n.id === moved)?.position).toEqual({ x: 700, y: 300 });
    expect(screen.getByTestId('save-status').textContent).toMatch(/^Saved at/);
  });

  it('saves with Ctrl+S and asks for a folder on Save As without native dialogs', async () => {
    const { studio, saved } = fakeStudio();
    render(<App studio={studio} />);
    fireEvent.click(await screen.findByTestId('template-neuron'));
    fireEvent.change(screen.getByTestId('new-project-name'), { target: { value: 'Tiny' } });
    fireEvent.click(screen.getByTestId('create-project'));
    await screen.findByTestId('editor');

    fireEvent.keyDown(window, { key: 's', ctrlKey: true });
    await waitFor(() => expect(saved.has('/ws/tiny')).toBe(true));

    fireEvent.keyDown(window, { key: 'S', ctrlKey: true, shiftKey: true });
    const input = await screen.findByTestId('dialog-input');
    expect((input as HTMLInputElement).value).toBe('/ws/tiny-copy');
    fireEvent.change(input, { target: { value: '/ws/elsewhere' } });
    fireEvent.click(screen.getByTestId('dialog-confirm'));
    await waitFor(() => expect(saved.has('/ws/elsewhere')).toBe(true));
    expect(useStudioStore.getState().document?.path).toBe('/ws/elsewhere');
    expect(screen.getByTestId('status').textContent).toContain('/ws/elsewhere');
  });

  it('shows a failed request as a readable notice, not a stack', async () => {
    const { studio } = fakeStudio();
    render(<App studio={studio} />);
    fireEvent.click(await screen.findByText('Old one'));
    const notice = await screen.findByTestId('notice-error');
    expect(notice.textContent).toContain('Could not open the project: No project at /ws/old.');
    expect(notice.textContent).not.toMatch(/\n\s+at /);
    expect(screen.getByTestId('start-screen')).toBeTruthy();
  });

  it('explains a studio it cannot reach', async () => {
    const { studio } = fakeStudio();
    studio.getAppInfo.mockRejectedValueOnce(new StudioError('E_FORBIDDEN', 'This page is not connected to a studio.'));
    render(<App studio={studio} />);
    expect((await screen.findByTestId('startup-problem')).textContent).toContain('This page is not connected to a studio.');
  });

  it('opens the startup project and follows native menu commands when the host has a native menu', async () => {
    const { studio, saved } = fakeStudio({ startupProject: '/ws/sample', capabilities: { nativeDialogs: true, nativeMenu: true } });
    const def = findTemplate('neuron');
    if (!def) throw new Error('neuron template missing');
    saved.set('/ws/sample', def.build('Sample'));
    let send: MenuListener | undefined;
    studio.onMenuCommand.mockImplementation((listener) => {
      send = listener;
      return () => {};
    });
    render(<App studio={studio} />);
    await screen.findByTestId('editor');
    expect(screen.queryByTestId('menu-file')).toBeNull();
    expect(send).toBeDefined();
    act(() => send?.({ command: 'save' }));
    await waitFor(() => expect(studio.saveProject).toHaveBeenCalledWith({ path: '/ws/sample', project: saved.get('/ws/sample') }));
  });
});
