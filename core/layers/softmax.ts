/** @file Softmax along one axis: exp(x - max) / Σ exp(x - max). */
import { defineLayer, p, reject } from './define';
import { perElement, samePorts } from './elementwise';
import { formatShape, normAxis } from './shape';

export const softmax = defineLayer({
  type: 'Softmax',
  ui: { label: 'Softmax', category: 'activation', doc: 'Turns scores into probabilities that sum to 1 along an axis. Losses take logits: put it only on predictions.' },
  params: { axis: p.int({ min: -6, max: 6, default: -1, doc: 'Axis that sums to 1 (batch is 0; -1 is the last)' }) },
  ports: samePorts,
  shape: ({ in: x }, { axis }) => {
    const a = normAxis(axis, x.length);
    if (a === null || a === 0) {
      return reject('E_PARAM_RANGE', `cannot normalise along axis ${axis} of ${formatShape(x)}`, {
        fix: { kind: 'setParam', label: 'Use the last axis', param: 'axis', value: -1 },
      });
    }
    return { out: x };
  },
  forward: ({ in: x }, _w, { axis }) => ({ out: x.softmax(axis) }),
  flops: perElement(5),
});
