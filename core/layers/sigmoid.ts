/** @file Sigmoid: 1 / (1 + e^-x). */
import { defineLayer } from './define';
import { perElement, samePorts, sameShape } from './elementwise';

export const sigmoid = defineLayer({
  type: 'Sigmoid',
  ui: { label: 'Sigmoid', category: 'activation', doc: '1 / (1 + e^-x): squashes values into (0, 1).' },
  params: {},
  ports: samePorts,
  shape: sameShape,
  forward: ({ in: x }) => ({ out: x.sigmoid() }),
  flops: perElement(4),
});
