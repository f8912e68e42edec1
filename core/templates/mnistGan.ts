/**
 * @file Template `mnist-gan`: a DCGAN-style generator (Dense 128·7·7 → BatchNorm → ConvTranspose2D
 * 64 → BatchNorm → ConvTranspose2D 1) and a strided-convolution discriminator (conv64, conv128 and
 * conv256 with BatchNorm, LeakyReLU), trained against each other on MNIST with the DCGAN settings
 * (Adam 2e-4, β1 0.5, constant), real images labelled 0.9 (one-sided smoothing) and a moving
 * average of the generator's weights (decay 0.999) that the grid shows and export writes. The
 * third convolution gives D a nonlinear view of the whole digit (a 3×3 map whose units each see
 * most of the image) rather than a linear sum of local patches, and that is what makes G draw
 * coherent shapes. Sized for a CPU: batch 32, four epochs (7,500 generator steps). Measured by
 * `npm run templates:check` (figures and time in docs/templates.md) against the target: the
 * mnist-cnn classifier names generated digits with mean top-class probability ≥ 0.9, all ten
 * among 1,000. The validation view scores D on its training digits against test digits it never
 * sees (core/train/ganValidation.ts).
 */
import { chainNetwork, type Chain } from './chain';
import type { TemplateDef } from './index';
import { projectSkeleton } from './index';

/** 64 noise values → 128×7×7 → 64×14×14 → 1×28×28 in 0..1 (MNIST pixels are scaled to 0..1). */
const generator: Chain = [
  ['noise', 'Input', { shape: [64], field: 'noise' }],
  ['project', 'Dense', { units: 128 * 7 * 7 }],
  ['reshape', 'Reshape', { shape: [128, 7, 7] }],
  ['bn1', 'BatchNorm', {}],
  ['relu1', 'ReLU', {}],
  ['up1', 'ConvTranspose2D', { filters: 64, kernel: [4, 4], stride: [2, 2], padding: [1, 1] }],
  ['bn2', 'BatchNorm', {}],
  ['relu2', 'ReLU', {}],
  ['up2', 'ConvTranspose2D', { filters: 1, kernel: [4, 4], stride: [2, 2], padding: [1, 1] }],
  ['pixels', 'Sigmoid', {}],
  ['image', 'Output', { name: 'image' }],
];

/** 1×28×28 → 64×14×14 → 128×7×7 → 256×3×3 → one logit: real (0.9, smoothed) or generated (0); BatchNorm sees real and generated rows as separate batches. */
const discriminator: Chain = [
  ['image', 'Input', { shape: [1, 28, 28], field: 'image' }],
  ['conv1', 'Conv2D', { filters: 64, kernel: [4, 4], stride: [2, 2], padding: 'explicit', pads: [1, 1, 1, 1] }],
  ['lrelu1', 'LeakyReLU', { negativeSlope: 0.2 }],
  ['conv2', 'Conv2D', { filters: 128, kernel: [4, 4], stride: [2, 2], padding: 'explicit', pads: [1, 1, 1, 1] }],
  ['norm', 'BatchNorm', {}],
  ['lrelu2', 'LeakyReLU', { negativeSlope: 0.2 }],
  ['conv3', 'Conv2D', { filters: 256, kernel: [4, 4], stride: [2, 2], padding: 'explicit', pads: [1, 1, 1, 1] }],
  ['norm3', 'BatchNorm', {}],
  ['lrelu3', 'LeakyReLU', { negativeSlope: 0.2 }],
  ['flatten', 'Flatten', {}],
  ['logit', 'Dense', { units: 1 }],
  ['loss', 'BCEWithLogitsLoss', { target: 'real' }],
];

export const mnistGan: TemplateDef = {
  name: 'mnist-gan',
  title: 'MNIST GAN',
  description: 'A generator and a discriminator trained against each other.',
  build: (name) => ({
    ...projectSkeleton(name, 'The generator turns random noise into digit images; the discriminator learns to tell them from real MNIST digits, and each improves by beating the other. The sample grid shows the same noise every epoch; the metrics compare the discriminator on its training digits with test digits it never sees; the diagnosis flags mode collapse, a discriminator that wins outright and one that memorises its training digits.'),
    networks: [chainNetwork('generator', 'Generator', generator), chainNetwork('discriminator', 'Discriminator', discriminator)],
    training: {
      recipe: 'adversarial',
      networks: { generator: 'generator', discriminator: 'discriminator' },
      datasetId: 'mnist',
      epochs: 4,
      batchSize: 32,
      seed: 1,
      optimizer: { type: 'adam', learningRate: 0.0002, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 },
      // constant: decaying to 0 measured no better (docs/templates.md); the weight average settles G instead
      schedule: { type: 'constant', warmupSteps: 0 },
      regularization: { l1: 0, l2: 0 },
      metrics: [],
      // D never trains on MNIST's test digits: they are the validation view's held-out real images
      validationSplit: 0,
      checkpointEverySteps: 500,
      // G's weight average is what the grid shows and export writes; real images labelled 0.9 (one-sided smoothing)
      options: { discriminatorSteps: 1, generatorEma: 0.999, realLabel: 0.9 },
    },
    datasets: [{ id: 'mnist', source: 'builtin:mnist', kind: 'builtin', options: {} }],
  }),
};
