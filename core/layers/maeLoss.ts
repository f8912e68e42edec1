/** @file MAELoss: mean(|prediction - target|) (PyTorch's L1Loss). */
import { defineLayer, present } from './define';
import { lossDtypes, lossPorts, lossShape, targetFeed, targetParam } from './loss';
import { numel } from './shape';

export const maeLoss = defineLayer({
  type: 'MAELoss',
  ui: { label: 'MAE loss', category: 'loss', doc: 'Mean absolute error: regression that is less swayed by outliers than MSE.' },
  role: 'loss',
  params: { target: targetParam('target') },
  ports: lossPorts,
  fields: targetFeed('f32', (s) => s),
  dtypes: lossDtypes('f32'),
  shape: (ins) => lossShape(ins, ins.in),
  forward: ({ in: x, target }) => ({ out: x.sub(present(target, 'target')).abs().mean() }),
  flops: ({ in: x }) => 3 * numel(x),
});
