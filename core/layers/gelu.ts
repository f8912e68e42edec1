/** @file GELU, exact: x · Φ(x) = x/2 · (1 + erf(x/√2)). */
import { defineLayer } from './define';
import { perElement, samePorts, sameShape } from './elementwise';
import { gelu as geluOp } from './ops';

export const gelu = defineLayer({
  type: 'GELU',
  ui: { label: 'GELU', category: 'activation', doc: 'x·Φ(x): a smooth ReLU, the usual choice in transformers.' },
  params: {},
  ports: samePorts,
  shape: sameShape,
  forward: ({ in: x }) => ({ out: geluOp(x) }),
  flops: perElement(8),
});
