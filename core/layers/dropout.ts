/** @file Dropout: zeroes values at random while training and scales the rest by 1/(1-rate) (inverted). */
import { defineLayer, p } from './define';
import { dropout as drop } from './ops';

export const dropout = defineLayer({
  type: 'Dropout',
  ui: { label: 'Dropout', category: 'regularization', doc: 'While training, drops each value with probability `rate` so the network cannot rely on any one of them.' },
  params: { rate: p.float({ min: 0, max: 0.99, default: 0.5, doc: 'Probability of dropping a value' }) },
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }) => ({ out: x }),
  forward: ({ in: x }, _w, { rate }, ctx) => ({ out: drop(x, rate, ctx) }),
});
