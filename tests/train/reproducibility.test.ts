/** @file The same project, seed and backend give bit-identical weights; another seed gives others. */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../core/backends';
import { InMemoryDataset, makeBlobs } from '../../core/data';
import type { Project } from '../../core/project';
import { findTemplate } from '../../core/templates';
import { allBatches, Batcher } from '../../core/train/batches';
import { compileSupervised, LR_INPUT, STEP_INPUT } from '../../core/train/program';

/** A small MLP with dropout, so the seeded random stream is exercised too. */
function mlpProject(): Project {
  const project = findTemplate('neuron')!.build('MLP');
  const net = project.networks[0];
  net.nodes = [
    { id: 'x', type: 'Input', params: { shape: [2], field: 'features' }, position: { x: 0, y: 0 } },
    { id: 'h', type: 'Dense', params: { units: 16 }, position: { x: 1, y: 0 } },
    { id: 'act', type: 'ReLU', params: {}, position: { x: 2, y: 0 } },
    { id: 'drop', type: 'Dropout', params: { rate: 0.3 }, position: { x: 3, y: 0 } },
    { id: 'out', type: 'Dense', params: { units: 1 }, position: { x: 4, y: 0 } },
    { id: 'loss', type: 'BCEWithLogitsLoss', params: { target: 'label' }, position: { x: 5, y: 0 } },
  ];
  net.edges = ['x:h', 'h:act', 'act:drop', 'drop:out', 'out:loss'].map((pair, i) => {
    const [a, b] = pair.split(':');
    return { id: `e${i}`, source: { node: a, port: 'out' }, target: { node: b, port: 'in' } };
  });
  project.training.optimizer = { type: 'adam', learningRate: 0.01 };
  return project;
}

async function trainWeights(seed: number): Promise<Record<string, number[]>> {
  const project = mlpProject();
  const data: InMemoryDataset = makeBlobs(128, 3);
  const compiled = compileSupervised(project.networks[0], project.training, createBackend('cpu'), 16, seed);
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
  const { model } = compiled;
  const batcher = new Batcher(data, [...model.feeds], 16);
  let step = 0;
  for (let epoch = 0; epoch < 3; epoch++) {
    for (const rows of allBatches(data.size, 16)) {
      await model.train.run({ ...batcher.fill(rows), [LR_INPUT]: [0.01], [STEP_INPUT]: [step++] });
    }
  }
  const weights: Record<string, number[]> = {};
  for (const name of model.paramNames) weights[name] = [...(await model.train.readVariable(name))];
  return weights;
}

describe('reproducibility', () => {
  it('two runs with the same seed end with identical weights, bit for bit', async () => {
    const a = await trainWeights(11);
    const b = await trainWeights(11);
    expect(Object.keys(a).sort()).toEqual(['h.bias', 'h.kernel', 'out.bias', 'out.kernel']);
    for (const name of Object.keys(a)) expect(b[name]).toEqual(a[name]);
  });

  it('another seed gives other weights', async () => {
    const a = await trainWeights(11);
    const c = await trainWeights(12);
    expect(c['h.kernel']).not.toEqual(a['h.kernel']);
  });
});
