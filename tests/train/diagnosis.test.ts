/** @file FitDiagnosis on planted numbers: gradient norms that explode or vanish, dead ReLUs, each said once; state survives a checkpoint round trip. */
import { describe, expect, it } from 'vitest';
import { FitDiagnosis } from '../../core/train/diagnosis';

const task = { kind: 'classification', classes: 10 } as const;

describe('FitDiagnosis', () => {
  it('flags exploding gradients once, with a suggestion', () => {
    const d = new FitDiagnosis(task);
    expect(d.step(1, 2.3, 5)).toEqual([]);
    const [w] = d.step(2, 2.2, 5e4);
    expect(w).toMatchObject({ code: 'W_EXPLODING_GRADIENTS', step: 2, suggestion: expect.stringMatching(/clip/i) });
    expect(d.step(3, 2.2, 6e4)).toEqual([]);
  });

  it('flags vanishing gradients after a window of tiny norms while the loss stays high', () => {
    const d = new FitDiagnosis(task);
    const said = Array.from({ length: 25 }, (_, i) => d.step(i + 1, 2.3, 1e-9)).flat();
    expect(said.map((w) => w.code)).toEqual(['W_VANISHING_GRADIENTS']);
    expect(said[0].step).toBe(20);
  });

  it('flags a mostly dead ReLU by node', () => {
    const d = new FitDiagnosis(task);
    expect(d.activations(10, { relu1: 0.5 })).toEqual([]);
    expect(d.activations(20, { relu1: 0.5, relu2: 0.97 })).toEqual([expect.objectContaining({ code: 'W_DEAD_RELU', nodeId: 'relu2', message: expect.stringMatching(/97%/) })]);
  });

  it('restores what it has said and seen from a snapshot (resumed runs do not repeat themselves)', () => {
    const d = new FitDiagnosis(task);
    d.step(1, 2.3, 5e4);
    const copy = new FitDiagnosis(task);
    copy.restore(JSON.parse(JSON.stringify(d.snapshot())));
    expect(copy.step(2, 2.2, 6e4)).toEqual([]);
  });
});
