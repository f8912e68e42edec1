/**
 * @file Template `mnist-mlp`: 784-256-128-10 with dropout on MNIST, softmax cross-entropy, Adam with
 * a cosine decay to zero. Measured (npm run templates:check): ≥ 98% test accuracy in its 5 epochs;
 * the cosine tail is what lifts it from ~97.5% (constant rate) to 98%.
 */
import { chainNetwork, type Chain } from './chain';
import type { TemplateDef } from './index';
import { projectSkeleton } from './index';

const chain: Chain = [
  ['image', 'Input', { shape: [1, 28, 28], field: 'image' }],
  ['flatten', 'Flatten', {}],
  ['hidden1', 'Dense', { units: 256, bias: true }],
  ['relu1', 'ReLU', {}],
  ['dropout1', 'Dropout', { rate: 0.2 }],
  ['hidden2', 'Dense', { units: 128, bias: true }],
  ['relu2', 'ReLU', {}],
  ['dropout2', 'Dropout', { rate: 0.2 }],
  ['logits', 'Dense', { units: 10, bias: true }],
  ['loss', 'CrossEntropyLoss', { target: 'label', labelSmoothing: 0 }],
];

export const mnistMlp: TemplateDef = {
  name: 'mnist-mlp',
  title: 'MNIST MLP',
  description: 'A 784-256-128-10 multilayer perceptron with dropout on handwritten digits.',
  build: (name) => ({
    ...projectSkeleton(name, 'A multilayer perceptron that reads 28x28 handwritten digits and names them. Dropout keeps it from memorising; the learning rate decays along a cosine to zero.'),
    networks: [chainNetwork('net', 'Classifier', chain)],
    training: {
      recipe: 'supervised',
      networks: { model: 'net' },
      datasetId: 'mnist',
      epochs: 5,
      batchSize: 64,
      seed: 1,
      optimizer: { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
      schedule: { type: 'cosine', warmupSteps: 0, minLearningRate: 0 },
      regularization: { l1: 0, l2: 0 },
      metrics: ['accuracy'],
      validationSplit: 0.1,
      checkpointEverySteps: 500,
      options: {},
    },
    datasets: [{ id: 'mnist', source: 'builtin:mnist', kind: 'builtin', options: {} }],
  }),
};
