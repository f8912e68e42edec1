/**
 * @file Chart columns from run models: per-step series from the ring, per-epoch train against
 * validation, loss per step with the epoch losses placed at the step each epoch ended, and several
 * runs overlaid on one x axis. uPlot wants one shared ascending x column; series without a value
 * at an x hold null there (drawn across with spanGaps).
 */
import type { Columns } from './ringBuffer';
import { stepColumn, type RunView, type StepColumn } from './runView';

export type Table = [number[], ...(number | null)[][]];

/** Merge tables on x (ascending, unique); each table's series keep their order. */
export function joinTables(tables: readonly Table[]): Table {
  return tables.every((t) => strictlyAscending(t[0])) ? mergeAscending(tables) : joinAnyOrder(tables);
}

function strictlyAscending(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (!((xs[i] as number) > (xs[i - 1] as number))) return false;
  return true;
}

/** The usual case (steps and epochs only grow): one linear k-way merge, no hashing or sorting. */
function mergeAscending(tables: readonly Table[]): Table {
  const cursors = tables.map(() => 0);
  const xs: number[] = [];
  const cols = tables.flatMap((t) => t.slice(1).map(() => [] as (number | null)[]));
  for (;;) {
    let x = Infinity;
    tables.forEach((t, k) => {
      const v = t[0][cursors[k] as number];
      if (v !== undefined && v < x) x = v;
    });
    if (x === Infinity) break;
    xs.push(x);
    let c = 0;
    tables.forEach((t, k) => {
      const i = cursors[k] as number;
      const hit = t[0][i] === x;
      for (let s = 1; s < t.length; s++) (cols[c++] as (number | null)[]).push(hit ? ((t[s] as (number | null)[])[i] ?? null) : null);
      if (hit) cursors[k] = i + 1;
    });
  }
  return [xs, ...cols];
}

/** Any order (a log replayed after a resume may repeat steps): the later value at an x wins. */
function joinAnyOrder(tables: readonly Table[]): Table {
  const xs = [...new Set(tables.flatMap((t) => t[0]))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const out: Table = [xs];
  for (const [txs, ...tys] of tables) {
    for (const ys of tys) {
      const col = new Array<number | null>(xs.length).fill(null);
      txs.forEach((x, i) => {
        col[at.get(x) as number] = ys[i] ?? null;
      });
      out.push(col);
    }
  }
  return out;
}

/** Selected step columns: `[steps, ...values]`. */
export function stepTable(run: RunView, names: readonly StepColumn[]): Table {
  return run.steps.columns(names.map(stepColumn)) as Columns;
}

const metric = (values: Record<string, number> | undefined, name: string): number | null => {
  const v = values?.[name];
  return v === undefined || !Number.isFinite(v) ? null : v;
};

/** Per-epoch `[epochs, train, validation]` of one metric. */
export function epochTable(run: RunView, name: string): Table {
  return [run.epochs.map((e) => e.epoch), run.epochs.map((e) => metric(e.train, name)), run.epochs.map((e) => metric(e.validation, name))];
}

/** `[steps, step loss, epoch train loss, epoch validation loss]`, the epoch values at the step their epoch ended. */
export function lossTable(run: RunView): Table {
  const epochs: Table = [run.epochs.map((e) => e.step), run.epochs.map((e) => metric(e.train, 'loss')), run.epochs.map((e) => metric(e.validation, 'loss'))];
  return joinTables([stepTable(run, ['loss']), epochs]);
}

/** One series per run: `pick` gives a run's `[xs, ys]`. */
export function overlayTable(runs: readonly RunView[], pick: (run: RunView) => [number[], (number | null)[]]): Table {
  return joinTables(runs.map((r) => pick(r)));
}

/** Whether any series of the table has a value. */
export const hasValues = (table: Table): boolean => table.slice(1).some((col) => col.some((v) => v !== null));

/** Metric names as people read them, with the unit their values carry. */
export function metricLabel(name: string): MetricLabel {
  const known: Record<string, MetricLabel> = {
    loss: { label: 'Loss', scale: 1 },
    accuracy: { label: 'Accuracy', unit: '%', scale: 100 },
    precision: { label: 'Precision', scale: 1 },
    recall: { label: 'Recall', scale: 1 },
    f1: { label: 'F1', scale: 1 },
    auc: { label: 'ROC AUC', scale: 1 },
    mae: { label: 'Mean absolute error', scale: 1 },
    rmse: { label: 'Root mean squared error', scale: 1 },
    mse: { label: 'Mean squared error', scale: 1 },
    // the GAN's discriminator, in evaluation mode (core/train/ganValidation.ts)
    real_score: { label: 'D on real images', scale: 1, hint: 'Mean probability of "real" the discriminator gives real images: its training images (train) and images it never trains on (validation). A growing gap is a discriminator memorising its training set.' },
    fake_score: { label: 'D on generated images', scale: 1, hint: 'Mean probability of "real" the discriminator gives generated images.' },
    discriminator_overfitting: { label: 'D overfitting r_v', scale: 1, hint: 'How far the discriminator rates real images it never saw from its training images towards generated ones: 0 none, 1 it takes them for fakes (Karras et al. 2020). 0.5 and above is flagged.' },
  };
  const topK = /^top(\d+)$/.exec(name);
  if (topK) return { label: `Top-${topK[1]} accuracy`, unit: '%', scale: 100 };
  // generator_loss → Generator loss
  const words = name.replace(/_/g, ' ');
  return known[name] ?? { label: words.charAt(0).toUpperCase() + words.slice(1), scale: 1 };
}

export interface MetricLabel {
  label: string;
  unit?: string;
  /** Display factor (accuracy 0..1 → %). */
  scale: number;
  /** What the metric means, for a tooltip. */
  hint?: string;
}

/** Scale a table's series (accuracy 0..1 → %). */
export const scaleTable = (table: Table, factor: number): Table =>
  factor === 1 ? table : [table[0], ...table.slice(1).map((col) => col.map((v) => (v === null ? null : v * factor)))];
