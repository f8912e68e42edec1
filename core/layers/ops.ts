/**
 * @file Compositions shared by several layers' forwards, written with the Tensor API only:
 * affine maps in our layout ([in, out]) and PyTorch's ([out, in]), layer normalisation, GELU,
 * inverted dropout, scaled dot-product multi-head attention.
 */
import { constant, type Tensor } from '../tensor';
import type { ForwardContext } from './define';

/** x·W + b over the last axis; W is [in, out]. Leading axes are folded into one matmul. */
export function linear(x: Tensor, kernel: Tensor, bias?: Tensor): Tensor {
  const inner = x.shape[x.rank - 1];
  const y = x.rank === 2 ? x.matmul(kernel) : x.reshape([-1, inner]).matmul(kernel).reshape([...x.shape.slice(0, -1), kernel.shape[1]]);
  return bias ? y.add(bias) : y;
}

/** x·Wᵀ + b with W in PyTorch's [out, in] layout (recurrent layers keep PyTorch's gate blocks). */
export function linearT(x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  const inner = x.shape[x.rank - 1];
  const flat = x.rank === 2 ? x : x.reshape([-1, inner]);
  let y = flat.matmul(weight, { transB: true });
  if (x.rank !== 2) y = y.reshape([...x.shape.slice(0, -1), weight.shape[0]]);
  return bias ? y.add(bias) : y;
}

/** (x - mean) / sqrt(var + eps) over the last axis (biased variance, like PyTorch), then γ·x + β. */
export function layerNorm(x: Tensor, eps: number, gamma?: Tensor, beta?: Tensor): Tensor {
  const centered = x.sub(x.mean(-1, true));
  const y = centered.mul(centered.square().mean(-1, true).add(eps).rsqrt());
  const scaled = gamma ? y.mul(gamma) : y;
  return beta ? scaled.add(beta) : scaled;
}

/** Exact GELU: x · Φ(x) = x/2 · (1 + erf(x/√2)). */
export const gelu = (x: Tensor): Tensor => x.mul(x.mul(Math.SQRT1_2).erf().add(1)).mul(0.5);

/** Inverted dropout: keep with probability 1-rate and scale by 1/(1-rate); identity outside training. */
export function dropout(x: Tensor, rate: number, ctx: ForwardContext): Tensor {
  if (!ctx.training || rate <= 0) return x;
  return ctx.random('uniform', x.shape).ge(rate).where(x.mul(1 / (1 - rate)), 0);
}

export interface AttentionWeights {
  readonly wq: Tensor;
  readonly wk: Tensor;
  readonly wv: Tensor;
  readonly wo: Tensor;
  readonly bq?: Tensor;
  readonly bk?: Tensor;
  readonly bv?: Tensor;
  readonly bo?: Tensor;
}

/** Masked positions get this added before the softmax (exp underflows to exactly 0; JSON-safe unlike -inf). */
const MASKED = -1e9;

/**
 * Self-attention, PyTorch semantics: q, k, v = x·Wq, x·Wk, x·Wv split into heads;
 * softmax(q·kᵀ/√d + mask)·v; heads joined; ·Wo. x is [B, T, E].
 */
export function selfAttention(x: Tensor, w: AttentionWeights, heads: number, causal: boolean, rate: number, ctx: ForwardContext): Tensor {
  const [b, t, e] = x.shape;
  const d = e / heads;
  const split = (y: Tensor): Tensor => y.reshape([b, t, heads, d]).transpose([0, 2, 1, 3]);
  const q = split(linear(x, w.wq, w.bq));
  const k = split(linear(x, w.wk, w.bk));
  const v = split(linear(x, w.wv, w.bv));
  let scores = q.matmul(k, { transB: true }).mul(1 / Math.sqrt(d));
  if (causal) {
    const mask = Array.from({ length: t * t }, (_, i) => (i % t > Math.floor(i / t) ? MASKED : 0));
    scores = scores.add(constant(mask, [t, t]));
  }
  const attn = dropout(scores.softmax(-1), rate, ctx);
  const joined = attn.matmul(v).transpose([0, 2, 1, 3]).reshape([b, t, e]);
  return linear(joined, w.wo, w.bo);
}
