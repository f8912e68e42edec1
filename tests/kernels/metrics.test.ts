/** @file core/train/metrics and schedules against hand-computed cases. */
import { describe, expect, it } from 'vitest';
import {
  AucAccumulator, ClassificationAccumulator, RegressionAccumulator, accuracy, argmaxRows, classReport,
  confusionMatrix, meanAbsoluteError, rocAuc, rootMeanSquaredError, topKAccuracy,
} from '../../core/train/metrics';
import { learningRateAt, type Schedule } from '../../core/train/schedules';

describe('classification metrics', () => {
  // 4 classes; class 3 never occurs. Confusion (rows true): t0 → [1,1,0,0], t1 → [0,2,0,0], t2 → [1,0,1,0].
  const labels = new Int32Array([0, 0, 1, 1, 2, 2]);
  const predicted = new Int32Array([0, 1, 1, 1, 2, 0]);

  it('accuracy, confusion, per-class and macro P/R/F1 with an absent class', () => {
    expect(accuracy(predicted, labels)).toBeCloseTo(4 / 6, 15);
    const c = confusionMatrix(predicted, labels, 4);
    expect(Array.from(c)).toEqual([1, 1, 0, 0, 0, 2, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
    const r = classReport(c, 4);
    // class 0: P = 1/2, R = 1/2, F1 = 1/2; class 1: P = 2/3, R = 1, F1 = 0.8; class 2: P = 1, R = 1/2, F1 = 2/3
    expect(r.precision).toEqual([0.5, 2 / 3, 1, 0]);
    expect(r.recall).toEqual([0.5, 1, 0.5, 0]);
    expect(r.f1[0]).toBeCloseTo(0.5, 15);
    expect(r.f1[1]).toBeCloseTo(0.8, 15);
    expect(r.f1[2]).toBeCloseTo(2 / 3, 15);
    expect(r.present).toEqual([true, true, true, false]);
    expect(r.support).toEqual([2, 2, 2, 0]);
    // macro over the 3 present classes (sklearn default labels)
    expect(r.macroPrecision).toBeCloseTo((0.5 + 2 / 3 + 1) / 3, 15);
    expect(r.macroRecall).toBeCloseTo(2 / 3, 15);
    expect(r.macroF1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 15);
    expect(r.accuracy).toBeCloseTo(4 / 6, 15);
  });

  it('a class only predicted counts in the macro average with precision 0', () => {
    const r = classReport(confusionMatrix(new Int32Array([0, 2]), new Int32Array([0, 0]), 3), 3);
    expect(r.present).toEqual([true, false, true]);
    expect(r.macroPrecision).toBeCloseTo(0.5, 15); // (1 + 0)/2
    expect(r.macroRecall).toBeCloseTo(0.25, 15); // (1/2 + 0)/2
  });

  it('argmax (first max) and top-k (ties in the label’s favour)', () => {
    const scores = new Float64Array([0.1, 0.5, 0.4, 0.3, 0.3, 0.4, 0.9, 0.05, 0.05]);
    const l = new Int32Array([2, 0, 1]);
    expect(Array.from(argmaxRows(scores, 3, new Int32Array(3)))).toEqual([1, 2, 0]);
    expect(argmaxRows(new Float64Array([2, 2, 1]), 3, new Int32Array(1))[0]).toBe(0);
    expect(topKAccuracy(scores, 3, l, 1)).toBe(0);
    expect(topKAccuracy(scores, 3, l, 2)).toBe(1);
  });

  it('the streaming accumulator equals the one-shot functions', () => {
    const acc = new ClassificationAccumulator(3, 2);
    acc.update(new Float32Array([0.1, 0.5, 0.4, 0.3, 0.3, 0.4]), new Int32Array([2, 0]));
    acc.update(new Float32Array([0.9, 0.05, 0.05]), new Int32Array([1]));
    const r = acc.result();
    expect(r.count).toBe(3);
    expect(r.accuracy).toBe(0);
    expect(r.topKAccuracy).toBe(1);
    expect(Array.from(acc.confusion)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
  });
});

describe('ROC AUC', () => {
  it('rank formula with ties counts a tied pair as 1/2', () => {
    // positives 0.35, 0.8, 0.4 vs negatives 0.1, 0.4: wins 1 + 2 + 1.5 = 4.5 of 6 pairs
    expect(rocAuc([0.1, 0.4, 0.35, 0.8, 0.4], [0, 0, 1, 1, 1])).toBeCloseTo(0.75, 15);
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 15); // sklearn's doc example
    expect(rocAuc([0.5, 0.5, 0.5], [0, 1, 1])).toBe(0.5);
    expect(rocAuc([1, 2, 3], [0, 0, 0])).toBeNaN();
  });

  it('the streaming accumulator grows past its initial capacity', () => {
    const acc = new AucAccumulator();
    const s = Float64Array.from({ length: 3000 }, (_, i) => i);
    const l = Float64Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    acc.update(s.subarray(0, 1000), l.subarray(0, 1000));
    acc.update(s.subarray(1000), l.subarray(1000));
    expect(acc.result()).toBeCloseTo(rocAuc(s, l), 15);
  });
});

describe('regression metrics', () => {
  it('MAE and RMSE, one-shot and streaming', () => {
    const p = new Float64Array([1, 2, 3]), t = new Float64Array([1.5, 2, 5]);
    expect(meanAbsoluteError(p, t)).toBeCloseTo(2.5 / 3, 15);
    expect(rootMeanSquaredError(p, t)).toBeCloseTo(Math.sqrt(4.25 / 3), 15);
    const acc = new RegressionAccumulator();
    acc.update(p.subarray(0, 2), t.subarray(0, 2));
    acc.update(p.subarray(2), t.subarray(2));
    expect(acc.result().mae).toBeCloseTo(2.5 / 3, 15);
    expect(acc.result().rmse).toBeCloseTo(Math.sqrt(4.25 / 3), 15);
  });
});

describe('learning-rate schedules', () => {
  const at = (s: Schedule, steps: number[]) => steps.map((t) => learningRateAt(s, t));
  it('constant with linear warm-up', () => {
    expect(at({ kind: 'constant', learningRate: 0.1, warmupSteps: 4 }, [0, 1, 3, 10])).toEqual([0.025, 0.05, 0.1, 0.1]);
  });
  it('step decay', () => {
    const lr = at({ kind: 'step', learningRate: 0.1, stepSize: 10, gamma: 0.5 }, [0, 9, 10, 25]);
    expect(lr.map((v) => +v.toPrecision(12))).toEqual([0.1, 0.1, 0.05, 0.025]);
    // decay clock starts after warm-up
    expect(learningRateAt({ kind: 'step', learningRate: 0.1, stepSize: 10, gamma: 0.5, warmupSteps: 5 }, 14)).toBe(0.1);
  });
  it('exponential per step and per epoch', () => {
    expect(learningRateAt({ kind: 'exponential', learningRate: 0.1, gamma: 0.9, per: 'step' }, 2)).toBeCloseTo(0.081, 15);
    const e: Schedule = { kind: 'exponential', learningRate: 0.1, gamma: 0.9, per: 'epoch', stepsPerEpoch: 100 };
    expect(at(e, [99, 100, 250]).map((v) => +v.toPrecision(12))).toEqual([0.1, 0.09, 0.081]);
  });
  it('cosine to the minimum over totalSteps, warm-up included', () => {
    const c: Schedule = { kind: 'cosine', learningRate: 0.1, minLearningRate: 0.001, totalSteps: 110, warmupSteps: 10 };
    expect(learningRateAt(c, 4)).toBeCloseTo(0.05, 15);
    expect(learningRateAt(c, 10)).toBeCloseTo(0.1, 15);
    expect(learningRateAt(c, 35)).toBeCloseTo(0.001 + 0.099 * 0.5 * (1 + Math.SQRT1_2), 15);
    expect(learningRateAt(c, 60)).toBeCloseTo(0.0505, 15);
    expect(learningRateAt(c, 110)).toBeCloseTo(0.001, 15);
    expect(learningRateAt(c, 500)).toBeCloseTo(0.001, 15);
  });
});
