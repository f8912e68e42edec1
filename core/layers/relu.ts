/** @file ReLU: max(x, 0). */
import { defineLayer } from './define';
import { perElement, samePorts, sameShape } from './elementwise';

export const relu = defineLayer({
  type: 'ReLU',
  ui: { label: 'ReLU', category: 'activation', doc: 'max(x, 0): passes positive values, zeroes negative ones.' },
  params: {},
  ports: samePorts,
  shape: sameShape,
  forward: ({ in: x }) => ({ out: x.relu() }),
  flops: perElement(1),
});
