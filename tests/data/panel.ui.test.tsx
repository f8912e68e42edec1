// @vitest-environment jsdom
/**
 * @file The dataset panel in jsdom against a stub of the two dataset messages: fields, class
 * balance, columns, problems, split counts, binding checks with the shape-mismatch message, one-line
 * errors, and each preview (image grid, sensor plots, text, table).
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DatasetDescriptionMessage, ResponseOf } from '../../core/contract/studio';
import { StudioError } from '../../core/contract/studio';
import type { DatasetRef } from '../../core/project';
import { findTemplate } from '../../core/templates';
import { bindingsOf, checkBindings } from '../../renderer/datasets/bindings';
import { DatasetPanel, type DatasetApi } from '../../renderer/datasets/DatasetPanel';
import { chwToRgba, detokenize } from '../../renderer/datasets/pixels';

afterEach(cleanup);

const mnistNetwork = () => {
  const project = findTemplate('mnist-mlp')!.build('m');
  return project.networks[0];
};

function stub(description: DatasetDescriptionMessage, fields: Record<string, number[]>, count: number): DatasetApi & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    describeDataset: vi.fn(async (request) => { calls.push(request); return { description }; }),
    previewDataset: vi.fn(async (request): Promise<ResponseOf<'previewDataset'>> => { calls.push(request); return { start: request.start, count, fields }; }),
  };
}

const imageSet: DatasetDescriptionMessage = {
  source: 'photos', kind: 'images', samples: 100, testSamples: 20,
  fields: [{ name: 'image', shape: [3, 32, 32], dtype: 'f32' }, { name: 'label', shape: [], dtype: 'i32' }],
  classes: [{ name: 'cat', count: 70 }, { name: 'dog', count: 30 }],
  notes: [], problems: ['2 images skipped (a.png, b.png): a.png cannot be read.'],
};
const ref = (kind: DatasetRef['kind'], source: string, options: Record<string, unknown> = {}): DatasetRef => ({ id: 'data', kind, source, options });

describe('bindings', () => {
  it('names the node and both shapes when the dataset does not fit the network', () => {
    const checks = checkBindings(bindingsOf(mnistNetwork()), imageSet);
    expect(checks.map((c) => [c.ok, c.message])).toEqual([
      [false, "Input 'image' reads [1, 28, 28] but the dataset gives [3, 32, 32]."],
      [true, "CrossEntropyLoss 'loss' reads 'label' [] i32."],
    ]);
    const missing = checkBindings(bindingsOf(mnistNetwork()), { fields: [{ name: 'x', shape: [4], dtype: 'f32' }] });
    expect(missing[0].message).toBe("Input 'image' reads the field 'image', which the dataset does not have (it has x).");
  });
});

describe('DatasetPanel', () => {
  it('shows fields, class balance, problems, split counts and the mismatch, and previews images with labels', async () => {
    const api = stub(imageSet, { image: new Array(2 * 3 * 32 * 32).fill(0.5), label: [1, 0] }, 2);
    render(<DatasetPanel api={api} projectPath="/p" dataset={ref('images', 'photos')} split={{ seed: 4, validationSplit: 0.1 }} network={mnistNetwork()} />);
    expect(await screen.findByTestId('split-counts')).toHaveProperty('textContent', 'train 90 · validation 10 · test 20');
    expect(within(screen.getByRole('table', { name: 'Fields' })).getByText('[3, 32, 32]')).toBeTruthy();
    const balance = screen.getByRole('list', { name: 'Class balance' });
    expect(balance.textContent).toBe('cat70dog30');
    expect(screen.getByRole('list', { name: 'Problems' }).textContent).toMatch(/2 images skipped/);
    expect(screen.getByRole('alert').textContent).toBe("Input 'image' reads [1, 28, 28] but the dataset gives [3, 32, 32].");
    const grid = await screen.findByTestId('image-grid');
    expect(Array.from(grid.querySelectorAll('figcaption'), (f) => f.textContent)).toEqual(['dog', 'cat']);
    expect(api.calls[0]).toEqual({ path: '/p', dataset: { source: 'photos', kind: 'images', options: {} }, seed: 4, validationSplit: 0.1 });
  });

  it('edits the split: validation and seed through onSplitChange, test fraction through the dataset options', async () => {
    const api = stub(imageSet, { image: [], label: [] }, 0);
    const onSplitChange = vi.fn();
    const onDatasetChange = vi.fn();
    render(<DatasetPanel api={api} projectPath="/p" dataset={ref('images', 'photos')} split={{ seed: 4, validationSplit: 0.1 }} onSplitChange={onSplitChange} onDatasetChange={onDatasetChange} />);
    await screen.findByTestId('split-counts');
    fireEvent.change(screen.getByLabelText('Validation %'), { target: { value: '25' } });
    expect(onSplitChange).toHaveBeenLastCalledWith({ seed: 4, validationSplit: 0.25 });
    fireEvent.change(screen.getByLabelText('Seed'), { target: { value: '9' } });
    expect(onSplitChange).toHaveBeenLastCalledWith({ seed: 9, validationSplit: 0.1 });
    fireEvent.change(screen.getByLabelText('Test %'), { target: { value: '30' } });
    expect(onDatasetChange).toHaveBeenLastCalledWith(ref('images', 'photos', { testFraction: 0.3 }));
  });

  it('shows an import error as one line', async () => {
    const api: DatasetApi = {
      describeDataset: async () => { throw new StudioError('E_DATASET', 'data.csv line 3: a quoted field opened on this row is never closed.\n    at parse (x.js:1)'); },
      previewDataset: async () => ({ start: 0, count: 0, fields: {} }),
    };
    render(<DatasetPanel api={api} projectPath="/p" dataset={ref('csv', 'data.csv')} split={{ seed: 0, validationSplit: 0.1 }} />);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('data.csv line 3: a quoted field opened on this row is never closed.'));
  });

  it('plots sensor windows, decodes text windows, and tabulates columns with their statistics', async () => {
    const series: DatasetDescriptionMessage = { source: 'builtin:sensors', kind: 'builtin', samples: 10, testSamples: 0, fields: [{ name: 'window', shape: [4, 2], dtype: 'f32' }, { name: 'label', shape: [], dtype: 'i32' }], classes: [{ name: 'ok', count: 8 }, { name: 'fails', count: 2 }], notes: [], problems: [] };
    render(<DatasetPanel api={stub(series, { window: [0, 1, 2, 3, 4, 5, 6, 7], label: [1] }, 1)} projectPath="/p" dataset={ref('builtin', 'builtin:sensors')} split={{ seed: 0, validationSplit: 0.1 }} />);
    const plots = await screen.findByTestId('series-plots');
    expect(plots.querySelectorAll('polyline')).toHaveLength(2);
    expect(plots.querySelector('figcaption')?.textContent).toBe('fails');
    cleanup();
    const text: DatasetDescriptionMessage = { source: 'poem.txt', kind: 'text', samples: 3, testSamples: 0, fields: [{ name: 'tokens', shape: [3], dtype: 'i32' }, { name: 'next', shape: [3], dtype: 'i32' }], vocabulary: [' ', 'a', 'b'], notes: [], problems: [] };
    render(<DatasetPanel api={stub(text, { tokens: [1, 0, 2], next: [0, 2, 1] }, 1)} projectPath="/p" dataset={ref('text', 'poem.txt')} split={{ seed: 0, validationSplit: 0.1 }} />);
    expect((await screen.findByTestId('text-windows')).textContent).toBe('a b');
    cleanup();
    const table: DatasetDescriptionMessage = {
      source: 'f.csv', kind: 'csv', samples: 2, testSamples: 0,
      fields: [{ name: 'features', shape: [2], dtype: 'f32' }, { name: 'label', shape: [], dtype: 'i32' }], classes: [{ name: 'no', count: 1 }, { name: 'yes', count: 1 }],
      columns: [{ name: 'size', type: 'number', missing: 1, min: 1, max: 3.14159, mean: 2, std: 1 }, { name: 'label', type: 'category', missing: 0, categories: [{ name: 'no', count: 1 }, { name: 'yes', count: 1 }] }],
      notes: ['target label (classification)'], problems: [],
    };
    render(<DatasetPanel api={stub(table, { features: [0.5, -1, 2, 0], label: [1, 0] }, 2)} projectPath="/p" dataset={ref('csv', 'f.csv')} split={{ seed: 0, validationSplit: 0.5 }} />);
    const rows = within(await screen.findByTestId('sample-table')).getAllByRole('row').map((r) => r.textContent);
    expect(rows).toEqual(['#featureslabel', '00.5, -1yes', '12, 0no']);
    const columns = within(screen.getByRole('table', { name: 'Columns' }));
    expect(columns.getAllByRole('row')[1].textContent).toBe(' sizenumbercategoryignore113.14221');
    expect((columns.getByLabelText('Target label') as HTMLInputElement).checked).toBe(true);
  });

  it('edits column types and the target through the dataset options', async () => {
    const onDatasetChange = vi.fn();
    const table: DatasetDescriptionMessage = {
      source: 'f.csv', kind: 'csv', samples: 2, testSamples: 0, fields: [{ name: 'features', shape: [1], dtype: 'f32' }, { name: 'target', shape: [1], dtype: 'f32' }],
      columns: [{ name: 'zip', type: 'number', missing: 0 }, { name: 'price', type: 'number', missing: 0 }], notes: [], problems: [],
    };
    render(<DatasetPanel api={stub(table, { features: [1, 2], target: [3, 4] }, 2)} projectPath="/p" dataset={ref('csv', 'f.csv', { missing: 'drop' })} split={{ seed: 0, validationSplit: 0.5 }} onDatasetChange={onDatasetChange} />);
    fireEvent.change(await screen.findByLabelText('Type of zip'), { target: { value: 'category' } });
    expect(onDatasetChange).toHaveBeenLastCalledWith(ref('csv', 'f.csv', { missing: 'drop', types: { zip: 'category' } }));
    fireEvent.click(screen.getByLabelText('Target zip'));
    expect(onDatasetChange).toHaveBeenLastCalledWith(ref('csv', 'f.csv', { missing: 'drop', target: 'zip' }));
  });
});

describe('pixels', () => {
  it('turns CHW floats into RGBA, gray planes repeated, out-of-range values rescaled', () => {
    expect(Array.from(chwToRgba([0, 1], 1, 1, 2))).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    expect(Array.from(chwToRgba([0, 0.2, 1], 3, 1, 1))).toEqual([0, 51, 255, 255]);
    expect(Array.from(chwToRgba([-1, 1], 1, 1, 2))).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    expect(detokenize([1, 2], ['<unk>', 'the', 'cat'])).toBe('the cat');
  });
});
