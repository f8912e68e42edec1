/**
 * @file The supervised recipe: epochs of shuffled mini-batches through one compiled training plan,
 * validation every epoch, a test evaluation at the end, all reported as run events. An async
 * generator: the caller drives it, throttles its events and stops it with an AbortSignal.
 */
import type { Backend, Executable, HostArray } from '../backends/backend';
import { SubsetDataset, type Dataset } from '../data/dataset';
import { trainValidationSplit } from '../data/split';
import type { Diagnostic } from '../model/diagnostics';
import type { Project } from '../project/schema';
import { allBatches, Batcher, epochOrder, fullBatches } from './batches';
import { runEvent, type BackendReport, type MetricValues, type RunEvent } from './events';
import { compileSupervised, LR_INPUT, STEP_INPUT, type CompiledModel } from './program';
import { learningRateAt, type Schedule } from './schedules';
import { TaskMetrics } from './taskMetrics';

export interface SupervisedRun {
  runId: string;
  project: Project;
  data: { train: Dataset; test?: Dataset };
  backend: Backend;
  backendReport: BackendReport;
  /** Overrides the recipe's epochs / seed. */
  epochs?: number;
  seed?: number;
  /** An AbortSignal (or anything with `aborted`): checked after every step. */
  signal?: { readonly aborted: boolean };
  /** Lets the host breathe between steps (signals, repaint); called every few steps. */
  yieldToHost?: () => Promise<void>;
  now?: () => number;
}

/** Thrown before the first step when the project cannot be trained as it is. */
export class TrainingSetupError extends Error {
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'TrainingSetupError';
  }
}

export function scheduleFromProject(project: Project, stepsPerEpoch: number, epochs: number): Schedule {
  const s = project.training.schedule;
  const base = { learningRate: project.training.optimizer.learningRate, warmupSteps: s.warmupSteps };
  switch (s.type) {
    case 'constant':
      return { kind: 'constant', ...base };
    case 'step':
      return { kind: 'step', ...base, stepSize: s.stepSize ?? stepsPerEpoch, gamma: s.gamma ?? 0.1 };
    case 'exponential':
      return { kind: 'exponential', ...base, gamma: s.gamma ?? 0.9, per: 'epoch', stepsPerEpoch };
    case 'cosine':
      return { kind: 'cosine', ...base, minLearningRate: s.minLearningRate ?? 0, totalSteps: stepsPerEpoch * epochs };
    default:
      return s.type satisfies never;
  }
}

function describeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => d.message).join(' ');
}

export async function* trainSupervised(run: SupervisedRun): AsyncGenerator<RunEvent> {
  const { project, backend } = run;
  const recipe = project.training;
  const now = run.now ?? Date.now;
  const seed = run.seed ?? recipe.seed;
  const epochs = run.epochs ?? recipe.epochs;
  const networkId = recipe.networks.model ?? Object.values(recipe.networks)[0];
  const network = project.networks.find((n) => n.id === networkId);
  if (!network) throw new TrainingSetupError(`The training recipe names network "${networkId}", which the project does not have.`);

  const batchSize = recipe.batchSize;
  const { train: trainRows, validation: validationRows } = trainValidationSplit(run.data.train.size, recipe.validationSplit, seed);
  const trainSet = new SubsetDataset('train', run.data.train, trainRows);
  const validationSet = new SubsetDataset('validation', run.data.train, validationRows);
  if (trainSet.size < batchSize) throw new TrainingSetupError(`The training split has ${trainSet.size} samples, fewer than one batch of ${batchSize}. Lower the batch size or the validation split.`);

  const compiled = compileSupervised(network, recipe, backend, batchSize, seed);
  if (!compiled.ok) throw new TrainingSetupError(`${network.name} cannot be trained yet: ${describeDiagnostics(compiled.diagnostics)}`, compiled.diagnostics);
  const model = compiled.model;
  let batcher: Batcher;
  try {
    batcher = new Batcher(trainSet, [...model.feeds], batchSize);
  } catch (e) {
    throw new TrainingSetupError(e instanceof Error ? e.message : String(e));
  }

  const stepsPerEpoch = Math.floor(trainSet.size / batchSize);
  const schedule = scheduleFromProject(project, stepsPerEpoch, epochs);
  const lr = new Float32Array(1);
  const stepCounter = new Int32Array(1);
  const started = now();
  let step = 0;

  yield runEvent('start', {
    runId: run.runId,
    project: project.name,
    recipe: 'supervised',
    backend: run.backendReport,
    seed,
    epochs,
    batchSize,
    stepsPerEpoch,
    trainSamples: trainSet.size,
    validationSamples: validationSet.size,
    parameters: model.parameterCount,
  });

  const targetIndex = model.feeds.findIndex((f) => f.field === model.targetField);
  let last: MetricValues = {};
  for (let epoch = 0; epoch < epochs; epoch++) {
    const epochStarted = now();
    const metrics = new TaskMetrics(model.task);
    let windowStarted = now();
    let windowSamples = 0;
    for (const rows of fullBatches(epochOrder(trainSet.size, seed, epoch), batchSize)) {
      const inputs: Record<string, ArrayLike<number>> = batcher.fill(rows);
      lr[0] = learningRateAt(schedule, step);
      stepCounter[0] = step;
      inputs[LR_INPUT] = lr;
      inputs[STEP_INPUT] = stepCounter;
      const out = await model.train.run(inputs);
      const loss = out.loss[0];
      if (!Number.isFinite(loss)) {
        yield runEvent('warning', { code: 'W_NONFINITE_LOSS', message: `The loss became ${loss} at step ${step} (epoch ${epoch + 1}). Lower the learning rate or check the data for NaN.`, step });
        yield runEvent('done', { status: 'failed', step, epochs: epoch, seconds: (now() - started) / 1000, metrics: last, message: `Loss is ${loss} at step ${step}.` });
        return;
      }
      metrics.update(loss, rows.length, out[model.prediction], targetIndex >= 0 ? inputs[model.feeds[targetIndex].input] : []);
      step++;
      windowSamples += rows.length;
      const t = now();
      const samplesPerSecond = (windowSamples * 1000) / Math.max(1, t - windowStarted);
      if (t - windowStarted > 2000) {
        windowStarted = t;
        windowSamples = 0;
      }
      yield runEvent('step', { step, epoch: epoch + 1, loss, learningRate: lr[0], samplesPerSecond });
      if (run.yieldToHost && step % 8 === 0) await run.yieldToHost();
      if (run.signal?.aborted) {
        yield runEvent('done', { status: 'stopped', step, epochs: epoch, seconds: (now() - started) / 1000, metrics: { ...last, ...prefixed('train', metrics.result()) } });
        return;
      }
    }
    const train = metrics.result();
    const validation = validationSet.size > 0 ? await evaluate(model, validationSet, batchSize) : undefined;
    last = { ...prefixed('train', train), ...(validation ? prefixed('val', validation) : {}) };
    yield runEvent('epoch', { epoch: epoch + 1, step, seconds: (now() - epochStarted) / 1000, train, ...(validation ? { validation } : {}) });
  }
  if (run.data.test) {
    const test = await evaluate(model, run.data.test, batchSize);
    yield runEvent('evaluation', { split: 'test', step, metrics: test });
    last = { ...last, ...prefixed('test', test) };
  }
  yield runEvent('done', { status: 'completed', step, epochs, seconds: (now() - started) / 1000, metrics: last });
}

function prefixed(prefix: string, values: MetricValues): MetricValues {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}_${k}`, v]));
}

/** Every sample once, in evaluation mode (no dropout, running statistics). */
export async function evaluate(model: CompiledModel, data: Dataset, batchSize: number): Promise<MetricValues> {
  const metrics = new TaskMetrics(model.task);
  const full = new Batcher(data, [...model.feeds], batchSize);
  let remainder: Batcher | undefined;
  for (const rows of allBatches(data.size, batchSize)) {
    const executable = model.evaluator(rows.length);
    if (!('run' in executable)) throw new TrainingSetupError(describeDiagnostics(executable.diagnostics), executable.diagnostics);
    const batcher = rows.length === batchSize ? full : (remainder ??= new Batcher(data, [...model.feeds], rows.length));
    const inputs = batcher.fill(rows);
    const out: Record<string, HostArray> = await (executable as Executable).run(inputs);
    const target = model.feeds.find((f) => f.field === model.targetField);
    metrics.update(out.loss[0], rows.length, out[model.prediction], target ? inputs[target.input] : []);
  }
  return metrics.result();
}
