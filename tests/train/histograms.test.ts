/** @file Weight and activation histograms at epoch end: fixed bins, finite values only, one per layer output. */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../core/backends';
import { makeBlobs } from '../../core/data';
import { findTemplate } from '../../core/templates';
import { activationHistograms, histogramOf } from '../../core/train/evaluation';
import type { RunEvent } from '../../core/train/events';
import { trainSupervised } from '../../core/train/supervised';

describe('histograms', () => {
  it('bins finite values over [min, max] and leaves NaN and infinities out', () => {
    const h = histogramOf('w', [0, 1, 2, 3, Number.NaN, Infinity, 4]);
    expect(h.min).toBe(0);
    expect(h.max).toBe(4);
    expect(h.bins.reduce((a, b) => a + b, 0)).toBe(5);
    expect(h.bins[0]).toBe(1);
    expect(h.bins.at(-1)).toBe(1);
    expect(histogramOf('empty', [Number.NaN]).bins.every((c) => c === 0)).toBe(true);
  });

  it('names activations by node, and by node.port beyond a layer’s first output', () => {
    const names = activationHistograms([
      { nodeId: 'dense', port: 'out', values: [1, 2] },
      { nodeId: 'lstm', port: 'out', values: [0] },
      { nodeId: 'lstm', port: 'state', values: [0] },
    ]).map((h) => h.name);
    expect(names).toEqual(['dense', 'lstm', 'lstm.state']);
  });

  it('a training run reports weight and activation histograms at every epoch end', async () => {
    const project = findTemplate('neuron')!.build('N');
    const events: RunEvent[] = [];
    for await (const e of trainSupervised({ runId: 'r', project, data: { train: makeBlobs(64, 1) }, backend: createBackend('cpu'), backendReport: { kind: 'cpu', detail: 'test', reason: 'test' }, epochs: 2 })) events.push(e);
    const histograms = events.filter((e): e is Extract<RunEvent, { type: 'histograms' }> => e.type === 'histograms');
    expect(histograms).toHaveLength(2);
    const last = histograms[1];
    expect(last.layers.map((l) => l.name).sort()).toEqual(['neuron.bias', 'neuron.kernel']);
    expect(last.activations?.map((a) => a.name)).toEqual(['neuron']);
    expect(last.activations![0].bins.reduce((a, b) => a + b, 0)).toBe(project.training.batchSize);
  });
});
