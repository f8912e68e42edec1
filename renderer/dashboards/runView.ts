/**
 * @file What the dashboards know about one run, built from its RunEvents: per-step series in a ring
 * buffer, the epoch table, the latest evaluation artefacts (histograms, confusion matrix,
 * predictions, generated samples), diagnosis warnings and the run's status. Mutable on purpose:
 * events arrive by the thousand and are folded in place; `version` changes with every batch so
 * views know when to redraw. Folding is done by the table in `eventTable.ts`.
 */
import type { RunEvent } from '../../core/train/events';
import type { PanelId } from './panelIds';
import { RingSeries } from './ringBuffer';

export type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

/** Columns of the per-step ring (x is the global step). */
export const STEP_COLUMNS = ['loss', 'learningRate', 'samplesPerSecond', 'gradientNorm', 'generatorLoss', 'discriminatorLoss', 'etaSeconds'] as const;
export type StepColumn = (typeof STEP_COLUMNS)[number];
export const stepColumn = (name: StepColumn): number => STEP_COLUMNS.indexOf(name);

/** Steps kept for plotting: older ones scroll out (a 100-epoch MNIST run at batch 32 is ~190k steps). */
export const STEP_CAPACITY = 20_000;
/** Generated sample grids kept (one per epoch, newest last). */
export const SAMPLE_GRIDS_KEPT = 12;

export type RunStatus = 'starting' | 'running' | 'paused' | 'completed' | 'stopped' | 'failed';

export interface RunView {
  runId: string;
  /** Bumped once per applied batch. */
  version: number;
  status: RunStatus;
  start?: EventOf<'start'>;
  done?: EventOf<'done'>;
  lastStep?: EventOf<'step'>;
  steps: RingSeries;
  epochs: EventOf<'epoch'>[];
  evaluations: EventOf<'evaluation'>[];
  checkpoints: EventOf<'checkpoint'>[];
  resumes: EventOf<'resumed'>[];
  warnings: EventOf<'warning'>[];
  histograms?: EventOf<'histograms'>;
  confusion?: EventOf<'confusion'>;
  classification?: EventOf<'predictions'>;
  regression?: EventOf<'predictions'>;
  samples: EventOf<'samples'>[];
  kfold: EventOf<'kfold'>[];
  /** The latest decision surface (two-feature classifiers). */
  decisionBoundary?: EventOf<'decisionBoundary'>;
  /** Generated text per epoch (language models), newest last, a few kept. */
  texts: EventOf<'text'>[];
  /** Panels this run's events called for, in order of first appearance. */
  panels: Set<PanelId>;
}

export function createRunView(runId: string, stepCapacity = STEP_CAPACITY): RunView {
  return {
    runId,
    version: 0,
    status: 'starting',
    steps: new RingSeries(stepCapacity, STEP_COLUMNS.length),
    epochs: [],
    evaluations: [],
    checkpoints: [],
    resumes: [],
    warnings: [],
    samples: [],
    kfold: [],
    texts: [],
    panels: new Set(),
  };
}

/** Names of the metrics reported per epoch (train or validation), `loss` first. */
export function epochMetricNames(run: RunView): string[] {
  const names = new Set<string>();
  for (const e of run.epochs) {
    for (const k of Object.keys(e.train)) names.add(k);
    for (const k of Object.keys(e.validation ?? {})) names.add(k);
  }
  return [...names].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b)));
}

/** The run's headline numbers: its final metrics when done, else the last epoch's validation (or train) metrics; validation ones named `val x`. */
export function keyMetrics(run: RunView): Record<string, number> {
  if (run.done && Object.keys(run.done.metrics).length) return headlineMetrics(run.done.metrics);
  const last = run.epochs.at(-1);
  if (!last) return run.lastStep ? { loss: run.lastStep.loss } : {};
  return last.validation && Object.keys(last.validation).length ? prefixed(last.validation, 'val ') : last.train;
}

/** Final metrics as runs report them (`val_loss`, `train_loss`, `loss`): the validation ones when there are any. */
export function headlineMetrics(metrics: Record<string, number>): Record<string, number> {
  const entries = Object.entries(metrics);
  const validation = entries.filter(([k]) => k.startsWith('val_'));
  if (validation.length) return Object.fromEntries(validation.map(([k, v]) => [`val ${k.slice(4)}`, v]));
  return Object.fromEntries(entries.map(([k, v]) => [k.replace(/^train_/, ''), v]));
}

function prefixed(values: Record<string, number>, prefix: string): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));
}

/** Progress through the run in 0..1 (steps done over steps planned), when known. */
export function progress(run: RunView): number | undefined {
  const start = run.start;
  if (run.done?.status === 'completed') return 1;
  const step = Math.max(run.lastStep?.step ?? -1, run.done?.step ?? -1);
  if (!start || step < 0) return undefined;
  const total = start.epochs * start.stepsPerEpoch;
  return total > 0 ? Math.min(1, step / total) : undefined;
}
