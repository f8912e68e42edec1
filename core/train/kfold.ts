/**
 * @file k-fold cross-validation around the supervised recipe: K runs from fresh weights, each
 * validating on one fold and training on the others, then the mean and (population) standard
 * deviation of every final metric. Samples in groups (the machine of a sensor window, the patient
 * of a record) get grouped folds: each group wholly in one fold, so no fold validates on a machine
 * it trained on. Otherwise classification folds are stratified (each class dealt round robin over
 * the folds after a seeded shuffle), and a single time series gets ordered folds (expanding window:
 * fold k trains on the blocks before block k and validates on block k, never on the future).
 */
import type { Dataset } from '../data/dataset';
import { permutation } from '../data/split';
import type { Project, TrainingRecipe } from '../project/schema';
import { runEvent, type MetricValues, type RunEvent } from './events';
import { trainSupervised, TrainingSetupError, type SupervisedRun } from './supervised';

export type FoldRows = { train: Int32Array; validation: Int32Array };

/** Why k-fold cannot train this recipe, or undefined when it can (the run service refuses it, the Data view does not offer it). */
export function kfoldUnavailable(recipe: Pick<TrainingRecipe, 'recipe'>): string | undefined {
  return recipe.recipe === 'adversarial'
    ? "k-fold cross-validation compares a supervised model's validation metrics across folds; a GAN has none to compare. Train it once: its dashboard scores the discriminator on real images it never trains on, each epoch."
    : undefined;
}

/** Shuffled folds; stratified by `labels` when given. */
export function stratifiedFolds(size: number, k: number, seed: number, labels?: ArrayLike<number>): FoldRows[] {
  const order = permutation(size, (seed ^ 0x6b2f1d3) >>> 0);
  const assignment = new Int32Array(size);
  if (labels) {
    const dealt = new Map<number, number>();
    for (const row of order) {
      const c = labels[row];
      const n = dealt.get(c) ?? 0;
      assignment[row] = n % k;
      dealt.set(c, n + 1);
    }
  } else {
    order.forEach((row, i) => (assignment[row] = i % k));
  }
  return Array.from({ length: k }, (_, fold) => rowsWhere(size, (row) => assignment[row] !== fold, (row) => assignment[row] === fold));
}

/**
 * Grouped folds: the groups in a seeded order, each to the fold with the fewest samples so far,
 * so folds are balanced by samples and a group is never on both sides of one.
 */
export function groupedFolds(groups: Int32Array, k: number, seed: number): FoldRows[] {
  const size = groups.length;
  const ids = [...new Set(groups)].sort((a, b) => a - b);
  const counts = new Map<number, number>();
  for (const g of groups) counts.set(g, (counts.get(g) ?? 0) + 1);
  const foldOf = new Map<number, number>();
  const filled = new Array<number>(k).fill(0);
  for (const i of permutation(ids.length, (seed ^ 0x2c1b3c6d) >>> 0)) {
    const fold = filled.indexOf(Math.min(...filled));
    foldOf.set(ids[i], fold);
    filled[fold] += counts.get(ids[i]) ?? 0;
  }
  return Array.from({ length: k }, (_, fold) => rowsWhere(size, (row) => foldOf.get(groups[row]) !== fold, (row) => foldOf.get(groups[row]) === fold));
}

/** Ordered folds for series: K + 1 contiguous blocks; fold k trains on blocks 0..k and validates on block k + 1. */
export function orderedFolds(size: number, k: number): FoldRows[] {
  const block = (i: number) => Math.floor((i * (k + 1)) / size);
  return Array.from({ length: k }, (_, fold) => rowsWhere(size, (row) => block(row) <= fold, (row) => block(row) === fold + 1));
}

function rowsWhere(size: number, train: (row: number) => boolean, validation: (row: number) => boolean): FoldRows {
  const t: number[] = [];
  const v: number[] = [];
  for (let row = 0; row < size; row++) {
    if (validation(row)) v.push(row);
    else if (train(row)) t.push(row);
  }
  return { train: Int32Array.from(t), validation: Int32Array.from(v) };
}

/** Class labels to stratify on, when the model is a classifier whose target is an i32 field. */
function classLabels(project: Project, data: Dataset): Int32Array | undefined {
  const networkId = project.training.networks.model ?? Object.values(project.training.networks)[0];
  const network = project.networks.find((n) => n.id === networkId);
  const loss = network?.nodes.find((n) => n.type === 'CrossEntropyLoss');
  if (!loss) return undefined;
  const field = String(loss.params.target ?? 'label');
  const spec = data.fields[field];
  if (!spec || spec.dtype !== 'i32' || spec.shape.length !== 0) return undefined;
  const out = new Int32Array(data.size);
  const rows = Int32Array.from({ length: data.size }, (_, i) => i);
  data.gather(field, rows, out);
  return out;
}

export function isTimeSeries(project: Project): boolean {
  const ref = project.datasets.find((d) => d.id === project.training.datasetId);
  return project.training.options.timeSeries === true || ref?.kind === 'timeseries';
}

/** The folds k-fold uses for this project's data: grouped when samples come in two or more groups, else ordered (one time series) or stratified. */
export function foldsFor(project: Project, data: Dataset, k: number, seed: number): FoldRows[] {
  const groups = data.groups?.subarray(0, data.size);
  const distinct = groups ? new Set(groups).size : 0;
  if (groups && distinct >= 2) {
    if (distinct < k) throw new TrainingSetupError(`k-fold with ${k} folds keeps each group (machine, patient) in one fold, so it needs at least ${k} groups; the dataset has ${distinct}. Use ${distinct} folds or fewer.`);
    return groupedFolds(groups, k, seed);
  }
  return isTimeSeries(project) ? orderedFolds(data.size, k) : stratifiedFolds(data.size, k, seed, classLabels(project, data));
}

/** Mean and population standard deviation of each metric present in every fold. */
export function summarizeFolds(results: readonly MetricValues[]): { mean: MetricValues; std: MetricValues } {
  const mean: MetricValues = {};
  const std: MetricValues = {};
  const names = Object.keys(results[0] ?? {}).filter((name) => results.every((r) => Number.isFinite(r[name])));
  for (const name of names) {
    const m = results.reduce((s, r) => s + r[name], 0) / results.length;
    mean[name] = m;
    std[name] = Math.sqrt(results.reduce((s, r) => s + (r[name] - m) ** 2, 0) / results.length);
  }
  return { mean, std };
}

/**
 * K supervised runs; every inner event passes through (each fold's `start` names its run id
 * `<runId>-fold<k>`), each fold's `done` becomes a `kfold` event, and the last `done` carries the
 * mean of each metric and its standard deviation as `<metric>_std`. No checkpoints: a fold is short.
 */
export async function* trainKFold(run: SupervisedRun, k: number): AsyncGenerator<RunEvent> {
  const size = run.data.train.size;
  if (!Number.isInteger(k) || k < 2) throw new TrainingSetupError(`k-fold needs at least 2 folds, not ${k}.`);
  if (size < 2 * k) throw new TrainingSetupError(`k-fold with ${k} folds needs at least ${2 * k} samples; the dataset has ${size}.`);
  const seed = run.seed ?? run.project.training.seed;
  const folds = foldsFor(run.project, run.data.train, k, seed);
  const results: MetricValues[] = [];
  let steps = 0;
  let seconds = 0;
  for (let fold = 0; fold < k; fold++) {
    const inner = trainSupervised({ ...run, runId: `${run.runId}-fold${fold + 1}`, rows: folds[fold], checkpoints: undefined, resumeFrom: undefined });
    for await (const event of inner) {
      if (event.type === 'start') {
        yield { ...event, fold: fold + 1, folds: k };
        continue;
      }
      if (event.type !== 'done') {
        yield event;
        continue;
      }
      steps += event.step;
      seconds += event.seconds;
      if (event.status !== 'completed') {
        yield runEvent('done', { ...event, step: steps, seconds, message: `Fold ${fold + 1} of ${k} ${event.status}${event.message ? `: ${event.message}` : '.'}` });
        return;
      }
      results.push(event.metrics);
      yield runEvent('kfold', { fold: fold + 1, folds: k, metrics: event.metrics });
    }
  }
  const { mean, std } = summarizeFolds(results);
  yield runEvent('kfold', { fold: 0, folds: k, metrics: mean, mean, std });
  const metrics: MetricValues = { ...mean };
  for (const [name, s] of Object.entries(std)) metrics[`${name}_std`] = s;
  yield runEvent('done', { status: 'completed', step: steps, epochs: run.epochs ?? run.project.training.epochs, seconds, metrics });
}
