/** @file Dense (fully connected): y = x·W + b on the last axis; W is [in, out]. */
import { defineLayer, init, p, reject } from './define';
import { linear } from './ops';
import { formatShape, lastDim, numel } from './shape';

export const dense = defineLayer({
  type: 'Dense',
  ui: { label: 'Dense', category: 'core', doc: 'Fully connected: every output is a weighted sum of all inputs, y = x·W + b.' },
  params: {
    units: p.int({ min: 1, max: 1 << 20, default: 64, doc: 'Number of outputs' }),
    bias: p.bool(true, 'Add a learned bias b'),
  },
  widthParam: 'units',
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }, { units }) => {
    if (x.length === 2 || x.length === 3) return { out: [...x.slice(0, -1), units] };
    const base = `needs [batch, features] (or [batch, time, features]) but receives ${formatShape(x)}`;
    if (x.length > 3) {
      return reject('E_SHAPE_RANK', `${base}: insert Flatten`, { port: 'in', fix: { kind: 'insertLayer', label: 'Insert Flatten', layerType: 'Flatten', params: {} } });
    }
    return reject('E_SHAPE_RANK', `${base}: insert Reshape to [1]`, {
      port: 'in',
      fix: { kind: 'insertLayer', label: 'Insert Reshape to [1]', layerType: 'Reshape', params: { shape: [1] } },
    });
  },
  weights: ({ in: x }, { units, bias }) => ({
    kernel: { shape: [lastDim(x), units], init: init.glorotUniform(lastDim(x), units) },
    ...(bias ? { bias: { shape: [units], init: init.zeros } } : {}),
  }),
  forward: ({ in: x }, w) => ({ out: linear(x, w.kernel, w.bias) }),
  flops: ({ in: x }, { out }) => 2 * numel(x) * lastDim(out),
});
