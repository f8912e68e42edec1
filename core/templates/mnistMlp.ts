/** @file Template `mnist-mlp`: 784-128-10 on MNIST, softmax cross-entropy, Adam. */
import type { TemplateDef } from './index';
import { projectSkeleton } from './index';

export const mnistMlp: TemplateDef = {
  name: 'mnist-mlp',
  title: 'MNIST MLP',
  description: 'A 784-128-10 multilayer perceptron on handwritten digits.',
  build: (name) => ({
    ...projectSkeleton(name, 'A multilayer perceptron that reads 28x28 handwritten digits and names them.'),
    networks: [
      {
        id: 'net',
        name: 'Classifier',
        nodes: [
          { id: 'image', type: 'Input', params: { shape: [1, 28, 28], field: 'image' }, position: { x: 0, y: 120 } },
          { id: 'flatten', type: 'Flatten', params: {}, position: { x: 220, y: 120 } },
          { id: 'hidden', type: 'Dense', params: { units: 128, bias: true }, position: { x: 440, y: 120 } },
          { id: 'relu', type: 'ReLU', params: {}, position: { x: 660, y: 120 } },
          { id: 'logits', type: 'Dense', params: { units: 10, bias: true }, position: { x: 880, y: 120 } },
          { id: 'loss', type: 'CrossEntropyLoss', params: { target: 'label', labelSmoothing: 0 }, position: { x: 1100, y: 120 } },
        ],
        edges: [
          { id: 'e1', source: { node: 'image', port: 'out' }, target: { node: 'flatten', port: 'in' } },
          { id: 'e2', source: { node: 'flatten', port: 'out' }, target: { node: 'hidden', port: 'in' } },
          { id: 'e3', source: { node: 'hidden', port: 'out' }, target: { node: 'relu', port: 'in' } },
          { id: 'e4', source: { node: 'relu', port: 'out' }, target: { node: 'logits', port: 'in' } },
          { id: 'e5', source: { node: 'logits', port: 'out' }, target: { node: 'loss', port: 'in' } },
        ],
        groups: [],
      },
    ],
    training: {
      recipe: 'supervised',
      networks: { model: 'net' },
      datasetId: 'mnist',
      epochs: 3,
      batchSize: 32,
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
