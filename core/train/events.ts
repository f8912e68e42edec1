/**
 * @file Run events: what a training run reports, as plain versioned JSON. The same events feed the
 * dashboards, `brrr train --json` (one per line) and the run's JSONL log.
 */

export const RUN_EVENT_VERSION = 1;

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
    }
  | { type: 'step'; v: number; step: number; epoch: number; loss: number; learningRate: number; samplesPerSecond: number; gradientNorm?: number }
  | { type: 'epoch'; v: number; epoch: number; step: number; seconds: number; train: MetricValues; validation?: MetricValues }
  | { type: 'evaluation'; v: number; split: 'validation' | 'test'; step: number; metrics: MetricValues }
  | { type: 'checkpoint'; v: number; step: number; epoch: number; path: string }
  | { type: 'warning'; v: number; code: string; message: string; step?: number }
  | { type: 'done'; v: number; status: 'completed' | 'stopped' | 'failed'; step: number; epochs: number; seconds: number; metrics: MetricValues; message?: string };

export type RunEventType = RunEvent['type'];

/** Make an event with the current version stamped in. */
export function runEvent<T extends RunEvent['type']>(type: T, body: Omit<Extract<RunEvent, { type: T }>, 'type' | 'v'>): Extract<RunEvent, { type: T }> {
  return { type, v: RUN_EVENT_VERSION, ...body } as Extract<RunEvent, { type: T }>;
}
