/** @file k-fold cross-validation: stratified and ordered folds, and K runs on a small tabular set summarised as mean ± std. */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../core/backends';
import { makeBlobs } from '../../core/data';
import { findTemplate } from '../../core/templates';
import type { RunEvent } from '../../core/train/events';
import { orderedFolds, stratifiedFolds, summarizeFolds, trainKFold } from '../../core/train/kfold';

const cpu = { kind: 'cpu', detail: 'float32', reason: 'test' } as const;

describe('k-fold', () => {
  it('stratified folds partition the rows and keep each class share', () => {
    const labels = Int32Array.from({ length: 60 }, (_, i) => (i < 45 ? 0 : 1)); // 3:1 classes
    const folds = stratifiedFolds(60, 5, 9, labels);
    const seen = new Set<number>();
    for (const fold of folds) {
      expect(fold.train.length + fold.validation.length).toBe(60);
      expect(Array.from(fold.validation).filter((r) => labels[r] === 1)).toHaveLength(3);
      for (const r of fold.validation) seen.add(r);
    }
    expect(seen.size).toBe(60);
  });

  it('ordered folds never validate on rows before the ones they train on', () => {
    const folds = orderedFolds(40, 3);
    expect(folds.map((f) => [f.train.length, f.validation.length])).toEqual([[10, 10], [20, 10], [30, 10]]);
    for (const f of folds) expect(Math.max(...f.train)).toBeLessThan(Math.min(...f.validation));
  });

  it('summarises folds as mean and population standard deviation', () => {
    expect(summarizeFolds([{ a: 1 }, { a: 3 }])).toEqual({ mean: { a: 2 }, std: { a: 1 } });
  });

  it('runs K folds of the neuron on blobs and reports each fold and mean ± std', async () => {
    const project = findTemplate('neuron')!.build('Neuron');
    project.training.epochs = 2;
    const events: RunEvent[] = [];
    for await (const e of trainKFold({ runId: 'k', project, data: { train: makeBlobs(120, 4) }, backend: createBackend('cpu'), backendReport: cpu }, 3)) events.push(e);
    const folds = events.filter((e): e is Extract<RunEvent, { type: 'kfold' }> => e.type === 'kfold');
    expect(folds.map((f) => f.fold)).toEqual([1, 2, 3, 0]);
    expect(events.filter((e) => e.type === 'start').map((e) => (e as Extract<RunEvent, { type: 'start' }>).runId)).toEqual(['k-fold1', 'k-fold2', 'k-fold3']);
    expect(events.filter((e) => e.type === 'start').every((e) => (e as Extract<RunEvent, { type: 'start' }>).validationSamples === 40)).toBe(true);
    const summary = folds[3];
    const accuracies = folds.slice(0, 3).map((f) => f.metrics.val_accuracy);
    const mean = accuracies.reduce((a, b) => a + b) / 3;
    expect(summary.mean!.val_accuracy).toBeCloseTo(mean, 12);
    expect(summary.std!.val_accuracy).toBeCloseTo(Math.sqrt(accuracies.reduce((s, a) => s + (a - mean) ** 2, 0) / 3), 12);
    expect(summary.mean!.val_accuracy).toBeGreaterThan(0.9);
    const done = events.at(-1) as Extract<RunEvent, { type: 'done' }>;
    expect(done.status).toBe('completed');
    expect(done.metrics.val_accuracy_std).toBe(summary.std!.val_accuracy);
  });
});
