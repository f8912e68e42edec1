/**
 * @file BatchNorm over the channel axis 1 of [B, C], [B, C, L] or [B, C, H, W] (PyTorch semantics):
 * training normalises with the batch's statistics (biased variance) and moves the running
 * statistics by `momentum` (unbiased variance); evaluation uses the running statistics. A batch
 * made of groups from different sources (`ForwardContext.batchGroups`: a GAN discriminator's real
 * and generated rows) is normalised group by group, as PyTorch's separate D(real), D(fake) calls are.
 */
import type { Tensor } from '../tensor';
import { defineLayer, init, p, reject } from './define';
import { formatShape, numel } from './shape';

export const batchNorm = defineLayer({
  type: 'BatchNorm',
  ui: { label: 'BatchNorm', category: 'normalization', doc: 'Normalises each channel with batch statistics while training and running averages afterwards.' },
  params: {
    momentum: p.float({ min: 0, max: 1, default: 0.1, doc: 'running = (1 - momentum)·running + momentum·batch' }),
    epsilon: p.float({ min: 0, max: 1, exclusiveMin: true, default: 1e-5 }),
    affine: p.bool(true, 'Learn a scale γ and a shift β per channel'),
  },
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }) => (x.length >= 2 ? { out: x } : reject('E_SHAPE_RANK', `needs [batch, channels, ...] but receives ${formatShape(x)}`, { port: 'in' })),
  weights: ({ in: x }, { affine }) => {
    const c = x[1] as number;
    return affine ? { gamma: { shape: [c], init: init.ones }, beta: { shape: [c], init: init.zeros } } : {};
  },
  state: ({ in: x }) => ({ runningMean: { shape: [x[1] as number], init: init.zeros }, runningVar: { shape: [x[1] as number], init: init.ones } }),
  forward: ({ in: x }, w, { momentum, epsilon }, ctx) => {
    const c = x.shape[1];
    const perChannel = x.shape.map((d, i) => (i === 1 ? c : 1));
    let y: Tensor;
    if (ctx.training) {
      // rows [g, B/g, C, ...]: each group is normalised by its own statistics (ctx.batchGroups)
      const g = ctx.batchGroups;
      const grouped = g === 1 ? x : x.reshape([g, x.shape[0] / g, ...x.shape.slice(1)]);
      const axes = grouped.shape.map((_, i) => i).filter((i) => (g === 1 ? i !== 1 : i !== 0 && i !== 2));
      const mean = grouped.mean(axes, true);
      const centred = grouped.sub(mean);
      const variance = centred.square().mean(axes, true);
      y = centred.mul(variance.add(epsilon).rsqrt()).reshape(x.shape);
      // the running statistics move once per group, in row order, as separate batches would move them
      const n = grouped.size / (g * c);
      const blend = (name: string, batch: Tensor, scale: number): void => {
        const rows = batch.reshape([g, c]);
        const group = (i: number): Tensor => (g === 1 ? batch.reshape([c]) : rows.slice([i, 0], [i + 1, c]).reshape([c]));
        let running = ctx.state(name);
        for (let i = 0; i < g; i++) running = running.mul(1 - momentum).add(group(i).mul(momentum * scale));
        ctx.setState(name, running);
      };
      blend('runningMean', mean, 1);
      blend('runningVar', variance, n > 1 ? n / (n - 1) : 1);
    } else {
      const mean = ctx.state('runningMean').reshape(perChannel);
      const variance = ctx.state('runningVar').reshape(perChannel);
      y = x.sub(mean).mul(variance.add(epsilon).rsqrt());
    }
    if (w.gamma) y = y.mul(w.gamma.reshape(perChannel));
    if (w.beta) y = y.add(w.beta.reshape(perChannel));
    return { out: y };
  },
  flops: ({ in: x }) => 4 * numel(x),
});
