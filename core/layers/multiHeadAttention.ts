/**
 * @file MultiHeadAttention (self-attention on one input [batch, time, E]), PyTorch semantics:
 * q/k/v projections, scaled dot product per head, optional causal mask, output projection.
 * Weights in our Dense layout [in, out]: PyTorch's in_proj_weight is [wqᵀ; wkᵀ; wvᵀ].
 */
import { defineLayer, init, p, reject, type Rejection } from './define';
import { selfAttention } from './ops';
import { formatShape, type Shape } from './shape';
import type { WeightSpec } from './types';

/** The largest head count up to `heads` that divides `e`. */
const divisorBelow = (e: number, heads: number): number => {
  for (let h = Math.min(heads, e); h > 1; h--) if (e % h === 0) return h;
  return 1;
};

export function checkAttentionInput(x: Shape, heads: number): Rejection | null {
  if (x.length !== 3) return reject('E_SHAPE_RANK', `needs sequences [batch, time, features] but receives ${formatShape(x)}`, { port: 'in' });
  const e = x[2] as number;
  if (e % heads === 0) return null;
  const h = divisorBelow(e, heads);
  return reject('E_SHAPE_MISMATCH', `splits ${e} features into ${heads} heads, which does not divide evenly`, {
    port: 'in',
    fix: { kind: 'setParam', label: `Set heads to ${h}`, param: 'heads', value: h },
  });
}

type Projection = 'wq' | 'wk' | 'wv' | 'wo';
type ProjectionBias = 'bq' | 'bk' | 'bv' | 'bo';

export function attentionWeights(e: number, bias: boolean): Record<Projection, WeightSpec> & Partial<Record<ProjectionBias, WeightSpec>> {
  const kernel: WeightSpec = { shape: [e, e], init: init.glorotUniform(e, e) };
  const b: WeightSpec = { shape: [e], init: init.zeros };
  return { wq: kernel, wk: kernel, wv: kernel, wo: kernel, ...(bias ? { bq: b, bk: b, bv: b, bo: b } : {}) };
}

/** Per example: 4 projections (2·T·E² each) + scores and weighted sum (2·T²·E each). */
export const attentionFlops = (x: Shape): number => {
  const t = x[1] as number;
  const e = x[2] as number;
  return 8 * t * e * e + 4 * t * t * e;
};

export const multiHeadAttention = defineLayer({
  type: 'MultiHeadAttention',
  ui: { label: 'MultiHeadAttention', category: 'attention', doc: 'Each position of a sequence gathers information from the others, in several heads at once.' },
  params: {
    heads: p.int({ min: 1, max: 256, default: 4, doc: 'Number of heads; must divide the feature size' }),
    causal: p.bool(false, 'Each position sees only itself and earlier ones (language models)'),
    bias: p.bool(true),
    dropout: p.float({ min: 0, max: 0.99, default: 0, doc: 'Dropout on the attention weights while training' }),
  },
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }, { heads }) => checkAttentionInput(x, heads) ?? { out: x },
  weights: ({ in: x }, { bias }) => attentionWeights(x[2] as number, bias),
  forward: ({ in: x }, w, { heads, causal, dropout }, ctx) => ({
    out: selfAttention(x, { wq: w.wq, wk: w.wk, wv: w.wv, wo: w.wo, bq: w.bq, bk: w.bk, bv: w.bv, bo: w.bo }, heads, causal, dropout, ctx),
  }),
  flops: ({ in: x }) => attentionFlops(x),
});
