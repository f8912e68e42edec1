/**
 * @file One training step as one graph: forward + loss, backward (reverse mode), optimizer update
 * of every trainable parameter. Compiled, it is one plan whose inputs are the batch, `lr` and
 * `step`, whose output is `loss`, and whose variables are updated in place.
 */
import type { Graph } from '../ir/graph';
import { vjp } from '../autograd/grad';
import type { Tensor } from '../tensor/tensor';
import { Tracer } from '../tensor/trace';
import { applyOptimizer, type GradientTransform, type OptimizerConfig } from './optimizers';

export const LOSS_OUTPUT = 'loss';

export interface TrainStepSpec {
  /** Declares inputs and parameters, traces the model and returns the scalar loss. May add outputs. */
  forward: (t: Tracer) => Tensor;
  optimizer: OptimizerConfig;
  gradients?: GradientTransform;
  /** Parameters to train (default: every declared parameter). */
  trainable?: (name: string) => boolean;
}

export function traceTrainStep(spec: TrainStepSpec): Graph {
  const tracer = new Tracer();
  tracer.run((t) => {
    const loss = spec.forward(t);
    t.output(LOSS_OUTPUT, loss);
    const params = t.graph.inputs.filter((i) => i.kind === 'param' && (spec.trainable?.(i.name) ?? true));
    const tensors = params.map((p) => t.wrap(p.value));
    const grads = vjp(loss, tensors);
    applyOptimizer(t, params.map((p, i) => ({ name: p.name, param: tensors[i], grad: grads[i] })), spec.optimizer, spec.gradients);
  });
  return tracer.graph;
}
