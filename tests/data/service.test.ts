/** @file The dataset messages of the studio contract: describe and preview a dataset of a project folder, and import errors as E_DATASET replies. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatasetService } from '../../electron/services/datasets/service';
import { dispatchRequest } from '../../electron/services/dispatch';
import type { StudioHandlers } from '../../core/contract';
import { scratch } from './helpers';

const dir = scratch('service');

describe('describeDataset / previewDataset', () => {
  const { handlers } = createDatasetService();

  it('describes a CSV of the project and pages through its samples', async () => {
    writeFileSync(join(dir, 'iris.csv'), 'a,b,kind\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n');
    const dataset = { source: 'iris.csv', kind: 'csv' as const, options: { testFraction: 0, normalize: false } };
    const { description } = await handlers.describeDataset({ path: dir, dataset, seed: 1, validationSplit: 0.25 });
    expect([description.samples, description.classes]).toEqual([4, [{ name: 'x', count: 2 }, { name: 'y', count: 2 }]]);
    const page = await handlers.previewDataset({ path: dir, dataset, seed: 1, validationSplit: 0.25, split: 'train', start: 1, count: 2 });
    expect(page).toEqual({ start: 1, count: 2, fields: { features: [3, 4, 5, 6], label: [1, 0] } });
    const empty = await handlers.previewDataset({ path: dir, dataset, split: 'test', start: 0, count: 2 });
    expect(empty.count).toBe(0);
  });

  it('replies E_DATASET with the stable code and the file, as one line', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'a,label\n1,x\n2,"y\n');
    const reply = await dispatchRequest(handlers as unknown as StudioHandlers, 'describeDataset', { path: dir, dataset: { source: 'bad.csv', kind: 'csv' } });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('E_DATASET');
    expect(reply.error.message).toMatch(/bad\.csv line 3: a quoted field opened on this row is never closed/);
    expect(reply.error.message).not.toMatch(/\n/);
    expect(reply.error.diagnostics?.[0]).toMatchObject({ code: 'E_DATA_MALFORMED_ROW', path: join(dir, 'bad.csv') });
  });
});
