/**
 * @file Run events: what a training run reports, as plain versioned JSON. The same events feed the
 * dashboards, `brrr train --json` (one per line) and the run's JSONL log.
 */

export const RUN_EVENT_VERSION = 1;

/** Counts of values in equal-width bins over [min, max]. */
export interface Histogram {
  name: string;
  min: number;
  max: number;
  bins: number[];
}

/** Metric values by name (`loss`, `accuracy`, `auc`, ...). */
export type MetricValues = Record<string, number>;

export interface BackendReport {
  kind: 'cpu' | 'webgpu';
  /** cpu: `float32` or `float64`; webgpu: the adapter's description. */
  detail: string;
  /** Why this backend was chosen (`--backend cpu`, `auto: no GPU adapter`, ...). */
  reason: string;
}

export type RunEvent =
  | {
      type: 'start';
      v: number;
      runId: string;
      project: string;
      recipe: string;
      backend: BackendReport;
      seed: number;
      epochs: number;
      batchSize: number;
      stepsPerEpoch: number;
      trainSamples: number;
      validationSamples: number;
      parameters: number;
      /** k-fold: this run is fold `fold` of `folds`; each fold trains from fresh weights, its steps from 1. */
      fold?: number;
      folds?: number;
    }
  | { type: 'step'; v: number; step: number; epoch: number; loss: number; learningRate: number; samplesPerSecond: number; gradientNorm?: number; etaSeconds?: number; generatorLoss?: number; discriminatorLoss?: number }
  | { type: 'epoch'; v: number; epoch: number; step: number; seconds: number; train: MetricValues; validation?: MetricValues }
  | { type: 'evaluation'; v: number; split: 'validation' | 'test'; step: number; metrics: MetricValues }
  | { type: 'checkpoint'; v: number; step: number; epoch: number; path: string; kind?: 'last' | 'best' }
  | { type: 'warning'; v: number; code: string; message: string; step?: number; suggestion?: string; nodeId?: string }
  | { type: 'done'; v: number; status: 'completed' | 'stopped' | 'failed'; step: number; epochs: number; seconds: number; metrics: MetricValues; message?: string; resumable?: boolean }
  /** A run picked up from a checkpoint: the steps before `step` are not repeated. */
  | { type: 'resumed'; v: number; step: number; epoch: number; stepInEpoch: number; from: string }
  /**
   * Histograms at an epoch end, `bins` counts over [min, max] in equal steps: every parameter
   * (`layers`), and every layer's output on one validation-mode batch (`activations`, when the
   * network could be probed).
   */
  | { type: 'histograms'; v: number; epoch: number; step: number; layers: Histogram[]; activations?: Histogram[] }
  /** Confusion matrix of an evaluation (classification): rows are true classes, columns predicted. */
  | { type: 'confusion'; v: number; split: 'validation' | 'test'; epoch: number; classes: string[]; matrix: number[][] }
  /** A few predictions next to the truth: classification (`input` small, `predicted`, `actual`) or regression pairs. */
  | { type: 'predictions'; v: number; split: 'validation' | 'test'; epoch: number; kind: 'classification' | 'regression'; items: { input?: number[]; inputShape?: number[]; predicted: number; actual: number }[] }
  /** Generated samples of an adversarial run: `images[i]` holds `shape` values in 0..1. */
  | { type: 'samples'; v: number; epoch: number; step: number; shape: number[]; images: number[][] }
  /** One fold of a k-fold run finished (`fold` from 1), or the summary (`fold` 0) with mean and standard deviation. */
  | { type: 'kfold'; v: number; fold: number; folds: number; metrics: MetricValues; mean?: MetricValues; std?: MetricValues }
  /**
   * A two-feature classifier's decision surface at an epoch end: `probabilities[row][col]` is
   * p(class 1) at x = xRange[0] + col·Δx, y = yRange[0] + row·Δy over a `size`×`size` grid, with a
   * few training points; `weights`/`bias` when the model is one linear unit (w·x + b = 0 is the line).
   */
  | { type: 'decisionBoundary'; v: number; epoch: number; step: number; xRange: [number, number]; yRange: [number, number]; size: number; probabilities: number[][]; points: { x: number; y: number; label: number }[]; weights?: [number, number]; bias?: number }
  /** Text a language model generated at an epoch end (sampled from its softmax), with the prompt it continued and the bigram baseline's loss on the validation split. */
  | { type: 'text'; v: number; epoch: number; step: number; prompts: string[]; samples: string[]; temperature: number; baselineLoss?: number };

export type RunEventType = RunEvent['type'];

/** Make an event with the current version stamped in. */
export function runEvent<T extends RunEvent['type']>(type: T, body: Omit<Extract<RunEvent, { type: T }>, 'type' | 'v'>): Extract<RunEvent, { type: T }> {
  return { type, v: RUN_EVENT_VERSION, ...body } as Extract<RunEvent, { type: T }>;
}
