/**
 * @file A supervised model compiled for a backend: one training plan (forward, loss, backward and
 * optimizer update in one plan, variables updated in place) and evaluation plans (forward and loss,
 * no dropout, running statistics) that share the training plan's variables.
 */
import { vjp } from '../autograd/grad';
import type { Backend, Executable } from '../backends/backend';
import { compile } from '../compile';
import type { FieldSpec } from '../data/dataset';
import type { Diagnostic } from '../model/diagnostics';
import { traceNetwork, type TracedNetwork } from '../model/trace';
import type { Network, OptimizerConfig as ProjectOptimizer, TrainingRecipe } from '../project/schema';
import { STEP_INPUT, Tracer } from '../tensor';
import type { Feed } from './batches';
import { applyOptimizer, LR_INPUT, type OptimizerConfig } from './optimizers';

/** Output of the training plan: the global L2 norm of the gradients of the step. */
export const GRADIENT_NORM_OUTPUT = 'gradientNorm';

/** What the loss tells about the task: how predictions become metrics. */
export type TaskKind = { kind: 'classification'; classes: number } | { kind: 'binary' } | { kind: 'regression' };

export interface CompiledModel {
  readonly train: Executable;
  readonly feeds: readonly Feed[];
  /** Output name of the prediction the metrics read (the first loss's input). */
  readonly prediction: string;
  /** Dataset field the metrics compare the prediction with (the first loss's target). */
  readonly targetField: string;
  readonly task: TaskKind;
  readonly parameterCount: number;
  readonly paramNames: readonly string[];
  /** The evaluation executable for `batchSize` rows (compiled once per size, variables shared). */
  evaluator(batchSize: number): Executable | { diagnostics: Diagnostic[] };
}

export type CompileResult = { ok: true; model: CompiledModel } | { ok: false; diagnostics: Diagnostic[] };

export function optimizerFromProject(o: ProjectOptimizer): OptimizerConfig {
  switch (o.type) {
    case 'sgd':
      return { kind: 'sgd', momentum: o.momentum ?? 0, nesterov: o.nesterov ?? false };
    case 'adam':
      return { kind: 'adam', beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, eps: o.epsilon ?? 1e-8 };
    case 'adamw':
      return { kind: 'adamw', beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, eps: o.epsilon ?? 1e-8, weightDecay: o.weightDecay ?? 0.01 };
    case 'rmsprop':
      return { kind: 'rmsprop', alpha: o.rho ?? 0.99, eps: o.epsilon ?? 1e-8, momentum: o.momentum ?? 0 };
    default:
      return o.type satisfies never;
  }
}

function taskOf(network: Network, lossNodeId: string, predictionShape: readonly number[]): TaskKind {
  const type = network.nodes.find((n) => n.id === lossNodeId)?.type;
  if (type === 'CrossEntropyLoss') return { kind: 'classification', classes: predictionShape[predictionShape.length - 1] };
  if (type === 'BCEWithLogitsLoss') return { kind: 'binary' };
  return { kind: 'regression' };
}

function feedsOf(traced: TracedNetwork): Feed[] {
  return traced.fields.map((f) => ({ field: f.name, input: f.name, spec: { shape: f.shape.slice(1), dtype: f.dtype === 'i32' ? 'i32' : 'f32' } satisfies FieldSpec }));
}

/**
 * Trace, differentiate, add the optimizer, compile and prepare. Problems come back as diagnostics.
 * `batchGroups`: the training batch is that many groups of rows with their own batch statistics
 * (TraceOptions.batchGroups; the adversarial recipe's discriminator batch is real rows, then generated ones).
 */
export function compileSupervised(network: Network, recipe: TrainingRecipe, backend: Backend, batchSize: number, seed: number, batchGroups = 1): CompileResult {
  const traced = traceNetwork(network, { training: true, batchSize, batchGroups, predictions: true });
  if (!traced.ok) return { ok: false, diagnostics: traced.diagnostics };
  const { graph, params, predictions, loss } = traced.traced;
  const prediction = predictions[0];
  if (!loss || !prediction) return { ok: false, diagnostics: traced.traced.analysis.diagnostics.filter((d) => d.code === 'E_MISSING_LOSS') };
  const lossNodeId = prediction.slice(0, -'.prediction'.length);
  const lossNode = network.nodes.find((n) => n.id === lossNodeId);
  const targetField = String(lossNode?.params.target ?? 'label');

  const tracer = new Tracer(graph);
  tracer.run((t) => {
    const lossValue = graph.outputs.find((o) => o.name === loss)!.value;
    const tensors = params.map((p) => t.get(p.name));
    const grads = vjp(t.wrap(lossValue), tensors);
    // ||g|| = sqrt(sum over parameters of sum(g^2)), before clipping or decay: what the diagnosis watches
    if (grads.length > 0) t.output(GRADIENT_NORM_OUTPUT, grads.map((g) => g.square().sum()).reduce((a, b) => a.add(b)).sqrt());
    applyOptimizer(
      t,
      params.map((p, i) => ({ name: p.name, param: tensors[i], grad: grads[i] })),
      optimizerFromProject(recipe.optimizer),
      { l1: recipe.regularization.l1, l2: recipe.regularization.l2, clipNorm: recipe.regularization.gradientClipNorm },
    );
  });
  const train = backend.prepare(compile(tracer.graph), { seed });
  const predictionShape = graph.values[graph.outputs.find((o) => o.name === prediction)!.value].shape;

  const evaluators = new Map<number, Executable>();
  const model: CompiledModel = {
    train,
    feeds: feedsOf(traced.traced),
    prediction,
    targetField,
    task: taskOf(network, lossNodeId, predictionShape),
    parameterCount: params.reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0),
    paramNames: params.map((p) => p.name),
    evaluator(rows) {
      const known = evaluators.get(rows);
      if (known) return known;
      const forward = traceNetwork(network, { training: false, batchSize: rows, predictions: true });
      if (!forward.ok) return { diagnostics: forward.diagnostics };
      const executable = backend.prepare(compile(forward.traced.graph), { seed, shareVariablesWith: train });
      evaluators.set(rows, executable);
      return executable;
    },
  };
  return { ok: true, model };
}

export { LR_INPUT, STEP_INPUT };
