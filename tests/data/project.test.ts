/** @file A project trains on its own files: loadProjectData resolves every importer relative to the project folder, and import errors become one-line setup errors. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../core/project';
import { findTemplate } from '../../core/templates';
import { TrainingSetupError, trainSupervised } from '../../core/train/supervised';
import { createBackend } from '../../core/backends';
import { loadProjectData } from '../../electron/services/runs/localRun';
import { readAll, scratch } from './helpers';

const dir = scratch('project');

function neuronOn(dataset: Project['datasets'][number]): Project {
  const project = findTemplate('neuron')!.build('csv');
  return { ...project, datasets: [dataset], training: { ...project.training, datasetId: dataset.id, epochs: 4 } };
}

describe('loadProjectData', () => {
  it('trains the neuron template on a CSV of the project folder', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => {
      const c = i % 2;
      return `${(c ? 2 : -2) + ((i * 37) % 11) / 10},${(c ? 2 : -2) - ((i * 53) % 7) / 10},${c}`;
    });
    writeFileSync(join(dir, 'points.csv'), ['x1,x2,y', ...rows].join('\n'));
    const project = neuronOn({ id: 'points', source: 'points.csv', kind: 'csv', options: { target: 'y', task: 'regression', targetField: 'label', testFraction: 0.25 } });
    const data = await loadProjectData(project, dir);
    expect(data.train.fields).toEqual({ features: { shape: [2], dtype: 'f32' }, label: { shape: [1], dtype: 'f32' } });
    expect([data.train.size, data.test?.size]).toEqual([90, 30]);
    expect(new Set(readAll(data.train, 'label'))).toEqual(new Set([0, 1]));
    let accuracy = 0;
    for await (const event of trainSupervised({ runId: 't', project, data, backend: createBackend('cpu'), backendReport: { kind: 'cpu', detail: 'float32', reason: 'test' } })) {
      if (event.type === 'epoch') accuracy = event.validation?.accuracy ?? event.train.accuracy ?? 0;
    }
    expect(accuracy).toBeGreaterThan(0.9);
  });

  it('turns an import error into one setup line naming the dataset and the file', async () => {
    const project = neuronOn({ id: 'gone', source: 'missing.csv', kind: 'csv', options: {} });
    const error = await loadProjectData(project, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingSetupError);
    expect((error as Error).message).toBe(`Dataset "gone": ${join(dir, 'missing.csv')} does not exist; check the dataset's source path.`);
  });
});
