/** @file Metrics of sequence classifiers (language models): every position counts, not only the first rows. */
import { describe, expect, it } from 'vitest';
import { TaskMetrics } from '../../core/train/taskMetrics';

describe('TaskMetrics on [rows, T, classes] logits', () => {
  it('scores every position of every row', () => {
    const m = new TaskMetrics({ kind: 'classification', classes: 3 });
    // 2 rows × 2 positions; predictions (argmax) 0, 1 | 2, 2; labels 0, 1 | 2, 0 → 3 of 4 right
    const logits = Float32Array.from([5, 0, 0, 0, 5, 0, 0, 0, 5, 0, 0, 5]);
    m.update(1, 2, logits, Int32Array.from([0, 1, 2, 0]));
    expect(m.result().accuracy).toBe(0.75);
  });

  it('two-class classifiers also report ROC AUC of logit1 − logit0', () => {
    const m = new TaskMetrics({ kind: 'classification', classes: 2 });
    // scores 1 − 0 = 1, 0 − 1 = −1, 2 − 0 = 2, 0 − 0.5 = −0.5 with labels 1, 0, 1, 0: perfectly ranked
    m.update(0.5, 4, Float32Array.from([0, 1, 1, 0, 0, 2, 0.5, 0]), Int32Array.from([1, 0, 1, 0]));
    expect(m.result().auc).toBe(1);
  });
});
