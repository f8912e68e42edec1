/**
 * @file The event → dashboard table: for every RunEvent type, how it folds into a RunView and
 * which panels it calls for. The mapped type makes a new event type without an entry a build
 * error, so the dashboards can never silently drop what a run reports.
 */
import type { RunEvent, RunEventType } from '../../core/train/events';
import type { PanelId } from './panelIds';
import { STEP_COLUMNS, SAMPLE_GRIDS_KEPT, type EventOf, type RunView } from './runView';

export interface EventEntry<T extends RunEventType> {
  apply(run: RunView, event: EventOf<T>): void;
  /** The panels this event feeds (they appear once an event asks for them). */
  panels(event: EventOf<T>): readonly PanelId[];
}

export const eventTable: { [T in RunEventType]: EventEntry<T> } = {
  start: {
    apply: (run, e) => {
      // a k-fold run's next fold trains from fresh weights with its steps and epochs from 1: the
      // curves show the fold under way (each finished fold stays in the cross-validation table)
      if (e.fold !== undefined && run.start?.fold !== undefined && e.fold !== run.start.fold) {
        run.steps.clear();
        run.epochs = [];
        run.evaluations = [];
        run.checkpoints = [];
        run.lastStep = undefined;
      }
      run.start = e;
      if (run.status === 'starting') run.status = 'running';
    },
    // An adversarial run's losses are drawn by 'ganLosses' (its steps say so).
    panels: (e) => (e.recipe === 'adversarial' ? [] : ['loss']),
  },
  step: {
    apply: (run, e) => {
      run.lastStep = e;
      run.steps.push(
        e.step,
        STEP_COLUMNS.map((c) => e[c]),
      );
      if (run.status === 'starting') run.status = 'running';
    },
    panels: (e) => [
      ...(e.generatorLoss === undefined && e.discriminatorLoss === undefined ? (['loss'] as const) : []),
      'learningRate',
      'throughput',
      ...(e.gradientNorm !== undefined ? (['gradientNorm'] as const) : []),
      ...(e.generatorLoss !== undefined || e.discriminatorLoss !== undefined ? (['ganLosses'] as const) : []),
    ],
  },
  epoch: {
    apply: (run, e) => {
      // A resumed run may repeat an epoch it had started: the newer report wins.
      const at = run.epochs.findIndex((x) => x.epoch === e.epoch);
      if (at >= 0) run.epochs[at] = e;
      else run.epochs.push(e);
    },
    panels: (e) => {
      const names = new Set([...Object.keys(e.train), ...Object.keys(e.validation ?? {})]);
      const loss = names.delete('loss');
      return [...(loss ? (['loss'] as const) : []), ...(names.size ? (['metrics'] as const) : [])];
    },
  },
  evaluation: {
    apply: (run, e) => {
      run.evaluations.push(e);
    },
    panels: () => ['evaluation'],
  },
  checkpoint: {
    apply: (run, e) => {
      run.checkpoints.push(e);
    },
    panels: () => [],
  },
  warning: {
    apply: (run, e) => {
      // The diagnosis says each thing once; a replayed log must not pin it twice.
      if (!run.warnings.some((w) => w.code === e.code && w.step === e.step && w.nodeId === e.nodeId)) run.warnings.push(e);
    },
    panels: () => ['diagnosis'],
  },
  done: {
    apply: (run, e) => {
      run.done = e;
      run.status = e.status;
    },
    panels: () => [],
  },
  resumed: {
    apply: (run, e) => {
      run.resumes.push(e);
      run.done = undefined;
      run.status = 'running';
    },
    panels: () => [],
  },
  histograms: {
    apply: (run, e) => {
      run.histograms = e;
    },
    panels: () => ['histograms'],
  },
  confusion: {
    apply: (run, e) => {
      run.confusion = e;
    },
    panels: () => ['confusion'],
  },
  predictions: {
    apply: (run, e) => {
      if (e.kind === 'classification') run.classification = e;
      else run.regression = e;
    },
    panels: (e) => (e.kind === 'classification' ? ['predictions'] : ['regression']),
  },
  samples: {
    apply: (run, e) => {
      run.samples.push(e);
      if (run.samples.length > SAMPLE_GRIDS_KEPT) run.samples.splice(0, run.samples.length - SAMPLE_GRIDS_KEPT);
    },
    panels: () => ['samples'],
  },
  kfold: {
    apply: (run, e) => {
      const at = run.kfold.findIndex((x) => x.fold === e.fold);
      if (at >= 0) run.kfold[at] = e;
      else run.kfold.push(e);
    },
    panels: () => ['kfold'],
  },
  decisionBoundary: {
    apply: (run, e) => {
      run.decisionBoundary = e;
    },
    panels: () => ['decisionBoundary'],
  },
  text: {
    apply: (run, e) => {
      run.texts.push(e);
      if (run.texts.length > SAMPLE_GRIDS_KEPT) run.texts.splice(0, run.texts.length - SAMPLE_GRIDS_KEPT);
    },
    panels: () => ['text'],
  },
};

/** Fold one event into the run (through its table entry) and record the panels it calls for. */
export function applyRunEvent(run: RunView, event: RunEvent): void {
  const entry = eventTable[event.type] as EventEntry<RunEvent['type']>;
  entry.apply(run, event as never);
  for (const panel of entry.panels(event as never)) run.panels.add(panel);
}

/** Fold a batch, bumping the version once. Events of a type this build does not know are counted, never thrown. */
export function applyRunEvents(run: RunView, events: readonly RunEvent[]): { unknown: number } {
  let unknown = 0;
  for (const event of events) {
    if (!Object.hasOwn(eventTable, event.type)) {
      unknown++;
      continue;
    }
    applyRunEvent(run, event);
  }
  run.version++;
  return { unknown };
}
