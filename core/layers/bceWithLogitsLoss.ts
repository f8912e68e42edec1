/**
 * @file BCEWithLogitsLoss, the stable form: mean of max(x, 0) - x·y + log(1 + e^-|x|)
 * for logits x and targets y in [0, 1].
 */
import { defineLayer, present } from './define';
import { lossDtypes, lossPorts, lossShape, targetFeed, targetParam } from './loss';
import { numel } from './shape';

export const bceWithLogitsLoss = defineLayer({
  type: 'BCEWithLogitsLoss',
  ui: { label: 'Binary cross-entropy loss', category: 'loss', doc: 'For yes/no outputs: takes raw scores (logits, no Sigmoid before it) and targets 0 or 1.' },
  role: 'loss',
  params: { target: targetParam('label') },
  ports: lossPorts,
  fields: targetFeed('f32', (s) => s),
  dtypes: lossDtypes('f32'),
  shape: (ins) => lossShape(ins, ins.in),
  forward: ({ in: x, target }) => {
    const y = present(target, 'target');
    return { out: x.maximum(0).sub(x.mul(y)).add(x.abs().neg().exp().add(1).log()).mean() };
  },
  flops: ({ in: x }) => 7 * numel(x),
});
