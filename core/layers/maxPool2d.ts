/** @file MaxPool2D: the largest value in each window, per channel. */
import { defineLayer, p } from './define';
import { poolOptions, poolShape } from './pool';
import { numel } from './shape';

export const maxPool2d = defineLayer({
  type: 'MaxPool2D',
  ui: { label: 'MaxPool2D', category: 'convolution', doc: 'Keeps the largest value of each window: halves the image size with the defaults.' },
  params: {
    kernel: p.ints({ length: 2, min: 1, max: 64, default: [2, 2] }),
    stride: p.ints({ length: 2, min: 1, max: 64, default: [2, 2] }),
    padding: p.ints({ length: 2, min: 0, max: 32, default: [0, 0], doc: 'Padding [ph, pw] on both sides (never chosen as the max)' }),
  },
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }, params) => poolShape(x, params, 'MaxPool2D'),
  forward: ({ in: x }, _w, params) => ({ out: x.maxPool2d(poolOptions(params)) }),
  flops: (_i, { out }, { kernel }) => numel(out) * kernel[0] * kernel[1],
});
