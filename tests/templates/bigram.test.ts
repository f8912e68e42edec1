/** @file The bigram baseline against hand-computed values on a tiny text. */
import { describe, expect, it } from 'vitest';
import { importText } from '../../core/data/text';
import { BigramModel } from '../../core/train/bigram';

const fields = { tokens: 'tokens', next: 'next' };

describe('bigram baseline', () => {
  it('counts consecutive pairs of the training windows and scores another split by cross-entropy', () => {
    // vocabulary a, b; 12 characters, the last quarter (from 9) is the test split
    const { train, test } = importText('abababababab', 'toy', { level: 'char', length: 2, stride: 2 }, 0.25);
    const model = BigramModel.fit(train, fields, 2, 0.5);
    // train windows start at 0, 2, 4, 6: pairs (a,b) (b,a) each, so a → b n = 4 times: p(b|a) = (n + α)/(n + 2α)
    const n = 4;
    expect(model.probability(0, 1)).toBeCloseTo((n + 0.5) / (n + 1), 12);
    expect(model.probability(0, 0)).toBeCloseTo(0.5 / (n + 1), 12);
    expect(test).toBeDefined();
    // the test window (start 9) holds (b,a) and (a,b), each with p = (n + α)/(n + 2α)
    expect(model.loss(test!, fields)).toBeCloseTo(-Math.log((n + 0.5) / (n + 1)), 12);
  });

  it('is ln V for a model that has seen nothing (uniform)', () => {
    const { train } = importText('abcabc', 'toy', { level: 'char', length: 2 }, 0);
    const empty = BigramModel.fit({ ...train, size: 0, fields: train.fields, name: 'none', gather: () => {} }, fields, 3);
    expect(empty.loss(train, fields)).toBeCloseTo(Math.log(3), 12);
  });
});
