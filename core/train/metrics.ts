/**
 * @file Evaluation metrics: pure functions over typed arrays, and streaming accumulators that
 * take one batch at a time and give the epoch's value at the end.
 *
 * Conventions: `scores` is [n, numClasses] row-major (logits or probabilities: only their order
 * matters); `labels` and predicted classes are class ids (Int32Array, or integral floats).
 * Confusion matrix C[t·K + p] counts samples of true class t predicted as p (sklearn's layout).
 * Per class k: precision = C[k,k]/Σₜ C[t,k], recall = C[k,k]/Σₚ C[k,p], F1 = 2PR/(P+R); a zero
 * denominator gives 0 (sklearn zero_division=0). Macro averages run over the classes that occur
 * in the labels or the predictions (sklearn's default label set): a class absent from both is
 * reported with present = false and does not drag the average down.
 * ROC AUC (binary) = P(score of a random positive > score of a random negative) + ½·P(tie),
 * computed by the rank formula (Mann–Whitney U) with average ranks for tied scores.
 */

export type Scores = Float32Array | Float64Array;
export type ClassIds = Int32Array | Float32Array | Float64Array;

/** out[i] = argmax_k scores[i·K + k] (the first maximum on ties; NaN never wins). */
export function argmaxRows(scores: Scores, numClasses: number, out: Int32Array): Int32Array {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const row = i * numClasses;
    let best = 0;
    let m = scores[row];
    for (let k = 1; k < numClasses; k++) {
      const v = scores[row + k];
      if (v > m || m !== m) {
        m = v;
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Fraction of i with predicted[i] = labels[i] (NaN for no samples). */
export function accuracy(predicted: ClassIds, labels: ClassIds): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) hits++;
  return hits / labels.length;
}

/** Number of rows whose label's score is beaten (strictly) by fewer than k other classes. */
function topKHits(scores: Scores, numClasses: number, labels: ClassIds, k: number): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = i * numClasses;
    const s = scores[row + labels[i]];
    let above = 0;
    for (let c = 0; c < numClasses; c++) if (scores[row + c] > s) above++;
    if (above < k) hits++;
  }
  return hits;
}

/** Fraction of rows whose label is among the k highest scores (ties resolved in the label's favour). */
export function topKAccuracy(scores: Scores, numClasses: number, labels: ClassIds, k: number): number {
  return topKHits(scores, numClasses, labels, k) / labels.length;
}

/** Adds counts into `into` (K×K, rows = true class, columns = predicted); returns it. */
export function confusionMatrix(predicted: ClassIds, labels: ClassIds, numClasses: number, into: Float64Array = new Float64Array(numClasses * numClasses)): Float64Array {
  for (let i = 0; i < labels.length; i++) into[labels[i] * numClasses + predicted[i]]++;
  return into;
}

export interface ClassReport {
  precision: number[];
  recall: number[];
  f1: number[];
  /** Samples per true class. */
  support: number[];
  /** Class occurs in the labels or the predictions. */
  present: boolean[];
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  accuracy: number;
}

/** Per-class and macro precision / recall / F1 from a confusion matrix (see file doc). */
export function classReport(confusion: Float64Array, numClasses: number): ClassReport {
  const K = numClasses;
  const r: ClassReport = { precision: [], recall: [], f1: [], support: [], present: [], macroPrecision: 0, macroRecall: 0, macroF1: 0, accuracy: 0 };
  let presentCount = 0, diagonal = 0, total = 0;
  for (let k = 0; k < K; k++) {
    let predicted = 0, actual = 0;
    for (let t = 0; t < K; t++) predicted += confusion[t * K + k];
    for (let p = 0; p < K; p++) actual += confusion[k * K + p];
    const tp = confusion[k * K + k];
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = actual > 0 ? tp / actual : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    const present = predicted > 0 || actual > 0;
    r.precision.push(precision);
    r.recall.push(recall);
    r.f1.push(f1);
    r.support.push(actual);
    r.present.push(present);
    if (present) {
      presentCount++;
      r.macroPrecision += precision;
      r.macroRecall += recall;
      r.macroF1 += f1;
    }
    diagonal += tp;
    total += actual;
  }
  r.macroPrecision /= presentCount;
  r.macroRecall /= presentCount;
  r.macroF1 /= presentCount;
  r.accuracy = diagonal / total;
  return r;
}

/**
 * Binary ROC AUC from scores (higher = more positive) and labels (non-zero = positive), by the
 * rank formula: AUC = (Σ rank(positive) − P(P+1)/2) / (P·N) with average ranks over ties.
 * NaN when either class is missing.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0, rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    const rank = (start + 1 + end) / 2; // average of 1-based ranks start+1 … end
    for (let j = start; j < end; j++) {
      if (labels[order[j]] !== 0) {
        positives++;
        rankSum += rank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** mean |prediction − target|. */
export function meanAbsoluteError(prediction: Scores, target: Scores): number {
  let s = 0;
  for (let i = 0; i < target.length; i++) s += Math.abs(prediction[i] - target[i]);
  return s / target.length;
}

/** √(mean (prediction − target)²). */
export function rootMeanSquaredError(prediction: Scores, target: Scores): number {
  let s = 0;
  for (let i = 0; i < target.length; i++) s += (prediction[i] - target[i]) ** 2;
  return Math.sqrt(s / target.length);
}

/** Streaming classification metrics: accuracy, top-k, confusion, precision / recall / F1. */
export class ClassificationAccumulator {
  readonly confusion: Float64Array;
  private topK = 0;
  private count = 0;
  private predicted = new Int32Array(0);

  constructor(readonly numClasses: number, readonly k = 5) {
    this.confusion = new Float64Array(numClasses * numClasses);
  }

  /** Adds one batch: scores [n, numClasses] and n labels. */
  update(scores: Scores, labels: ClassIds): void {
    const n = labels.length;
    if (this.predicted.length < n) this.predicted = new Int32Array(n);
    const predicted = argmaxRows(scores, this.numClasses, this.predicted.subarray(0, n));
    confusionMatrix(predicted, labels, this.numClasses, this.confusion);
    this.topK += topKHits(scores, this.numClasses, labels, this.k);
    this.count += n;
  }

  result(): ClassReport & { topKAccuracy: number; k: number; count: number } {
    return { ...classReport(this.confusion, this.numClasses), topKAccuracy: this.topK / this.count, k: this.k, count: this.count };
  }

  reset(): void {
    this.confusion.fill(0);
    this.topK = 0;
    this.count = 0;
  }
}

/** Streaming binary ROC AUC: keeps every (score, label) of the epoch (AUC needs the full ranking). */
export class AucAccumulator {
  private scores = new Float64Array(1024);
  private labels = new Uint8Array(1024);
  private count = 0;

  /** Adds one batch of scores (one per sample) and 0/1 labels. */
  update(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
    const need = this.count + labels.length;
    if (need > this.scores.length) {
      const cap = Math.max(need, 2 * this.scores.length);
      const s = new Float64Array(cap);
      s.set(this.scores.subarray(0, this.count));
      const l = new Uint8Array(cap);
      l.set(this.labels.subarray(0, this.count));
      this.scores = s;
      this.labels = l;
    }
    for (let i = 0; i < labels.length; i++, this.count++) {
      this.scores[this.count] = scores[i];
      this.labels[this.count] = labels[i] !== 0 ? 1 : 0;
    }
  }

  result(): number {
    return rocAuc(this.scores.subarray(0, this.count), this.labels.subarray(0, this.count));
  }

  reset(): void {
    this.count = 0;
  }
}

/** Streaming MAE and RMSE (sums of |e| and e² in double). */
export class RegressionAccumulator {
  private absSum = 0;
  private sqSum = 0;
  private count = 0;

  update(prediction: Scores, target: ArrayLike<number>): void {
    for (let i = 0; i < target.length; i++) {
      const e = prediction[i] - target[i];
      this.absSum += Math.abs(e);
      this.sqSum += e * e;
    }
    this.count += target.length;
  }

  result(): { mae: number; rmse: number; count: number } {
    return { mae: this.absSum / this.count, rmse: Math.sqrt(this.sqSum / this.count), count: this.count };
  }

  reset(): void {
    this.absSum = this.sqSum = this.count = 0;
  }
}
