/**
 * @file TransformerEncoderBlock: self-attention and a feed-forward network, each with a residual
 * connection, LayerNorm and dropout; PyTorch's TransformerEncoderLayer (norm_first = pre-norm):
 *   post: x = LN1(x + drop(SA(x)));  x = LN2(x + drop(FF(x)))
 *   pre:  x = x + drop(SA(LN1(x)));  x = x + drop(FF(LN2(x)))
 *   FF(x) = drop(act(x·W1 + b1))·W2 + b2
 */
import { defineLayer, init, p } from './define';
import { attentionFlops, attentionWeights, checkAttentionInput } from './multiHeadAttention';
import { dropout, gelu, layerNorm, linear, selfAttention } from './ops';
import { numel } from './shape';

export const transformerEncoderBlock = defineLayer({
  type: 'TransformerEncoderBlock',
  ui: { label: 'Transformer block', category: 'attention', doc: 'One transformer encoder layer: attention and a feed-forward network with residuals and LayerNorm.' },
  params: {
    heads: p.int({ min: 1, max: 256, default: 4, doc: 'Attention heads; must divide the feature size' }),
    ffDim: p.int({ min: 1, max: 1 << 16, default: 256, doc: 'Width of the feed-forward network' }),
    dropout: p.float({ min: 0, max: 0.99, default: 0.1 }),
    norm: p.choice(['pre', 'post'], 'pre', 'LayerNorm before each sub-block (pre, stabler) or after the residual (post, the original)'),
    activation: p.choice(['relu', 'gelu'], 'gelu'),
    causal: p.bool(false, 'Each position sees only itself and earlier ones (language models)'),
    epsilon: p.float({ min: 0, max: 1, exclusiveMin: true, default: 1e-5 }),
  },
  ports: { in: ['in'], out: ['out'] },
  shape: ({ in: x }, { heads }) => checkAttentionInput(x, heads) ?? { out: x },
  weights: ({ in: x }, { ffDim }) => {
    const e = x[2] as number;
    return {
      ...attentionWeights(e, true),
      ff1Kernel: { shape: [e, ffDim], init: init.glorotUniform(e, ffDim) },
      ff1Bias: { shape: [ffDim], init: init.zeros },
      ff2Kernel: { shape: [ffDim, e], init: init.glorotUniform(ffDim, e) },
      ff2Bias: { shape: [e], init: init.zeros },
      norm1Gamma: { shape: [e], init: init.ones },
      norm1Beta: { shape: [e], init: init.zeros },
      norm2Gamma: { shape: [e], init: init.ones },
      norm2Beta: { shape: [e], init: init.zeros },
    };
  },
  forward: ({ in: x }, w, { heads, dropout: rate, norm, activation, causal, epsilon }, ctx) => {
    const ln1 = (t: typeof x): typeof x => layerNorm(t, epsilon, w.norm1Gamma, w.norm1Beta);
    const ln2 = (t: typeof x): typeof x => layerNorm(t, epsilon, w.norm2Gamma, w.norm2Beta);
    const sa = (t: typeof x): typeof x => dropout(selfAttention(t, { wq: w.wq, wk: w.wk, wv: w.wv, wo: w.wo, bq: w.bq, bk: w.bk, bv: w.bv, bo: w.bo }, heads, causal, rate, ctx), rate, ctx);
    const ff = (t: typeof x): typeof x => {
      const hidden = linear(t, w.ff1Kernel, w.ff1Bias);
      const act = activation === 'gelu' ? gelu(hidden) : hidden.relu();
      return dropout(linear(dropout(act, rate, ctx), w.ff2Kernel, w.ff2Bias), rate, ctx);
    };
    if (norm === 'pre') {
      const h = x.add(sa(ln1(x)));
      return { out: h.add(ff(ln2(h))) };
    }
    const h = ln1(x.add(sa(x)));
    return { out: ln2(h.add(ff(h))) };
  },
  flops: ({ in: x }, _o, { ffDim }) => attentionFlops(x) + 4 * numel(x) * ffDim + 20 * numel(x),
});
