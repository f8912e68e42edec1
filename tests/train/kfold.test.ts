/** @file k-fold cross-validation: stratified and ordered folds, and K runs on a small tabular set summarised as mean ± std. */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../core/backends';
import { makeBlobs } from '../../core/data';
import { findTemplate } from '../../core/templates';
import type { RunEvent } from '../../core/train/events';
import { foldsFor, groupedFolds, orderedFolds, stratifiedFolds, summarizeFolds, trainKFold } from '../../core/train/kfold';
import { TrainingSetupError } from '../../core/train/supervised';
import { loadBuiltinDataset } from '../../electron/services/datasets/builtin';

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

  it('grouped folds keep each group (machine) wholly in one fold, every group validated once, folds balanced by samples', () => {
    // 7 groups of unequal sizes, interleaved rows
    const sizes = [9, 3, 5, 12, 4, 7, 6];
    const groups = Int32Array.from(sizes.flatMap((n, g) => Array.from({ length: n }, () => g)).sort((a, b) => ((a * 7919) % 13) - ((b * 7919) % 13)));
    const folds = groupedFolds(groups, 3, 5);
    const validatedIn = new Map<number, number>();
    folds.forEach((fold, k) => {
      expect(fold.train.length + fold.validation.length).toBe(groups.length);
      const trained = new Set(Array.from(fold.train, (r) => groups[r]));
      for (const r of fold.validation) {
        expect(trained.has(groups[r])).toBe(false);
        const seen = validatedIn.get(groups[r]);
        expect(seen === undefined || seen === k).toBe(true);
        validatedIn.set(groups[r], k);
      }
    });
    expect(validatedIn.size).toBe(sizes.length);
    const shares = folds.map((f) => f.validation.length);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(Math.max(...sizes));
  });

  it('sensor-lstm folds by machine (a window never validates on a machine its fold trained on); too few machines is said', async () => {
    // the bug this replaced: ordered folds cut the rows into blocks, splitting machines across train and validation
    const project = findTemplate('sensor-lstm')!.build('Sensors');
    const { train } = await loadBuiltinDataset('builtin:sensors', { machines: 8, steps: 300, stride: 10 }, 1);
    const folds = foldsFor(project, train, 3, 1);
    for (const fold of folds) {
      const trained = new Set(Array.from(fold.train, (r) => train.groups![r]));
      expect(Array.from(fold.validation).some((r) => trained.has(train.groups![r]))).toBe(false);
      expect(fold.validation.length).toBeGreaterThan(0);
    }
    const machines = new Set(train.groups).size;
    expect(() => foldsFor(project, train, machines + 1, 1)).toThrow(TrainingSetupError);
    expect(() => foldsFor(project, train, machines + 1, 1)).toThrow(new RegExp(`needs at least ${machines + 1} groups; the dataset has ${machines}`));
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
    expect(events.filter((e) => e.type === 'start').map((e) => { const s = e as Extract<RunEvent, { type: 'start' }>; return [s.fold, s.folds]; })).toEqual([[1, 3], [2, 3], [3, 3]]);
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
