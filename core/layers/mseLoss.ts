/** @file MSELoss: mean((prediction - target)²). */
import { defineLayer, present } from './define';
import { lossDtypes, lossPorts, lossShape, targetFeed, targetParam } from './loss';
import { numel } from './shape';

export const mseLoss = defineLayer({
  type: 'MSELoss',
  ui: { label: 'MSE loss', category: 'loss', doc: 'Mean squared error, for predicting numbers (regression).' },
  role: 'loss',
  params: { target: targetParam('target') },
  ports: lossPorts,
  fields: targetFeed('f32', (s) => s),
  dtypes: lossDtypes('f32'),
  shape: (ins) => lossShape(ins, ins.in),
  forward: ({ in: x, target }) => ({ out: x.sub(present(target, 'target')).square().mean() }),
  flops: ({ in: x }) => 3 * numel(x),
});
