/**
 * @file The supervised recipe: epochs of shuffled mini-batches through one compiled training plan,
 * validation every epoch, a test evaluation at the end, all reported as run events. An async
 * generator: the caller drives it, throttles its events and stops it with an AbortSignal.
 */
import type { Backend } from '../backends/backend';
import { SubsetDataset, type Dataset } from '../data/dataset';
import { trainValidationSplit } from '../data/split';
import type { Diagnostic } from '../model/diagnostics';
import type { Project } from '../project/schema';
import { Batcher, epochOrder, fullBatches } from './batches';
import { captureVariables, improves, restoreVariables, CHECKPOINT_VERSION, type Checkpoint, type RunPosition } from './checkpoint';
import { FitDiagnosis, type DiagnosisOptions, type DiagnosisState, type FitWarning } from './diagnosis';
import { activationHistograms, evaluate, evaluateDetailed, weightHistograms } from './evaluation';
import { runEvent, type BackendReport, type MetricValues, type RunEvent } from './events';
import { compileSupervised, GRADIENT_NORM_OUTPUT, LR_INPUT, STEP_INPUT } from './program';
import { compileProbe, firstNonFinite, reluZeroFractions, type Probe } from './probe';
import { boundarySetup, decisionBoundaryEvent } from './decisionBoundary';
import { textEvent, textSetup } from './textSamples';
import { learningRateAt, type Schedule } from './schedules';
import { TaskMetrics } from './taskMetrics';

export { evaluate };

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
  /** Where checkpoints go (every `checkpointEverySteps` steps, every epoch end, on stop); none: no checkpoints. */
  checkpoints?: CheckpointSink;
  /** Continue from this checkpoint: weights, optimizer and layer state, position, best so far. */
  resumeFrom?: Checkpoint;
  /** Start from these weights (fine-tuning), by parameter name; names and shapes already checked. */
  initialWeights?: Readonly<Record<string, { readonly data: ArrayLike<number> }>>;
  /** Rows of the training data to train on (k-fold); the validation rows then come from `validationRows`. */
  rows?: { train: Int32Array; validation: Int32Array };
  diagnosis?: DiagnosisOptions;
  /** Sample predictions per evaluation (default 8). */
  samplePredictions?: number;
}

/** Saves a checkpoint as the run's latest (`last`) or best; returns where it went. */
export interface CheckpointSink {
  save(checkpoint: Checkpoint, kind: 'last' | 'best'): Promise<string>;
}

/** The training data as the rows a recipe trains on and the rows it validates on: `rows` (a k-fold fold), else a seeded split of `fraction` (whole groups to one side). */
export function trainValidationSets(data: Dataset, fraction: number, seed: number, rows?: { train: Int32Array; validation: Int32Array }): { train: SubsetDataset; validation: SubsetDataset } {
  const split = rows ?? trainValidationSplit(data.size, fraction, seed, data.groups);
  return { train: new SubsetDataset('train', data, split.train), validation: new SubsetDataset('validation', data, split.validation) };
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


/** The metric early stopping (and the best checkpoint) watch: the recipe's, else validation loss, else training loss. */
export function monitoredMetric(project: Project, hasValidation: boolean): { metric: string; mode: 'min' | 'max' } {
  const es = project.training.earlyStopping;
  if (es) return { metric: es.metric, mode: es.mode };
  return { metric: hasValidation ? 'val_loss' : 'train_loss', mode: 'min' };
}

/** `val_loss` as written, or a bare `loss` / `accuracy` read from validation when there is one, else training. */
function metricValue(values: MetricValues, metric: string): number | undefined {
  return values[metric] ?? values[`val_${metric}`] ?? values[`train_${metric}`];
}

function warningEvent(w: FitWarning): RunEvent {
  return runEvent('warning', { code: w.code, message: w.message, suggestion: w.suggestion, ...(w.step !== undefined ? { step: w.step } : {}), ...(w.nodeId ? { nodeId: w.nodeId } : {}) });
}

export async function* trainSupervised(run: SupervisedRun): AsyncGenerator<RunEvent> {
  const { project, backend } = run;
  const recipe = project.training;
  const now = run.now ?? Date.now;
  const resume = run.resumeFrom?.position;
  const seed = resume?.seed ?? run.seed ?? recipe.seed;
  const epochs = run.epochs ?? resume?.epochs ?? recipe.epochs;
  const networkId = recipe.networks.model ?? Object.values(recipe.networks)[0];
  const network = project.networks.find((n) => n.id === networkId);
  if (!network) throw new TrainingSetupError(`The training recipe names network "${networkId}", which the project does not have.`);

  const batchSize = recipe.batchSize;
  const { train: trainSet, validation: validationSet } = trainValidationSets(run.data.train, recipe.validationSplit, seed, run.rows);
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
  // epoch-end views some models call for: a 2-feature classifier's boundary, a language model's text
  const boundary = boundarySetup(model, trainSet);
  const text = textSetup(model, trainSet, validationSet);

  const stepsPerEpoch = Math.floor(trainSet.size / batchSize);
  const totalSteps = stepsPerEpoch * epochs;
  const schedule = scheduleFromProject(project, stepsPerEpoch, epochs);
  const monitor = monitoredMetric(project, validationSet.size > 0);
  const diagnosis = new FitDiagnosis(model.task, run.diagnosis);
  const samples = run.samplePredictions ?? 8;
  const lr = new Float32Array(1);
  const stepCounter = new Int32Array(1);
  const started = now();
  let step = 0;
  let startEpoch = 0;
  let skip = 0;
  let last: MetricValues = {};
  let best: RunPosition['best'];
  let sinceBest = 0;
  let probe: Probe | null | undefined;
  const probeFor = (): Probe | undefined => {
    if (probe === undefined) probe = compileProbe(network, backend, batchSize, seed, model.train) ?? null;
    return probe ?? undefined;
  };

  if (run.initialWeights && !run.resumeFrom) {
    for (const name of model.paramNames) {
      const weight = run.initialWeights[name];
      if (weight) model.train.writeVariable(name, weight.data);
    }
  }
  if (run.resumeFrom && resume) {
    if (resume.recipe !== 'supervised') throw new TrainingSetupError(`The checkpoint was written by the ${resume.recipe} recipe, not the supervised one.`);
    try {
      restoreVariables([model.train], run.resumeFrom.variables, 'The checkpoint');
    } catch (e) {
      throw new TrainingSetupError(e instanceof Error ? e.message : String(e));
    }
    ({ step, epoch: startEpoch, stepInEpoch: skip, metrics: last, best, sinceBest } = resume);
    diagnosis.restore(resume.extra?.diagnosis as DiagnosisState | undefined);
  }

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
  if (resume) yield runEvent('resumed', { step, epoch: startEpoch, stepInEpoch: skip, from: run.resumeFrom ? `step ${resume.step}` : '' });
  // the boundary of the untrained model (epoch 0), so the panel shows where training starts from
  const initial = boundary && !resume ? await decisionBoundaryEvent(model, boundary, 0, step) : undefined;
  if (initial) yield initial;

  const position = (epoch: number, stepInEpoch: number): RunPosition => ({
    version: CHECKPOINT_VERSION,
    runId: run.runId,
    recipe: 'supervised',
    seed,
    step,
    epoch,
    stepInEpoch,
    epochs,
    metrics: last,
    ...(best ? { best } : {}),
    sinceBest,
    extra: { diagnosis: diagnosis.snapshot() },
  });
  async function* save(kind: 'last' | 'best', epoch: number, stepInEpoch: number): AsyncGenerator<RunEvent> {
    if (!run.checkpoints) return;
    const path = await run.checkpoints.save({ position: position(epoch, stepInEpoch), variables: await captureVariables([model.train]) }, kind);
    yield runEvent('checkpoint', { step, epoch: epoch + (stepInEpoch === 0 ? 0 : 1), path, kind });
  }
  const seconds = () => (now() - started) / 1000;

  const targetIndex = model.feeds.findIndex((f) => f.field === model.targetField);
  let runSteps = 0;
  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    const epochStarted = now();
    const metrics = new TaskMetrics(model.task);
    let windowStarted = now();
    let windowSamples = 0;
    const batches = [...fullBatches(epochOrder(trainSet.size, seed, epoch), batchSize)];
    for (let i = skip; i < stepsPerEpoch; i++) {
      const rows = batches[i];
      const inputs: Record<string, ArrayLike<number>> = batcher.fill(rows);
      // the next batch, read ahead (from disk, on another thread) while this step computes
      if (i + 1 < stepsPerEpoch) trainSet.willGather(batches[i + 1]);
      lr[0] = learningRateAt(schedule, step);
      stepCounter[0] = step;
      inputs[LR_INPUT] = lr;
      inputs[STEP_INPUT] = stepCounter;
      const out = await model.train.run(inputs);
      const loss = out.loss[0];
      const gradientNorm = out[GRADIENT_NORM_OUTPUT]?.[0];
      if (!Number.isFinite(loss)) {
        const where = await locateNonFinite(probeFor(), inputs);
        yield runEvent('warning', {
          code: 'W_NONFINITE_LOSS',
          message: `The loss became ${loss} at step ${step} (epoch ${epoch + 1})${where ? `; the first non-finite values appear at the output of ${where}` : ''}.`,
          suggestion: 'Lower the learning rate, clip gradients, or check the data for NaN or infinite values.',
          step,
          ...(where ? { nodeId: where } : {}),
        });
        yield runEvent('done', { status: 'failed', step, epochs: epoch, seconds: seconds(), metrics: last, message: `Loss is ${loss} at step ${step}${where ? ` (first non-finite output: ${where})` : ''}.` });
        return;
      }
      metrics.update(loss, rows.length, out[model.prediction], targetIndex >= 0 ? inputs[model.feeds[targetIndex].input] : []);
      step++;
      runSteps++;
      windowSamples += rows.length;
      const t = now();
      const samplesPerSecond = (windowSamples * 1000) / Math.max(1, t - windowStarted);
      if (t - windowStarted > 2000) {
        windowStarted = t;
        windowSamples = 0;
      }
      const etaSeconds = ((totalSteps - step) * (t - started)) / 1000 / Math.max(1, runSteps);
      yield runEvent('step', { step, epoch: epoch + 1, loss, learningRate: lr[0], samplesPerSecond, etaSeconds, ...(gradientNorm !== undefined ? { gradientNorm } : {}) });
      for (const w of diagnosis.step(step, loss, gradientNorm)) yield warningEvent(w);
      if (run.yieldToHost && step % 8 === 0) await run.yieldToHost();
      if (run.signal?.aborted) {
        last = { ...last, ...prefixed('train', metrics.result()) };
        yield* save('last', epoch, i + 1);
        yield runEvent('done', { status: 'stopped', step, epochs: epoch, seconds: seconds(), metrics: last, resumable: run.checkpoints !== undefined });
        return;
      }
      if (step % recipe.checkpointEverySteps === 0 && i + 1 < stepsPerEpoch) yield* save('last', epoch, i + 1);
    }
    skip = 0;
    const train = metrics.result();
    const detail = validationSet.size > 0 ? await evaluateDetailed(model, validationSet, batchSize, samples) : undefined;
    const validation = detail?.metrics;
    last = { ...prefixed('train', train), ...(validation ? prefixed('val', validation) : {}) };
    yield runEvent('epoch', { epoch: epoch + 1, step, seconds: (now() - epochStarted) / 1000, train, ...(validation ? { validation } : {}) });
    if (detail?.confusion) yield runEvent('confusion', { split: 'validation', epoch: epoch + 1, classes: confusionClasses(run.data.train.classes, detail.confusion.length), matrix: detail.confusion });
    if (detail && detail.predictions.length > 0) yield runEvent('predictions', { split: 'validation', epoch: epoch + 1, kind: model.task.kind === 'regression' ? 'regression' : 'classification', items: detail.predictions });
    // One diagnostic pass over a batch serves the activation histograms and the dead-ReLU check.
    const probed = probeFor();
    const probedOutputs = probed ? await probed.run(batcher.fill(batches[0])) : undefined;
    const activations = probedOutputs ? { activations: activationHistograms(probedOutputs) } : {};
    yield runEvent('histograms', { epoch: epoch + 1, step, layers: await weightHistograms(model.train, model.paramNames), ...activations });
    const drawn = boundary ? await decisionBoundaryEvent(model, boundary, epoch + 1, step) : undefined;
    if (drawn) yield drawn;
    const written = text ? await textEvent(model, text, epoch + 1, step) : undefined;
    if (written) yield written;
    const warnings = diagnosis.epoch(epoch + 1, step, train, validation);
    if (probedOutputs) warnings.push(...diagnosis.activations(step, reluZeroFractions(probedOutputs)));
    for (const w of warnings) yield warningEvent(w);

    const value = metricValue(last, monitor.metric);
    const better = value !== undefined && improves(value, best?.value, monitor.mode);
    if (better) {
      best = { metric: monitor.metric, value, epoch: epoch + 1, step };
      sinceBest = 0;
    } else sinceBest++;
    yield* save('last', epoch + 1, 0);
    if (better) yield* save('best', epoch + 1, 0);
    const patience = recipe.earlyStopping?.patience;
    if (patience !== undefined && sinceBest >= patience && epoch + 1 < epochs) {
      yield runEvent('warning', {
        code: 'I_EARLY_STOPPED',
        message: `Early stopping after epoch ${epoch + 1}: ${monitor.metric} has not improved for ${patience} epochs (best ${best ? best.value.toFixed(4) : '?'} at epoch ${best?.epoch ?? '?'}; that checkpoint is kept).`,
        suggestion: 'Use the best checkpoint; more regularization or data would let the model improve longer.',
        step,
      });
      yield* finish(epoch + 1);
      return;
    }
  }
  yield* finish(epochs);

  async function* finish(epochsDone: number): AsyncGenerator<RunEvent> {
    if (run.data.test) {
      const test = await evaluateDetailed(model, run.data.test, batchSize, samples);
      yield runEvent('evaluation', { split: 'test', step, metrics: test.metrics });
      if (test.confusion) yield runEvent('confusion', { split: 'test', epoch: epochsDone, classes: confusionClasses(run.data.test.classes, test.confusion.length), matrix: test.confusion });
      last = { ...last, ...prefixed('test', test.metrics) };
    }
    yield runEvent('done', { status: 'completed', step, epochs: epochsDone, seconds: seconds(), metrics: { ...last, ...(best ? { [`best_${best.metric}`]: best.value, best_epoch: best.epoch } : {}) } });
  }
}

async function locateNonFinite(probe: Probe | undefined, inputs: Record<string, ArrayLike<number>>): Promise<string | undefined> {
  if (!probe) return undefined;
  return firstNonFinite(await probe.run(inputs))?.nodeId;
}

function confusionClasses(classes: readonly string[] | undefined, k: number): string[] {
  return Array.from({ length: k }, (_, i) => classes?.[i] ?? String(i));
}

function prefixed(prefix: string, values: MetricValues): MetricValues {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}_${k}`, v]));
}
