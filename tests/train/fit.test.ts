/** @file Fit diagnosis on planted runs: overfitting, divergence, underfitting, the node where NaN first appears, and silence on a healthy run. */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../core/backends';
import { InMemoryDataset, makeBlobs, splitmix32, type Dataset } from '../../core/data';
import type { Network, OptimizerConfig, Project } from '../../core/project';
import { findTemplate } from '../../core/templates';
import type { RunEvent } from '../../core/train/events';
import { trainSupervised } from '../../core/train/supervised';

const cpu = { kind: 'cpu', detail: 'float32', reason: 'test' } as const;

function gaussians(n: number, seed: number): Float32Array {
  const next = splitmix32(seed);
  const u = () => (next() + 0.5) / 4294967296;
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

/** Input(features [f]) → (Dense(width) → ReLU) × depth → Dense(out) → loss. */
function mlp(features: number, widths: number[], out: number, loss: 'CrossEntropyLoss' | 'MSELoss'): Network {
  const chain: [string, string, Record<string, unknown>][] = [['x', 'Input', { shape: [features], field: 'features' }]];
  widths.forEach((units, i) => chain.push([`dense${i + 1}`, 'Dense', { units }], [`relu${i + 1}`, 'ReLU', {}]));
  chain.push(['head', 'Dense', { units: out }], ['loss', loss, { target: 'label' }]);
  return {
    id: 'net',
    name: 'MLP',
    nodes: chain.map(([id, type, params], i) => ({ id, type, params, position: { x: 200 * i, y: 0 } })),
    edges: chain.slice(1).map(([id], i) => ({ id: `e${i}`, source: { node: chain[i][0], port: 'out' }, target: { node: id, port: 'in' } })),
    groups: [],
  };
}

function projectWith(network: Network, optimizer: OptimizerConfig, epochs: number, batchSize: number, validationSplit: number): Project {
  const p = findTemplate('neuron')!.build('Planted');
  p.networks = [network];
  Object.assign(p.training, { epochs, batchSize, validationSplit, optimizer });
  return p;
}

async function warnings(project: Project, train: Dataset): Promise<{ codes: string[]; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  for await (const e of trainSupervised({ runId: 'r', project, data: { train }, backend: createBackend('cpu'), backendReport: cpu })) events.push(e);
  return { codes: events.filter((e): e is Extract<RunEvent, { type: 'warning' }> => e.type === 'warning').map((e) => e.code), events };
}

const adam = (learningRate: number): OptimizerConfig => ({ type: 'adam', learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });

describe('fit diagnosis', () => {
  it('flags overfitting: a big MLP memorising 30 samples with random labels', async () => {
    const n = 40;
    const labels = Int32Array.from(gaussians(n, 7), (v) => (v > 0 ? 1 : 0));
    const data = new InMemoryDataset('noise', n, { features: { spec: { shape: [8], dtype: 'f32' }, data: gaussians(n * 8, 3) }, label: { spec: { shape: [], dtype: 'i32' }, data: labels } });
    const { codes, events } = await warnings(projectWith(mlp(8, [128, 128], 2, 'CrossEntropyLoss'), adam(0.01), 40, 10, 0.25), data);
    expect(codes).toContain('W_OVERFITTING');
    const w = events.find((e): e is Extract<RunEvent, { type: 'warning' }> => e.type === 'warning' && e.code === 'W_OVERFITTING')!;
    expect(w.suggestion).toMatch(/dropout|L2|early stopping/);
    expect(events.some((e) => e.type === 'confusion')).toBe(true);
  });

  it('flags divergence: plain SGD with a learning rate far too high', async () => {
    const n = 64;
    const x = gaussians(n * 4, 11);
    const y = Float32Array.from({ length: n }, (_, i) => x[4 * i] - 2 * x[4 * i + 1] + 0.5 * x[4 * i + 3]);
    const data = new InMemoryDataset('linear', n, { features: { spec: { shape: [4], dtype: 'f32' }, data: x }, label: { spec: { shape: [1], dtype: 'f32' }, data: y } });
    const { codes, events } = await warnings(projectWith(mlp(4, [], 1, 'MSELoss'), { type: 'sgd', learningRate: 2, momentum: 0, nesterov: false }, 3, 8, 0), data);
    expect(codes).toContain('W_DIVERGENCE');
    expect(events.find((e) => e.type === 'warning' && e.code === 'W_DIVERGENCE')).toMatchObject({ suggestion: expect.stringMatching(/learning rate/) });
  });

  it('flags underfitting: a regression whose loss stays where it started', async () => {
    const n = 64;
    const x = gaussians(n * 4, 5);
    const y = Float32Array.from({ length: n }, (_, i) => 3 * x[4 * i] + 1);
    const data = new InMemoryDataset('linear', n, { features: { spec: { shape: [4], dtype: 'f32' }, data: x }, label: { spec: { shape: [1], dtype: 'f32' }, data: y } });
    const { codes, events } = await warnings(projectWith(mlp(4, [], 1, 'MSELoss'), adam(1e-6), 3, 16, 0.25), data);
    expect(codes).toEqual(['W_UNDERFITTING']);
    // regression runs report predicted-vs-true pairs, subsampled over the validation set
    const pairs = events.find((e): e is Extract<RunEvent, { type: 'predictions' }> => e.type === 'predictions')!;
    expect(pairs.kind).toBe('regression');
    expect(pairs.items).toHaveLength(8);
    expect(pairs.items.every((p) => Number.isFinite(p.predicted) && Number.isFinite(p.actual) && p.input === undefined)).toBe(true);
  });

  it('names the first node whose output is not finite when the loss turns NaN', async () => {
    const source = makeBlobs(64, 1);
    const poisoned: Dataset = {
      name: 'poisoned',
      size: source.size,
      fields: source.fields,
      gather(field, indices, out) {
        source.gather(field, indices, out);
        if (field === 'features') out[0] = Number.POSITIVE_INFINITY;
      },
    };
    const project = projectWith(mlp(2, [8], 1, 'MSELoss'), adam(0.01), 2, 16, 0);
    const { events } = await warnings(project, poisoned);
    const w = events.find((e): e is Extract<RunEvent, { type: 'warning' }> => e.type === 'warning' && e.code === 'W_NONFINITE_LOSS')!;
    expect(w.nodeId).toBe('dense1');
    expect(w.message).toMatch(/first non-finite values appear at the output of dense1/);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'failed' });
  });

  it('stays quiet on a healthy run, and still reports gradient norms, histograms and sample predictions', async () => {
    const { codes, events } = await warnings(projectWith(mlp(2, [16], 2, 'CrossEntropyLoss'), adam(0.01), 6, 16, 0.2), blobsWithClassLabels(160));
    expect(codes).toEqual([]);
    const steps = events.filter((e): e is Extract<RunEvent, { type: 'step' }> => e.type === 'step');
    expect(steps.every((s) => Number.isFinite(s.gradientNorm) && s.gradientNorm! > 0 && s.etaSeconds! >= 0)).toBe(true);
    const histograms = events.find((e): e is Extract<RunEvent, { type: 'histograms' }> => e.type === 'histograms')!;
    expect(histograms.layers.map((l) => l.name)).toEqual(['dense1.kernel', 'dense1.bias', 'head.kernel', 'head.bias']);
    expect(histograms.layers[0].bins.reduce((a, b) => a + b)).toBe(32);
    const predictions = events.find((e): e is Extract<RunEvent, { type: 'predictions' }> => e.type === 'predictions')!;
    expect(predictions.items).toHaveLength(8);
    expect(predictions.items[0].input).toHaveLength(2);
    const confusion = events.findLast((e): e is Extract<RunEvent, { type: 'confusion' }> => e.type === 'confusion')!;
    expect(confusion.matrix.flat().reduce((a, b) => a + b)).toBe(32);
  });
});

function blobsWithClassLabels(n: number): Dataset {
  const blobs = makeBlobs(n, 2);
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const features = new Float32Array(n * 2);
  const labels = new Float32Array(n);
  blobs.gather('features', rows, features);
  blobs.gather('label', rows, labels);
  return new InMemoryDataset('blobs', n, { features: { spec: { shape: [2], dtype: 'f32' }, data: features }, label: { spec: { shape: [], dtype: 'i32' }, data: Int32Array.from(labels) } }, ['0', '1']);
}
