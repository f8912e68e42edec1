/**
 * @file What LSTM and GRU share: the [batch, time, features] check, PyTorch's weight layout
 * (gate blocks stacked on rows: weightIh [gates·H, I], weightHh [gates·H, H]) and the unrolled
 * time loop.
 */
import { stack, zeros, type Tensor } from '../tensor';
import { reject, type Outputs, type Rejection } from './define';
import { p } from './params';
import { formatShape, type Shape } from './shape';
import { init, type WeightSpec } from './types';

/** The parameters every recurrent layer shares: hidden size, what it outputs, biases. */
export const recurrentParams = {
  units: p.int({ min: 1, max: 1 << 14, default: 64, doc: 'Size of the hidden state' }),
  output: p.choice(['sequence', 'last'], 'last', 'The hidden state of every step, or only of the last one'),
  bias: p.bool(true),
};

export function sequenceShape(x: Shape, units: number, sequence: boolean): Outputs<'out', Shape> | Rejection {
  if (x.length === 3) return { out: sequence ? [x[0], x[1], units] : [x[0], units] };
  if (x.length === 2) {
    const f = x[1] as number;
    return reject('E_SHAPE_RANK', `needs sequences [batch, time, features] but receives ${formatShape(x)}: insert Reshape to [${f}, 1] (one feature per step)`, {
      port: 'in',
      fix: { kind: 'insertLayer', label: `Insert Reshape to [${f}, 1]`, layerType: 'Reshape', params: { shape: [f, 1] } },
    });
  }
  return reject('E_SHAPE_RANK', `needs sequences [batch, time, features] but receives ${formatShape(x)}`, { port: 'in' });
}

/** PyTorch initialises every recurrent weight and bias from U(-1/√H, 1/√H). */
export function recurrentWeights(features: number, units: number, gates: number, bias: boolean): Record<string, WeightSpec> {
  const u = init.torchDefault(units);
  const w: Record<string, WeightSpec> = {
    weightIh: { shape: [gates * units, features], init: u },
    weightHh: { shape: [gates * units, units], init: u },
  };
  if (bias) {
    w.biasIh = { shape: [gates * units], init: u };
    w.biasHh = { shape: [gates * units], init: u };
  }
  return w;
}

/** Columns [k·H, (k+1)·H) of a [B, gates·H] tensor: gate k. */
export const gate = (g: Tensor, k: number, units: number): Tensor => g.slice([0, k * units], [g.shape[0], (k + 1) * units]);

/** Runs `step` over time from a zero state; returns the whole sequence [B, T, H] or the last state [B, H]. */
export function unroll(inputs: Tensor, units: number, sequence: boolean, step: (xt: Tensor, h: Tensor, t: number) => Tensor): Tensor {
  const [b, time, width] = inputs.shape;
  let h = zeros([b, units]);
  const hs: Tensor[] = [];
  for (let t = 0; t < time; t++) {
    h = step(inputs.slice([0, t, 0], [b, t + 1, width]).reshape([b, width]), h, t);
    if (sequence) hs.push(h);
  }
  return sequence ? stack(hs, 1) : h;
}

export const recurrentFlops = (x: Shape, units: number, gates: number): number => {
  const time = x[1] as number;
  return time * (2 * gates * units * ((x[2] as number) + units) + 6 * gates * units);
};
