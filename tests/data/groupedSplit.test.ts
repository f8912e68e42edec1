/** @file Splits keep a group (a machine, a patient) on one side: no leak between train and validation. */
import { describe, expect, it } from 'vitest';
import { trainValidationSplit } from '../../core/data';
import { loadBuiltinDataset } from '../../electron/services/datasets/builtin';

function groupsOf(rows: Int32Array, groups: Int32Array): Set<number> {
  return new Set([...rows].map((r) => groups[r]));
}

describe('grouped splits', () => {
  it('puts whole groups on one side, about the asked fraction, deterministically', () => {
    const groups = Int32Array.from({ length: 1000 }, (_, i) => Math.floor(i / 50)); // 20 groups of 50
    const { train, validation } = trainValidationSplit(1000, 0.2, 7, groups);
    expect(train.length + validation.length).toBe(1000);
    const held = groupsOf(validation, groups);
    for (const g of groupsOf(train, groups)) expect(held.has(g)).toBe(false);
    expect(validation.length).toBe(200);
    expect([...trainValidationSplit(1000, 0.2, 7, groups).validation]).toEqual([...validation]);
    expect([...trainValidationSplit(1000, 0.2, 8, groups).validation]).not.toEqual([...validation]);
  });

  it('keeps at least one group for training and one for validation', () => {
    const groups = Int32Array.from([0, 0, 0, 1]);
    const { train, validation } = trainValidationSplit(4, 0.9, 1, groups);
    expect(train.length).toBeGreaterThan(0);
    expect(validation.length).toBeGreaterThan(0);
  });

  it('splits the generated sensor windows by machine (the recipe passes the dataset groups)', async () => {
    const { train } = await loadBuiltinDataset('builtin:sensors', {}, 1);
    expect(train.groups).toBeDefined();
    const groups = train.groups!;
    const { train: rows, validation } = trainValidationSplit(train.size, 0.2, 1, groups);
    expect(validation.length).toBeGreaterThan(0);
    const held = groupsOf(validation, groups);
    for (const g of groupsOf(rows, groups)) expect(held.has(g)).toBe(false);
  });
});
