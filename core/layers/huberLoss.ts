/** @file HuberLoss: mean of ½d² where |d| < δ, else δ·(|d| - ½δ); d = prediction - target. */
import { defineLayer, p, present } from './define';
import { lossDtypes, lossPorts, lossShape, targetFeed, targetParam } from './loss';
import { numel } from './shape';

export const huberLoss = defineLayer({
  type: 'HuberLoss',
  ui: { label: 'Huber loss', category: 'loss', doc: 'Squared error for small errors, absolute error for large ones: robust regression.' },
  role: 'loss',
  params: {
    target: targetParam('target'),
    delta: p.float({ min: 0, max: 1e6, exclusiveMin: true, default: 1, doc: 'Where the loss turns from squared to linear' }),
  },
  ports: lossPorts,
  fields: targetFeed('f32', (s) => s),
  dtypes: lossDtypes('f32'),
  shape: (ins) => lossShape(ins, ins.in),
  forward: ({ in: x, target }, _w, { delta }) => {
    const d = x.sub(present(target, 'target')).abs();
    return { out: d.lt(delta).where(d.square().mul(0.5), d.sub(0.5 * delta).mul(delta)).mean() };
  },
  flops: ({ in: x }) => 6 * numel(x),
});
