/** @file LeakyReLU: x if x > 0 else slope·x. */
import { defineLayer, p } from './define';
import { perElement, samePorts, sameShape } from './elementwise';

export const leakyRelu = defineLayer({
  type: 'LeakyReLU',
  ui: { label: 'LeakyReLU', category: 'activation', doc: 'x for positive values, slope·x for negative ones (never quite zero).' },
  params: { negativeSlope: p.float({ min: 0, max: 1, default: 0.01, doc: 'Slope for negative values' }) },
  ports: samePorts,
  shape: sameShape,
  forward: ({ in: x }, _w, { negativeSlope }) => ({ out: x.gt(0).where(x, x.mul(negativeSlope)) }),
  flops: perElement(2),
});
