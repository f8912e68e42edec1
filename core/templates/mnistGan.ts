/** @file Template `mnist-gan`: a DCGAN-style generator (Dense → ConvTranspose2D ×2) and a convolutional discriminator, trained against each other on MNIST. */
import type { Network, ProjectNode } from '../project/schema';
import type { TemplateDef } from './index';
import { projectSkeleton } from './index';

type Chain = [string, string, Record<string, unknown>][];

/** 64 noise values → 32×7×7 → 16×14×14 → 1×28×28 in 0..1 (MNIST pixels are scaled to 0..1). */
const generator: Chain = [
  ['noise', 'Input', { shape: [64], field: 'noise' }],
  ['project', 'Dense', { units: 32 * 7 * 7 }],
  ['relu1', 'ReLU', {}],
  ['reshape', 'Reshape', { shape: [32, 7, 7] }],
  ['up1', 'ConvTranspose2D', { filters: 16, kernel: [4, 4], stride: [2, 2], padding: [1, 1] }],
  ['relu2', 'ReLU', {}],
  ['up2', 'ConvTranspose2D', { filters: 1, kernel: [4, 4], stride: [2, 2], padding: [1, 1] }],
  ['pixels', 'Sigmoid', {}],
  ['image', 'Output', { name: 'image' }],
];

/** 1×28×28 → 16×14×14 → 32×7×7 → one logit: real (1) or generated (0). */
const discriminator: Chain = [
  ['image', 'Input', { shape: [1, 28, 28], field: 'image' }],
  ['conv1', 'Conv2D', { filters: 16, kernel: [4, 4], stride: [2, 2], padding: 'explicit', pads: [1, 1, 1, 1] }],
  ['lrelu1', 'LeakyReLU', { negativeSlope: 0.2 }],
  ['conv2', 'Conv2D', { filters: 32, kernel: [4, 4], stride: [2, 2], padding: 'explicit', pads: [1, 1, 1, 1] }],
  ['lrelu2', 'LeakyReLU', { negativeSlope: 0.2 }],
  ['flatten', 'Flatten', {}],
  ['logit', 'Dense', { units: 1 }],
  ['loss', 'BCEWithLogitsLoss', { target: 'real' }],
];

function chainNetwork(id: string, name: string, chain: Chain, y: number): Network {
  return {
    id,
    name,
    nodes: chain.map(([nodeId, type, params], i): ProjectNode => ({ id: nodeId, type, params, position: { x: 200 * i, y } })),
    edges: chain.slice(1).map(([nodeId], i) => ({ id: `e${i + 1}`, source: { node: chain[i][0], port: 'out' }, target: { node: nodeId, port: 'in' } })),
    groups: [],
  };
}

export const mnistGan: TemplateDef = {
  name: 'mnist-gan',
  title: 'MNIST GAN',
  description: 'A generator and a discriminator trained against each other.',
  build: (name) => ({
    ...projectSkeleton(name, 'The generator turns random noise into digit images; the discriminator learns to tell them from real MNIST digits, and each improves by beating the other.'),
    networks: [chainNetwork('generator', 'Generator', generator, 120), chainNetwork('discriminator', 'Discriminator', discriminator, 120)],
    training: {
      recipe: 'adversarial',
      networks: { generator: 'generator', discriminator: 'discriminator' },
      datasetId: 'mnist',
      epochs: 5,
      batchSize: 64,
      seed: 1,
      optimizer: { type: 'adam', learningRate: 0.0002, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 },
      schedule: { type: 'constant', warmupSteps: 0 },
      regularization: { l1: 0, l2: 0 },
      metrics: [],
      validationSplit: 0,
      checkpointEverySteps: 500,
      options: { discriminatorSteps: 1 },
    },
    datasets: [{ id: 'mnist', source: 'builtin:mnist', kind: 'builtin', options: {} }],
  }),
};
