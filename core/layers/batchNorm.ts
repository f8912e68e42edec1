/**
 * @file BatchNorm over the channel axis 1 of [B, C], [B, C, L] or [B, C, H, W] (PyTorch semantics):
 * training normalises with the batch's statistics (biased variance) and moves the running
 * statistics by `momentum` (unbiased variance); evaluation uses the running statistics.
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
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const perChannel = x.shape.map((d, i) => (i === 1 ? c : 1));
    let mean = ctx.state('runningMean').reshape(perChannel);
    let variance = ctx.state('runningVar').reshape(perChannel);
    if (ctx.training) {
      const n = x.size / c;
      mean = x.mean(axes, true);
      variance = x.sub(mean).square().mean(axes, true);
      const blend = (name: string, batch: Tensor, scale: number): void =>
        ctx.setState(name, ctx.state(name).mul(1 - momentum).add(batch.reshape([c]).mul(momentum * scale)));
      blend('runningMean', mean, 1);
      blend('runningVar', variance, n > 1 ? n / (n - 1) : 1);
    }
    let y = x.sub(mean).mul(variance.add(epsilon).rsqrt());
    if (w.gamma) y = y.mul(w.gamma.reshape(perChannel));
    if (w.beta) y = y.add(w.beta.reshape(perChannel));
    return { out: y };
  },
  flops: ({ in: x }) => 4 * numel(x),
});
