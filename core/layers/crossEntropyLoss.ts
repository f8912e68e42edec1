/**
 * @file CrossEntropyLoss from logits [batch, ..., classes] and integer labels [batch, ...]
 * (classes on the last axis), with PyTorch's label smoothing ε:
 *   loss = mean over examples of -Σ_c q_c · log_softmax(x)_c,  q = (1 - ε)·onehot(label) + ε/C.
 */
import { oneHot } from '../tensor';
import { defineLayer, p, present, reject } from './define';
import { lossDtypes, lossPorts, lossShape, targetFeed, targetParam } from './loss';
import { formatShape, numel } from './shape';

export const crossEntropyLoss = defineLayer({
  type: 'CrossEntropyLoss',
  ui: { label: 'Cross-entropy loss', category: 'loss', doc: 'For classification: takes raw scores (logits, no Softmax before it) and integer class labels.' },
  role: 'loss',
  params: {
    target: targetParam('label'),
    labelSmoothing: p.float({ min: 0, max: 1, default: 0, doc: 'Share of the target spread evenly over all classes' }),
  },
  ports: lossPorts,
  fields: targetFeed('i32', (s) => s.slice(0, -1)),
  dtypes: lossDtypes('i32'),
  shape: (ins) =>
    ins.in.length >= 2
      ? lossShape(ins, ins.in.slice(0, -1))
      : reject('E_SHAPE_RANK', `needs class scores [batch, classes] but receives ${formatShape(ins.in)}: end the network with a Dense layer with one unit per class`, { port: 'in' }),
  forward: ({ in: x, target }, _w, { labelSmoothing }) => {
    const classes = x.shape[x.rank - 1];
    const q = oneHot(present(target, 'target'), classes).mul(1 - labelSmoothing).add(labelSmoothing / classes);
    return { out: q.mul(x.logSoftmax(-1)).sum(-1).mean().neg() };
  },
  flops: ({ in: x }) => 6 * numel(x),
});
