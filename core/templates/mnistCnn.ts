/** @file Template `mnist-cnn`: two convolution blocks and a small classifier on MNIST, Adam. Not registered in index.ts yet: tests/services still use mnist-cnn as the example of an unavailable template. */
import type { ProjectNode } from '../project/schema';
import type { TemplateDef } from './index';
import { projectSkeleton } from './index';

const chain: [string, string, Record<string, unknown>][] = [
  ['image', 'Input', { shape: [1, 28, 28], field: 'image' }],
  ['conv1', 'Conv2D', { filters: 16, kernel: [3, 3], padding: 'same' }],
  ['relu1', 'ReLU', {}],
  ['pool1', 'MaxPool2D', { kernel: [2, 2], stride: [2, 2] }],
  ['conv2', 'Conv2D', { filters: 32, kernel: [3, 3], padding: 'same' }],
  ['relu2', 'ReLU', {}],
  ['pool2', 'MaxPool2D', { kernel: [2, 2], stride: [2, 2] }],
  ['flatten', 'Flatten', {}],
  ['hidden', 'Dense', { units: 64 }],
  ['relu3', 'ReLU', {}],
  ['dropout', 'Dropout', { rate: 0.25 }],
  ['logits', 'Dense', { units: 10 }],
  ['loss', 'CrossEntropyLoss', { target: 'label', labelSmoothing: 0 }],
];

export const mnistCnn: TemplateDef = {
  name: 'mnist-cnn',
  title: 'MNIST CNN',
  description: 'A convolutional network for handwritten digits.',
  build: (name) => ({
    ...projectSkeleton(name, 'Two convolution + pooling blocks find strokes and shapes; a small classifier names the digit.'),
    networks: [
      {
        id: 'net',
        name: 'Classifier',
        nodes: chain.map(([id, type, params], i): ProjectNode => ({ id, type, params, position: { x: 200 * i, y: 120 } })),
        edges: chain.slice(1).map(([id], i) => ({ id: `e${i + 1}`, source: { node: chain[i][0], port: 'out' }, target: { node: id, port: 'in' } })),
        groups: [],
      },
    ],
    training: {
      recipe: 'supervised',
      networks: { model: 'net' },
      datasetId: 'mnist',
      epochs: 2,
      batchSize: 64,
      seed: 1,
      optimizer: { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      schedule: { type: 'constant', warmupSteps: 0 },
      regularization: { l1: 0, l2: 0 },
      metrics: ['accuracy'],
      validationSplit: 0.1,
      checkpointEverySteps: 500,
      options: {},
    },
    datasets: [{ id: 'mnist', source: 'builtin:mnist', kind: 'builtin', options: {} }],
  }),
};
