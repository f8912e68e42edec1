/** @file The supervised recipe end to end on the CPU backend: it learns, reports, stops, and repeats itself exactly. */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../core/backends';
import type { Dataset } from '../../core/data';
import { makeBlobs } from '../../core/data';
import type { Project } from '../../core/project';
import { findTemplate } from '../../core/templates';
import type { RunEvent } from '../../core/train/events';
import { trainSupervised, TrainingSetupError } from '../../core/train/supervised';
import { loadBuiltinDataset } from '../../electron/services/datasets/builtin';

const cpu = { kind: 'cpu', detail: 'float32', reason: 'test' } as const;

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const e of events) all.push(e);
  return all;
}

function neuronProject(): Project {
  return findTemplate('neuron')!.build('Neuron');
}

describe('supervised recipe', () => {
  it('trains the sigmoid neuron to 100% on separable blobs', async () => {
    const project = neuronProject();
    const events = await collect(trainSupervised({ runId: 'r1', project, data: { train: makeBlobs(200, 1), test: makeBlobs(60, 2) }, backend: createBackend('cpu'), backendReport: cpu }));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('start');
    expect(types.at(-1)).toBe('done');
    expect(types.filter((t) => t === 'epoch')).toHaveLength(project.training.epochs);
    const done = events.at(-1) as Extract<RunEvent, { type: 'done' }>;
    expect(done.status).toBe('completed');
    expect(done.metrics.train_accuracy).toBe(1);
    expect(done.metrics.test_accuracy).toBe(1);
    const steps = events.filter((e): e is Extract<RunEvent, { type: 'step' }> => e.type === 'step');
    expect(steps.at(-1)!.loss).toBeLessThan(steps[0].loss);
  });

  it('gives bit-identical runs for the same seed, and different ones for another seed', async () => {
    const run = async (seed: number) => {
      const events = await collect(trainSupervised({ runId: 'r', project: neuronProject(), data: { train: makeBlobs(100, 1) }, backend: createBackend('cpu'), backendReport: cpu, epochs: 3, seed }));
      return events.filter((e) => e.type === 'step').map((e) => (e as Extract<RunEvent, { type: 'step' }>).loss);
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('stops after the step in which the signal is aborted', async () => {
    const controller = new AbortController();
    const events: RunEvent[] = [];
    for await (const e of trainSupervised({ runId: 'r', project: neuronProject(), data: { train: makeBlobs(200, 1) }, backend: createBackend('cpu'), backendReport: cpu, signal: controller.signal })) {
      events.push(e);
      if (e.type === 'step' && e.step === 3) controller.abort();
    }
    const done = events.at(-1) as Extract<RunEvent, { type: 'done' }>;
    expect(done.status).toBe('stopped');
    expect(done.step).toBe(3);
  });

  it('reports a non-finite loss with its step and stops the run', async () => {
    const project = neuronProject();
    const source = makeBlobs(200, 1);
    const poisoned: Dataset = {
      name: 'poisoned',
      size: source.size,
      fields: source.fields,
      gather(field, indices, out) {
        source.gather(field, indices, out);
        if (field === 'features') out[0] = Number.NaN;
      },
    };
    const events = await collect(trainSupervised({ runId: 'r', project, data: { train: poisoned }, backend: createBackend('cpu'), backendReport: cpu }));
    const warning = events.find((e) => e.type === 'warning') as Extract<RunEvent, { type: 'warning' }>;
    expect(warning.code).toBe('W_NONFINITE_LOSS');
    expect(warning.message).toMatch(/became NaN at step 0/);
    expect((events.at(-1) as Extract<RunEvent, { type: 'done' }>).status).toBe('failed');
  });

  it('refuses a dataset that lacks the field the network reads, naming both', async () => {
    const project = neuronProject();
    const wrong: Dataset = makeBlobs(100, 1);
    project.networks[0].nodes[0].params.field = 'pixels';
    await expect(collect(trainSupervised({ runId: 'r', project, data: { train: wrong }, backend: createBackend('cpu'), backendReport: cpu }))).rejects.toThrow(TrainingSetupError);
    await expect(collect(trainSupervised({ runId: 'r', project, data: { train: wrong }, backend: createBackend('cpu'), backendReport: cpu }))).rejects.toThrow(/no field "pixels"/);
  });

  it('learns MNIST digits with the mnist-mlp template (short run on a subset)', async () => {
    const project = findTemplate('mnist-mlp')!.build('MLP');
    const data = await loadBuiltinDataset('builtin:mnist', { limit: 6000, testLimit: 1000 }, 1);
    const events = await collect(trainSupervised({ runId: 'r', project, data, backend: createBackend('cpu'), backendReport: cpu, epochs: 2 }));
    const done = events.at(-1) as Extract<RunEvent, { type: 'done' }>;
    expect(done.status).toBe('completed');
    expect(done.metrics.test_accuracy).toBeGreaterThan(0.88);
  });
});
