/** @file LayerNorm over the last axis (PyTorch semantics: biased variance, eps inside the root). */
import { defineLayer, init, p } from './define';
import { layerNorm as normalize } from './ops';
import { lastDim, numel } from './shape';

export const layerNorm = defineLayer({
  type: 'LayerNorm',
  ui: { label: 'LayerNorm', category: 'normalization', doc: 'Normalises the features of each position to mean 0 and variance 1, then scales and shifts.' },
  params: {
    epsilon: p.float({ min: 0, max: 1, exclusiveMin: true, default: 1e-5 }),
    affine: p.bool(true, 'Learn a scale γ and a shift β per feature'),
  },
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }) => ({ out: x }),
  weights: ({ in: x }, { affine }) =>
    affine ? { gamma: { shape: [lastDim(x)], init: init.ones }, beta: { shape: [lastDim(x)], init: init.zeros } } : {},
  forward: ({ in: x }, w, { epsilon }) => ({ out: normalize(x, epsilon, w.gamma, w.beta) }),
  flops: ({ in: x }) => 6 * numel(x),
});
