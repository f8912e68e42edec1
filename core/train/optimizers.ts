/**
 * @file Optimizers as update rules written in Tensor ops: they are traced into the same graph as
 * the forward and backward passes, so one plan runs forward, backward and update. Moments and
 * velocities are persistent state variables (`opt/<param>/<slot>`), updated in place; the learning
 * rate is a scalar f32 input (schedules need no recompile) and the step counter the i32 `step`
 * input (t = step + 1 in the bias corrections).
 */
import { IrError } from '../ir/error';
import { Tensor, constant } from '../tensor/tensor';
import type { Tracer } from '../tensor/trace';

export interface SgdConfig { kind: 'sgd'; momentum?: number; nesterov?: boolean }
export interface AdamConfig { kind: 'adam'; beta1?: number; beta2?: number; eps?: number }
export interface AdamWConfig { kind: 'adamw'; beta1?: number; beta2?: number; eps?: number; weightDecay?: number }
export interface RmspropConfig { kind: 'rmsprop'; alpha?: number; eps?: number; momentum?: number }
export type OptimizerConfig = SgdConfig | AdamConfig | AdamWConfig | RmspropConfig;

/** Added to the gradient before the update: l1 * sign(p) + l2 * p; then clipped by global norm. */
export interface GradientTransform { l1?: number; l2?: number; clipNorm?: number }

/** Name of the scalar f32 learning-rate input. */
export const LR_INPUT = 'lr';

export interface ParamGrad { name: string; param: Tensor; grad: Tensor }

/** Scalar hyper-parameters of a step, as traced tensors. */
interface StepScalars { lr: Tensor; t: Tensor }

/** One update: new param value + new values of its optimizer state (by slot name). */
type Update = { param: Tensor; state: Record<string, Tensor> };

type Rule<C extends OptimizerConfig> = (c: C, p: Tensor, g: Tensor, s: (slot: string) => Tensor, k: StepScalars) => Update;

/** bias correction 1 - beta^t */
function correction(beta: number, t: Tensor): Tensor {
  return constant(beta).pow(t).neg().add(1);
}

function adamCore(b1: number, b2: number, eps: number, p: Tensor, g: Tensor, s: (slot: string) => Tensor, k: StepScalars): Update {
  // m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
  const m = s('m').mul(b1).add(g.mul(1 - b1));
  const v = s('v').mul(b2).add(g.square().mul(1 - b2));
  // p -= lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - b1^t),  v_hat = v / (1 - b2^t)
  const mHat = m.div(correction(b1, k.t));
  const vHat = v.div(correction(b2, k.t));
  return { param: p.sub(mHat.div(vHat.sqrt().add(eps)).mul(k.lr)), state: { m, v } };
}

const rules: { [K in OptimizerConfig['kind']]: Rule<Extract<OptimizerConfig, { kind: K }>> } = {
  sgd: (c, p, g, s, k): Update => {
    const mu = c.momentum ?? 0;
    if (mu === 0) return { param: p.sub(g.mul(k.lr)), state: {} };
    // v = mu v + g;  nesterov: p -= lr (g + mu v)  else p -= lr v
    const v = s('velocity').mul(mu).add(g);
    const dir = c.nesterov ? g.add(v.mul(mu)) : v;
    return { param: p.sub(dir.mul(k.lr)), state: { velocity: v } };
  },
  adam: (c, p, g, s, k) => adamCore(c.beta1 ?? 0.9, c.beta2 ?? 0.999, c.eps ?? 1e-8, p, g, s, k),
  // decoupled decay: p <- p (1 - lr wd), then the Adam step
  adamw: (c, p, g, s, k) => {
    const decayed = p.sub(p.mul(k.lr).mul(c.weightDecay ?? 0.01));
    return adamCore(c.beta1 ?? 0.9, c.beta2 ?? 0.999, c.eps ?? 1e-8, decayed, g, s, k);
  },
  rmsprop: (c, p, g, s, k): Update => {
    const alpha = c.alpha ?? 0.99;
    const eps = c.eps ?? 1e-8;
    const mu = c.momentum ?? 0;
    // v = alpha v + (1 - alpha) g^2;  d = g / (sqrt(v) + eps)
    const v = s('square').mul(alpha).add(g.square().mul(1 - alpha));
    const d = g.div(v.sqrt().add(eps));
    if (mu === 0) return { param: p.sub(d.mul(k.lr)), state: { square: v } };
    // buf = mu buf + d;  p -= lr buf
    const buf = s('momentum').mul(mu).add(d);
    return { param: p.sub(buf.mul(k.lr)), state: { square: v, momentum: buf } };
  },
};

/** Slots each optimizer keeps per parameter (declared up front so the plan knows its buffers). */
export function optimizerSlots(c: OptimizerConfig): string[] {
  switch (c.kind) {
    case 'sgd': return (c.momentum ?? 0) === 0 ? [] : ['velocity'];
    case 'adam': case 'adamw': return ['m', 'v'];
    case 'rmsprop': return (c.momentum ?? 0) === 0 ? ['square'] : ['square', 'momentum'];
    default: return c satisfies never;
  }
}

export function stateName(param: string, slot: string): string {
  return `opt/${param}/${slot}`;
}

/** l1 sign(p) + l2 p added to each gradient, then all scaled by min(1, clipNorm / ||g||_global). */
export function transformGradients(pgs: readonly ParamGrad[], tf: GradientTransform = {}): ParamGrad[] {
  let out = pgs.map((pg) => {
    let g = pg.grad;
    if (tf.l2) g = g.add(pg.param.mul(tf.l2));
    if (tf.l1) g = g.add(pg.param.sign().mul(tf.l1));
    return { ...pg, grad: g };
  });
  if (tf.clipNorm !== undefined && out.length > 0) {
    if (!(tf.clipNorm > 0)) throw new IrError(`clipNorm must be positive, got ${tf.clipNorm}`);
    // ||g|| = sqrt(sum_i sum(g_i^2));  scale = min(1, c / (||g|| + 1e-6))
    const sq = out.map((pg) => pg.grad.square().sum()).reduce((a, b) => a.add(b));
    const scale = constant(tf.clipNorm).div(sq.sqrt().add(1e-6)).minimum(1);
    out = out.map((pg) => ({ ...pg, grad: pg.grad.mul(scale) }));
  }
  return out;
}

/**
 * Traces the update of every parameter into `tracer`'s graph: declares the optimizer state and
 * the `lr` input, and records in-place updates of the parameters and the state.
 */
export function applyOptimizer(
  tracer: Tracer, pgs: readonly ParamGrad[], config: OptimizerConfig, tf: GradientTransform = {}, lrInput = LR_INPUT,
): void {
  tracer.run((t) => {
    // one optimizer per network (GANs) may each name their own learning-rate input
    const lr = t.builder.findInput(lrInput) ? t.get(lrInput) : t.input(lrInput, []);
    const k: StepScalars = { lr, t: t.stepTensor().cast('f32').add(1) };
    const rule = rules[config.kind] as Rule<OptimizerConfig>;
    for (const pg of transformGradients(pgs, tf)) {
      const slots = optimizerSlots(config);
      const state = new Map(slots.map((slot) => [slot, t.state(stateName(pg.name, slot), pg.param.shape)]));
      const s = (slot: string): Tensor => {
        const v = state.get(slot);
        if (v === undefined) throw new IrError(`optimizer ${config.kind}: undeclared slot '${slot}'`);
        return v;
      };
      const u = rule(config, pg.param, pg.grad, s, k);
      t.update(pg.name, u.param);
      for (const [slot, value] of Object.entries(u.state)) t.update(stateName(pg.name, slot), value);
    }
  });
}
