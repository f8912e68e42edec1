/**
 * @file Metrics for a task over an epoch or an evaluation: batches of (prediction, target) in,
 * named values out. Classification: accuracy, top-k, macro F1 (two classes: also AUC of the score
 * logit₁ − logit₀, which ranks as p(class 1) does); binary: accuracy (logit > 0), AUC;
 * regression: MAE, RMSE. The loss is averaged by sample count.
 */
import type { HostArray } from '../backends/backend';
import type { MetricValues } from './events';
import { AucAccumulator, ClassificationAccumulator, RegressionAccumulator } from './metrics';
import type { TaskKind } from './program';

export class TaskMetrics {
  private lossSum = 0;
  private count = 0;
  private readonly classification?: ClassificationAccumulator;
  private readonly auc?: AucAccumulator;
  private readonly regression?: RegressionAccumulator;
  private binaryHits = 0;
  /** logit₁ − logit₀ per row of a two-class batch (reused: update runs every step). */
  private margins = new Float32Array(0);

  constructor(readonly task: TaskKind) {
    if (task.kind === 'classification') this.classification = new ClassificationAccumulator(task.classes, Math.min(5, task.classes));
    if (task.kind === 'binary' || (task.kind === 'classification' && task.classes === 2)) this.auc = new AucAccumulator();
    if (task.kind === 'regression') this.regression = new RegressionAccumulator();
  }

  /** One batch: its mean loss, the prediction and the target of its `rows` samples. */
  update(meanLoss: number, rows: number, prediction: HostArray, target: ArrayLike<number>): void {
    this.lossSum += meanLoss * rows;
    this.count += rows;
    if (this.classification) {
      // one label per row, or per position (sequence models: logits [rows, T, k], labels [rows, T])
      const k = this.classification.numClasses;
      const positions = target.length > rows && prediction.length >= target.length * k ? target.length : Math.min(rows, target.length);
      this.classification.update(prediction.subarray(0, positions * k) as Float32Array, head(target, positions) as Int32Array);
      if (this.auc && prediction.length >= 2 * rows) {
        if (this.margins.length < rows) this.margins = new Float32Array(rows);
        const margins = this.margins.subarray(0, rows);
        for (let i = 0; i < rows; i++) margins[i] = prediction[2 * i + 1] - prediction[2 * i];
        this.auc.update(margins, head(target, rows));
      }
    } else if (this.auc) {
      for (let i = 0; i < rows; i++) if ((prediction[i] > 0 ? 1 : 0) === (target[i] !== 0 ? 1 : 0)) this.binaryHits++;
      this.auc.update(prediction.subarray(0, rows), head(target, rows));
    } else if (this.regression) {
      const n = Math.min(prediction.length, target.length);
      this.regression.update(prediction.subarray(0, n) as Float32Array, head(target, n));
    }
  }

  /** Rows: true class, columns: predicted class (classification only). */
  confusion(): number[][] | undefined {
    const c = this.classification;
    if (!c) return undefined;
    const k = c.numClasses;
    return Array.from({ length: k }, (_, row) => Array.from(c.confusion.subarray(row * k, row * k + k)));
  }

  get samples(): number {
    return this.count;
  }

  result(): MetricValues {
    const values: MetricValues = { loss: this.lossSum / Math.max(1, this.count) };
    if (this.classification) {
      const r = this.classification.result();
      values.accuracy = r.accuracy;
      values[`top${r.k}`] = r.topKAccuracy;
      values.f1 = r.macroF1;
      const auc = this.auc?.result();
      if (auc !== undefined && Number.isFinite(auc)) values.auc = auc;
    } else if (this.auc) {
      values.accuracy = this.binaryHits / Math.max(1, this.count);
      const auc = this.auc.result();
      if (Number.isFinite(auc)) values.auc = auc;
    } else if (this.regression) {
      const r = this.regression.result();
      values.mae = r.mae;
      values.rmse = r.rmse;
    }
    return values;
  }
}

/** The first `n` values: a view of a typed array (no copy on the per-step path), a copy otherwise. */
function head(values: ArrayLike<number>, n: number): ArrayLike<number> {
  if (values.length === n) return values;
  const typed = values as Partial<Pick<Int32Array, 'subarray'>>;
  return typeof typed.subarray === 'function' ? typed.subarray.call(values, 0, n) : Array.from({ length: n }, (_, i) => values[i]);
}
