/** @file Tanh: the hyperbolic tangent. */
import { defineLayer } from './define';
import { perElement, samePorts, sameShape } from './elementwise';

export const tanh = defineLayer({
  type: 'Tanh',
  ui: { label: 'Tanh', category: 'activation', doc: 'tanh(x): squashes values into (-1, 1).' },
  params: {},
  ports: samePorts,
  shape: sameShape,
  forward: ({ in: x }) => ({ out: x.tanh() }),
  flops: perElement(4),
});
