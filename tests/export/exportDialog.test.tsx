// @vitest-environment jsdom
/**
 * @file The Export dialog in jsdom against a fake studio: runs with checkpoints listed, the chosen
 * run, checkpoint and format sent, the result (revealed or not) and an export problem shown, the
 * untrained case said plainly.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResponseOf } from '../../core/contract/studio';
import { StudioError } from '../../core/contract/studio';
import { StudioContext } from '../../renderer/app/studioContext';
import { createCommands } from '../../renderer/app/commands';
import { ExportDialog } from '../../renderer/export/ExportDialog';
import { ExportDialogHost } from '../../renderer/export/ExportDialogHost';
import { useExportDialogStore } from '../../renderer/export/exportDialogStore';
import { useStudioStore } from '../../renderer/state/studioStore';
import { findTemplate } from '../../core/templates';
import type { StudioApi } from '../../core/contract/studio';

afterEach(cleanup);

const run = (runId: string, hasCheckpoint: boolean, accuracy: number): ResponseOf<'listRuns'>[number] => ({
  runId,
  project: 'Digits',
  recipe: 'supervised',
  startedAt: '2026-11-24T10:00:00Z',
  backend: 'cpu',
  epochs: 2,
  seed: 1,
  resumes: 0,
  status: 'completed',
  step: 100,
  metrics: { test_accuracy: accuracy },
  hasCheckpoint,
});

function fakeStudio(runs: ResponseOf<'listRuns'>, exported: () => Promise<ResponseOf<'exportProject'>>) {
  return { listRuns: vi.fn(async () => runs), exportProject: vi.fn(exported) };
}

describe('Export dialog', () => {
  it('lists trained runs and sends the chosen run, checkpoint and format; shows where it went', async () => {
    const studio = fakeStudio([run('run-b', true, 0.97), run('run-a', false, 0.5), run('run-0', true, 0.9)], async () => ({
      path: '/p/exports/Digits-run-0-last-pytorch',
      files: [],
      source: 'run run-0, last checkpoint (step 100)',
      notes: [],
      revealed: true,
    }));
    render(<ExportDialog studio={studio} projectPath="/p" canReveal onClose={() => undefined} />);
    const select = (await screen.findByTestId('export-run')) as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.value)).toEqual(['run-b', 'run-0']);
    expect(select.options[0].textContent).toBe('run-b (completed, step 100, accuracy 97.0%)');
    fireEvent.change(select, { target: { value: 'run-0' } });
    fireEvent.click(screen.getByTestId('export-checkpoint-last'));
    fireEvent.click(screen.getByTestId('export-format-pytorch'));
    fireEvent.click(screen.getByTestId('export-submit'));
    const result = await screen.findByTestId('export-result');
    expect(studio.exportProject).toHaveBeenCalledWith({ path: '/p', format: 'pytorch', runId: 'run-0', checkpoint: 'last', reveal: true });
    expect(result.textContent).toContain('Exported and shown in your file manager: /p/exports/Digits-run-0-last-pytorch');
    expect(result.textContent).toContain('Weights: run run-0, last checkpoint (step 100).');
  });

  it('says when nothing is trained, exports the fresh weights, and shows a problem as one sentence', async () => {
    const studio = fakeStudio([], async () => {
      throw new StudioError('E_EXPORT', 'ONNX cannot express this layer: Mystery "m".');
    });
    const onClose = vi.fn();
    render(<ExportDialog studio={studio} projectPath="/p" canReveal={false} onClose={onClose} />);
    expect((await screen.findByTestId('export-untrained')).textContent).toMatch(/Nothing is trained yet/);
    fireEvent.click(screen.getByTestId('export-submit'));
    await waitFor(() => expect(screen.getByTestId('export-problem').textContent).toBe('Export failed: ONNX cannot express this layer: Mystery "m".'));
    expect(studio.exportProject).toHaveBeenCalledWith({ path: '/p', format: 'onnx', reveal: false });
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
  });
});

describe('Export… from the menu', () => {
  it('opens the dialog for the open project (pointing out unsaved edits) and closes it', async () => {
    const studio = fakeStudio([], async () => ({ path: '/p/exports/x.onnx', files: [], source: 'fresh', notes: [], revealed: false }));
    const commands = createCommands(studio as unknown as StudioApi);
    const project = findTemplate('neuron')!.build('Tiny');
    useStudioStore.getState().openDocument({ path: '/p', project });
    useStudioStore.getState().editProject((p) => ({ ...p, description: 'edited' }));
    render(
      <StudioContext.Provider value={{ studio: studio as unknown as StudioApi, commands }}>
        <ExportDialogHost />
      </StudioContext.Provider>,
    );
    expect(screen.queryByTestId('export-dialog')).toBeNull();
    act(() => commands.runMenuCommand({ command: 'export' }));
    expect(await screen.findByTestId('export-dialog')).toBeTruthy();
    expect(screen.getByTestId('export-unsaved').textContent).toMatch(/save first/);
    await waitFor(() => expect(studio.listRuns).toHaveBeenCalledWith({ path: '/p' }));
    fireEvent.click(screen.getByTestId('export-close'));
    expect(useExportDialogStore.getState().open).toBe(false);
  });
});
