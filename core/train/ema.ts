/**
 * @file Exponential moving average of a network's weights (the generator EMA that StyleGAN and
 * BigGAN sample from): persistent state `ema/<variable>` updated inside the training plan, right
 * after the optimizer, from the variable's new value p_t. Debiased like Adam's moments, so no
 * copy of the initial weights is needed and a resumed run (same step counter) continues exactly:
 *
 *   ema_t = ema_{t−1} + w_t (p_t − ema_{t−1}),   w_t = (1 − d) / (1 − d^t),   t = step + 1
 *
 * which equals the bias-corrected S_t / (1 − d^t) of S_t = d S_{t−1} + (1 − d) p_t, S_0 = 0
 * (w_1 = 1: the first step copies p_1). Samples, evaluation and exported weights read the EMA.
 */
import { constant } from '../tensor/tensor';
import type { Tracer } from '../tensor/trace';

const PREFIX = 'ema/';

/** The state variable holding the moving average of `variable`. */
export function emaName(variable: string): string {
  return `${PREFIX}${variable}`;
}

/**
 * Traces the EMA update of each named variable (parameter or state) into `tracer`'s graph. A
 * variable the graph already updates (an optimizer step, BatchNorm running statistics) is averaged
 * at its new value; one it leaves alone, at its current value.
 */
export function applyEma(tracer: Tracer, variables: readonly string[], decay: number): void {
  if (!(decay > 0 && decay < 1)) throw new RangeError(`EMA decay must lie strictly between 0 and 1, got ${decay}.`);
  tracer.run((t) => {
    const step = t.stepTensor().cast('f32').add(1);
    // w_t = (1 − d) / (1 − d^t)
    const w = constant(1 - decay).div(constant(decay).pow(step).neg().add(1));
    for (const name of variables) {
      const pending = t.graph.updates.find((u) => u.name === name);
      const current = pending ? t.wrap(pending.value) : t.get(name);
      const ema = t.state(emaName(name), current.shape);
      t.update(emaName(name), ema.add(current.sub(ema).mul(w)));
    }
  });
}

/**
 * The variables as a network sees them when its weights are read for use (samples, evaluation,
 * export): `ema/<name>` in place of `<name>` where a moving average exists, the rest unchanged.
 */
export function withEmaWeights<T>(variables: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = { ...variables };
  for (const [name, value] of Object.entries(variables)) if (name.startsWith(PREFIX) && name.slice(PREFIX.length) in variables) out[name.slice(PREFIX.length)] = value;
  return out;
}
