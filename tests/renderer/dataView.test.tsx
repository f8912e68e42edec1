// @vitest-environment jsdom
/** @file The Data view shows the dataset the recipe trains on, checked against the network, and split edits are undoable project edits. */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StudioApi } from '../../core/contract/studio';
import type { Project } from '../../core/project/schema';
import { findTemplate } from '../../core/templates';
import { createCommands } from '../../renderer/app/commands';
import { StudioContext } from '../../renderer/app/studioContext';
import { DataView } from '../../renderer/datasets/DataView';
import { useStudioStore } from '../../renderer/state/studioStore';

afterEach(cleanup);

function studioWithMnist(): StudioApi {
  const describeDataset = vi.fn(async () => ({
    description: {
      kind: 'builtin', source: 'builtin:mnist', samples: 60000, testSamples: 10000,
      fields: [{ name: 'image', shape: [1, 28, 28], dtype: 'f32' }, { name: 'label', shape: [], dtype: 'i32' }],
      classes: Array.from({ length: 10 }, (_, i) => ({ name: String(i), count: 6000 })),
      notes: [], problems: [],
    },
  }));
  const previewDataset = vi.fn(async () => ({ start: 0, count: 0, fields: {} }));
  return { describeDataset, previewDataset } as unknown as StudioApi;
}

/** Opens `project` as the document at `path` and renders the Data view over a studio that describes MNIST. */
function openDataView(path: string, project: Project): StudioApi {
  const studio = studioWithMnist();
  useStudioStore.getState().openDocument({ path, project });
  render(
    <StudioContext.Provider value={{ studio, commands: createCommands(studio) }}>
      <DataView />
    </StudioContext.Provider>,
  );
  return studio;
}

describe('Data view', () => {
  it('describes the recipe dataset, checks the network bindings, and edits the split as one undoable step', async () => {
    const project = findTemplate('mnist-mlp')!.build('Digits');
    const studio = openDataView('/ws/digits', project);
    await screen.findByText(/builtin:mnist/);
    expect(studio.describeDataset).toHaveBeenCalledWith(expect.objectContaining({ path: '/ws/digits', dataset: expect.objectContaining({ source: 'builtin:mnist' }) }));
    await waitFor(() => expect(screen.getByTestId('split-counts').textContent).toMatch(/train \d+ · validation \d+ · test 10000/));
    expect(screen.getByLabelText('Network bindings').textContent).toMatch(/reads 'image'/);

    fireEvent.change(screen.getByLabelText(/Validation %/), { target: { value: '20' } });
    expect(useStudioStore.getState().document?.project.training.validationSplit).toBe(0.2);
    expect(useStudioStore.getState().document?.dirty).toBe(true);
    useStudioStore.getState().undo();
    expect(useStudioStore.getState().document?.project.training.validationSplit).toBe(project.training.validationSplit);
  });

  it('turns k-fold cross-validation on and off as a project edit; the validation % then does not apply', async () => {
    openDataView('/ws/digits', findTemplate('mnist-mlp')!.build('Digits'));
    await waitFor(() => expect(screen.getByTestId('split-counts').textContent).toMatch(/validation/));
    const kfold = screen.getByTestId('split-kfold') as HTMLSelectElement;
    expect(kfold.value).toBe('');
    fireEvent.change(kfold, { target: { value: '5' } });
    expect(useStudioStore.getState().document?.project.training.kfold).toBe(5);
    expect((screen.getByLabelText(/Validation %/) as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId('split-counts').textContent).toBe('5 folds of about 12000 · each run trains on the others · test 10000');
    fireEvent.change(screen.getByTestId('split-kfold'), { target: { value: '' } });
    expect('kfold' in useStudioStore.getState().document!.project.training).toBe(false);
    expect((screen.getByLabelText(/Validation %/) as HTMLInputElement).disabled).toBe(false);
  });

  it('does not offer k-fold for a GAN, and says why', async () => {
    openDataView('/ws/gan', findTemplate('mnist-gan')!.build('GAN'));
    const kfold = (await screen.findByTestId('split-kfold')) as HTMLSelectElement;
    expect(kfold.disabled).toBe(true);
    expect(kfold.closest('label')?.getAttribute('title')).toMatch(/a GAN has none to compare/);
  });
});
