/**
 * @file Evaluation of a compiled model and what dashboards draw from it: metrics over every sample
 * (evaluation mode), the confusion matrix, a few sample predictions (classification: small inputs,
 * predicted and true class; regression: subsampled predicted-vs-true pairs), and per-parameter
 * weight histograms with fixed bins.
 */
import type { Executable, HostArray } from '../backends/backend';
import type { Dataset } from '../data/dataset';
import { allBatches, Batcher } from './batches';
import type { Histogram, MetricValues } from './events';
import type { CompiledModel } from './program';
import { TaskMetrics } from './taskMetrics';

export interface EvaluationDetail {
  metrics: MetricValues;
  confusion?: number[][];
  predictions: { input?: number[]; inputShape?: number[]; predicted: number; actual: number }[];
}

/** Classification samples carry their input only when it is small (an MNIST digit is 784 values). */
const MAX_INPUT_VALUES = 1024;
const HISTOGRAM_BINS = 16;

export async function evaluate(model: CompiledModel, data: Dataset, batchSize: number): Promise<MetricValues> {
  return (await evaluateDetailed(model, data, batchSize, 0)).metrics;
}

/** Every sample once, in evaluation mode (no dropout, running statistics); keeps `samples` predictions. */
export async function evaluateDetailed(model: CompiledModel, data: Dataset, batchSize: number, samples: number): Promise<EvaluationDetail> {
  const metrics = new TaskMetrics(model.task);
  const full = new Batcher(data, [...model.feeds], batchSize);
  const target = model.feeds.find((f) => f.field === model.targetField);
  const input = model.feeds.find((f) => f.field !== model.targetField);
  const predictions: EvaluationDetail['predictions'] = [];
  // regression pairs are subsampled evenly over the set; classification keeps the first ones
  const every = model.task.kind === 'regression' ? Math.max(1, Math.floor(data.size / Math.max(1, samples))) : 1;
  let remainder: Batcher | undefined;
  let seen = 0;
  const batches = allBatches(data.size, batchSize);
  for (let next = batches.next(); !next.done; ) {
    const rows = next.value;
    next = batches.next();
    const executable = model.evaluator(rows.length);
    if (!('run' in executable)) throw new Error(executable.diagnostics.map((d) => d.message).join(' '));
    const batcher = rows.length === batchSize ? full : (remainder ??= new Batcher(data, [...model.feeds], rows.length));
    const inputs = batcher.fill(rows);
    // the next batch, read ahead while this one is evaluated
    if (!next.done) data.willGather?.(next.value);
    const out: Record<string, HostArray> = await (executable as Executable).run(inputs);
    const prediction = out[model.prediction];
    const truth = target ? inputs[target.input] : [];
    metrics.update(out.loss[0], rows.length, prediction, truth);
    for (let r = 0; r < rows.length && predictions.length < samples; r++, seen++) {
      if ((seen % every) !== 0) continue;
      predictions.push(samplePrediction(model, prediction, truth, r, input ? { values: inputs[input.input], shape: input.spec.shape } : undefined));
    }
  }
  return { metrics: metrics.result(), confusion: metrics.confusion(), predictions };
}

function samplePrediction(model: CompiledModel, prediction: HostArray, truth: ArrayLike<number>, row: number, input: { values: ArrayLike<number>; shape: readonly number[] } | undefined): EvaluationDetail['predictions'][number] {
  const task = model.task;
  const perRow = input ? input.shape.reduce((a, b) => a * b, 1) : 0;
  const small = input && perRow <= MAX_INPUT_VALUES ? { input: Array.from({ length: perRow }, (_, i) => round(input.values[row * perRow + i])), inputShape: [...input.shape] } : {};
  if (task.kind === 'classification') {
    let best = 0;
    for (let c = 1; c < task.classes; c++) if (prediction[row * task.classes + c] > prediction[row * task.classes + best]) best = c;
    return { ...small, predicted: best, actual: truth[row] };
  }
  if (task.kind === 'binary') return { ...small, predicted: prediction[row] > 0 ? 1 : 0, actual: truth[row] };
  return { predicted: prediction[row], actual: truth[row] };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Histogram of every trainable parameter: `HISTOGRAM_BINS` equal bins over [min, max]. */
export async function weightHistograms(train: Executable, paramNames: readonly string[]): Promise<Histogram[]> {
  const out: Histogram[] = [];
  for (const name of paramNames) out.push(histogramOf(name, await train.readVariable(name)));
  return out;
}

/** Every probed layer output as a histogram, named `nodeId` (or `nodeId.port` beyond a layer's first output). */
export function activationHistograms(outputs: readonly { nodeId: string; port: string; values: ArrayLike<number> }[]): Histogram[] {
  const firstPort = new Map<string, string>();
  return outputs.map((o) => {
    const first = firstPort.get(o.nodeId) ?? (firstPort.set(o.nodeId, o.port), o.port);
    return histogramOf(o.port === first ? o.nodeId : `${o.nodeId}.${o.port}`, o.values);
  });
}

/** Equal-width bins over the finite values' [min, max] (non-finite values are left out). */
export function histogramOf(name: string, values: ArrayLike<number>): Histogram {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { name, min: 0, max: 0, bins };
  const width = (max - min) / HISTOGRAM_BINS || 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) bins[Math.min(HISTOGRAM_BINS - 1, Math.floor((v - min) / width))]++;
  }
  return { name, min, max, bins };
}
