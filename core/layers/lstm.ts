/**
 * @file LSTM, unrolled, PyTorch gate order and conventions (i, f, g, o):
 *   i = σ(x·Wiiᵀ + bii + h·Whiᵀ + bhi), f = σ(…), g = tanh(…), o = σ(…)
 *   c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c').
 */
import { defineLayer } from './define';
import { linearT } from './ops';
import { gate, recurrentFlops, recurrentParams, recurrentWeights, sequenceShape, unroll } from './recurrent';
import { lastDim } from './shape';
import { zeros } from '../tensor';

export const lstm = defineLayer({
  type: 'LSTM',
  ui: { label: 'LSTM', category: 'recurrent', doc: 'Long short-term memory over a sequence [time, features]: remembers what matters across many steps.' },
  params: recurrentParams,
  widthParam: 'units',
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }, { units, output }) => sequenceShape(x, units, output === 'sequence'),
  weights: ({ in: x }, { units, bias }) => recurrentWeights(lastDim(x), units, 4, bias),
  forward: ({ in: x }, w, { units, output }) => {
    const xw = linearT(x, w.weightIh, w.biasIh); // all time steps at once: [B, T, 4H]
    let c = zeros([x.shape[0], units]);
    const out = unroll(xw, units, output === 'sequence', (xt, h) => {
      const g = xt.add(linearT(h, w.weightHh, w.biasHh));
      c = gate(g, 1, units).sigmoid().mul(c).add(gate(g, 0, units).sigmoid().mul(gate(g, 2, units).tanh()));
      return gate(g, 3, units).sigmoid().mul(c.tanh());
    });
    return { out };
  },
  flops: ({ in: x }, _o, { units }) => recurrentFlops(x, units, 4),
});
