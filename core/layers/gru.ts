/**
 * @file GRU, unrolled, PyTorch gate order and conventions (r, z, n):
 *   r = σ(x·Wirᵀ + bir + h·Whrᵀ + bhr), z = σ(…),
 *   n = tanh(x·Winᵀ + bin + r ⊙ (h·Whnᵀ + bhn)), h' = (1 - z) ⊙ n + z ⊙ h.
 */
import { defineLayer } from './define';
import { linearT } from './ops';
import { gate, recurrentFlops, recurrentParams, recurrentWeights, sequenceShape, unroll } from './recurrent';
import { lastDim } from './shape';

export const gru = defineLayer({
  type: 'GRU',
  ui: { label: 'GRU', category: 'recurrent', doc: 'Gated recurrent unit over a sequence [time, features]: a lighter LSTM.' },
  params: recurrentParams,
  widthParam: 'units',
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }, { units, output }) => sequenceShape(x, units, output === 'sequence'),
  weights: ({ in: x }, { units, bias }) => recurrentWeights(lastDim(x), units, 3, bias),
  forward: ({ in: x }, w, { units, output }) => {
    const xw = linearT(x, w.weightIh, w.biasIh); // [B, T, 3H]
    const out = unroll(xw, units, output === 'sequence', (xt, h) => {
      const hw = linearT(h, w.weightHh, w.biasHh);
      const r = gate(xt, 0, units).add(gate(hw, 0, units)).sigmoid();
      const z = gate(xt, 1, units).add(gate(hw, 1, units)).sigmoid();
      const n = gate(xt, 2, units).add(r.mul(gate(hw, 2, units))).tanh();
      return n.sub(z.mul(n)).add(z.mul(h)); // (1 - z)·n + z·h
    });
    return { out };
  },
  flops: ({ in: x }, _o, { units }) => recurrentFlops(x, units, 3),
});
