/** @file AvgPool2D: the mean of each window, per channel (padding counted, like PyTorch's default). */
import { defineLayer, p } from './define';
import { poolOptions, poolShape } from './pool';
import { numel } from './shape';

export const avgPool2d = defineLayer({
  type: 'AvgPool2D',
  ui: { label: 'AvgPool2D', category: 'convolution', doc: 'Averages each window: halves the image size with the defaults.' },
  params: {
    kernel: p.ints({ length: 2, min: 1, max: 64, default: [2, 2] }),
    stride: p.ints({ length: 2, min: 1, max: 64, default: [2, 2] }),
    padding: p.ints({ length: 2, min: 0, max: 32, default: [0, 0], doc: 'Zero padding [ph, pw] on both sides, counted in the mean' }),
  },
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }, params) => poolShape(x, params, 'AvgPool2D'),
  forward: ({ in: x }, _w, params) => ({ out: x.avgPool2d(poolOptions(params)) }),
  flops: (_i, { out }, { kernel }) => numel(out) * kernel[0] * kernel[1],
});
