/** @file Template `neuron`: one sigmoid neuron on a two-feature, linearly separable toy set. */
import type { TemplateDef } from './index';
import { projectSkeleton } from './index';

export const neuron: TemplateDef = {
  name: 'neuron',
  title: 'Sigmoid neuron',
  description: 'One neuron, two features, trained by backpropagation.',
  build: (name) => ({
    ...projectSkeleton(name, 'A single sigmoid neuron: y = sigmoid(w . x + b), trained with binary cross-entropy.'),
    networks: [
      {
        id: 'net',
        name: 'Neuron',
        nodes: [
          { id: 'x', type: 'Input', params: { shape: [2], field: 'features' }, position: { x: 0, y: 80 } },
          { id: 'neuron', type: 'Dense', params: { units: 1, bias: true }, position: { x: 240, y: 80 } },
          { id: 'loss', type: 'BCEWithLogitsLoss', params: { target: 'label' }, position: { x: 480, y: 80 } },
        ],
        edges: [
          { id: 'e1', source: { node: 'x', port: 'out' }, target: { node: 'neuron', port: 'in' } },
          { id: 'e2', source: { node: 'neuron', port: 'out' }, target: { node: 'loss', port: 'in' } },
        ],
        groups: [],
      },
    ],
    training: {
      recipe: 'supervised',
      networks: { model: 'net' },
      datasetId: 'blobs',
      epochs: 50,
      batchSize: 16,
      seed: 1,
      optimizer: { type: 'sgd', learningRate: 0.5, momentum: 0 },
      schedule: { type: 'constant', warmupSteps: 0 },
      regularization: { l1: 0, l2: 0 },
      metrics: ['accuracy'],
      validationSplit: 0.2,
      checkpointEverySteps: 500,
      options: {},
    },
    datasets: [{ id: 'blobs', source: 'builtin:blobs', kind: 'builtin', options: { samples: 200, separable: true } }],
  }),
};
