/** @file Flatten: [batch, d1, d2, ...] → [batch, d1·d2·...]. */
import { defineLayer } from './define';
import { numel } from './shape';

export const flatten = defineLayer({
  type: 'Flatten',
  ui: { label: 'Flatten', category: 'core', doc: 'Joins all axes after the batch into one: images [C, H, W] become vectors of C·H·W.' },
  params: {},
  ports: { in: ['in'], out: ['out'] },
  dtypes: 'same',
  shape: ({ in: x }) => ({ out: [x[0], numel(x.slice(1))] }),
  forward: ({ in: x }) => ({ out: x.reshape([x.shape[0], -1]) }),
  flops: () => 0,
});
