/** @file Dashboard data layer: every RunEvent type folds and calls for its panels, ring buffers, the redraw throttle, chart columns, settings diff. */
import { describe, expect, it } from 'vitest';
import { runEvent, type RunEvent, type RunEventType } from '../../core/train/events';
import { formatValue } from '../../renderer/dashboards/chartTheme';
import { applyRunEvents, eventTable } from '../../renderer/dashboards/eventTable';
import { PANEL_IDS } from '../../renderer/dashboards/panelIds';
import { createRedrawThrottle, type Timers } from '../../renderer/dashboards/redrawThrottle';
import { RingSeries } from '../../renderer/dashboards/ringBuffer';
import { createRunView, keyMetrics } from '../../renderer/dashboards/runView';
import { epochTable, joinTables, lossTable, overlayTable, stepTable } from '../../renderer/dashboards/seriesData';
import { imageLayout, imagePixels, seriesLayout } from '../../renderer/dashboards/panels/ImageCanvas';
import { boundaryLine } from '../../renderer/dashboards/panels/SurfacePanels';
import { runSettings, settingsDiff } from '../../renderer/runs/settingsDiff';
import { sampleEvents } from './dashboardsSamples';

describe('event → panel table', () => {
  it('has an entry for every event type, and each one folds into the run', () => {
    const types = Object.keys(sampleEvents) as RunEventType[];
    expect(Object.keys(eventTable).sort()).toEqual([...types].sort());
    for (const type of types) {
      const run = createRunView('r1');
      applyRunEvents(run, [sampleEvents[type]]);
      expect(run.version, type).toBe(1);
      // Each event changes something a view reads.
      const touched = {
        start: run.start !== undefined && run.status === 'running',
        step: run.steps.length === 1 && run.lastStep !== undefined,
        epoch: run.epochs.length === 1,
        evaluation: run.evaluations.length === 1,
        checkpoint: run.checkpoints.length === 1,
        warning: run.warnings.length === 1,
        done: run.status === 'failed' && run.done?.message === 'NaN at step 20',
        resumed: run.resumes.length === 1 && run.status === 'running',
        histograms: run.histograms !== undefined,
        confusion: run.confusion !== undefined,
        predictions: run.classification !== undefined,
        samples: run.samples.length === 1,
        kfold: run.kfold.length === 1,
        decisionBoundary: run.decisionBoundary?.size === 2,
        text: run.texts.length === 1,
      } satisfies Record<RunEventType, boolean>;
      expect(touched[type], type).toBe(true);
      for (const panel of run.panels) expect(PANEL_IDS).toContain(panel);
    }
  });

  it('calls for the panels the events carry data for', () => {
    const panelsOf = (...events: RunEvent[]) => {
      const run = createRunView('r');
      applyRunEvents(run, events);
      return [...run.panels].sort();
    };
    expect(panelsOf(runEvent('step', { step: 1, epoch: 1, loss: 1, learningRate: 0.1, samplesPerSecond: 10 }))).toEqual(['learningRate', 'loss', 'throughput']);
    expect(panelsOf(sampleEvents.step)).toContain('gradientNorm');
    // An adversarial run: both losses in their own panel, no plain loss panel, epoch metrics by name.
    expect(
      panelsOf(
        { ...sampleEvents.start, recipe: 'adversarial' },
        runEvent('step', { step: 1, epoch: 1, loss: 1, learningRate: 0.1, samplesPerSecond: 10, generatorLoss: 1, discriminatorLoss: 0.5 }),
        runEvent('epoch', { epoch: 1, step: 1, seconds: 1, train: { generator_loss: 1, discriminator_loss: 0.5 } }),
      ),
    ).toEqual(['ganLosses', 'learningRate', 'metrics', 'throughput']);
    expect(panelsOf(runEvent('epoch', { epoch: 1, step: 5, seconds: 1, train: { loss: 1 } }))).toEqual(['loss']);
    expect(panelsOf(sampleEvents.epoch)).toEqual(['loss', 'metrics']);
    expect(panelsOf(runEvent('predictions', { split: 'validation', epoch: 1, kind: 'regression', items: [{ predicted: 1, actual: 2 }] }))).toEqual(['regression']);
    expect(panelsOf(sampleEvents.warning)).toEqual(['diagnosis']);
    expect(panelsOf(sampleEvents.checkpoint, sampleEvents.done)).toEqual([]);
  });

  it('a k-fold run\'s next fold starts its curves again (steps and epochs from 1); finished folds stay in the cross-validation table', () => {
    const run = createRunView('k');
    const fold = (n: number) => ({ ...sampleEvents.start, fold: n, folds: 3 });
    const step = (s: number) => runEvent('step', { step: s, epoch: 1, loss: 1 / s, learningRate: 0.1, samplesPerSecond: 10 });
    applyRunEvents(run, [fold(1), step(1), step(2), runEvent('epoch', { epoch: 1, step: 2, seconds: 1, train: { loss: 0.5 }, validation: { loss: 0.6 } })]);
    applyRunEvents(run, [runEvent('kfold', { fold: 1, folds: 3, metrics: { val_loss: 0.6 } })]);
    expect([run.steps.length, run.epochs.length]).toEqual([2, 1]);
    // a log replayed into the same view does not clear the fold it is in
    applyRunEvents(run, [fold(1)]);
    expect(run.steps.length).toBe(2);
    applyRunEvents(run, [fold(2), step(1)]);
    expect([run.steps.length, run.epochs.length, run.lastStep?.step]).toEqual([1, 0, 1]);
    expect(run.kfold.map((f) => f.fold)).toEqual([1]);
    expect(run.start?.fold).toBe(2);
  });

  it('counts events of a type this build does not know instead of throwing', () => {
    const run = createRunView('r');
    const stranger = { type: 'telemetry', v: 2 } as unknown as RunEvent;
    expect(applyRunEvents(run, [stranger, sampleEvents.step])).toEqual({ unknown: 1 });
    expect(run.steps.length).toBe(1);
  });

  it('does not pin a warning twice when a log is replayed, and a newer epoch report replaces the old', () => {
    const run = createRunView('r');
    applyRunEvents(run, [sampleEvents.warning, sampleEvents.epoch]);
    applyRunEvents(run, [sampleEvents.warning, { ...sampleEvents.epoch, train: { loss: 0.9 } }]);
    expect(run.warnings).toHaveLength(1);
    expect(run.epochs).toHaveLength(1);
    expect(run.epochs[0]?.train.loss).toBe(0.9);
    expect(keyMetrics(run)).toEqual({ 'val loss': 1.2, 'val accuracy': 0.55 });
  });
});

describe('number format', () => {
  it('reads k below a million, M below a billion, exponents beyond, with no "e+3k" at the edges', () => {
    expect(formatValue(540_123)).toBe('540k');
    // a GAN's 1.2 million parameters read "1.20e+3k" before
    expect(formatValue(1_204_353)).toBe('1.20M');
    expect(formatValue(999_600)).toBe('1.00M');
    expect(formatValue(999_400)).toBe('999k');
    expect(formatValue(12_345_678)).toBe('12.3M');
    expect(formatValue(2.5e9)).toBe('2.50e+9');
    expect(formatValue(0.9807, '%')).toBe('0.9807%');
    expect(formatValue(1234)).toBe('1234');
    expect(formatValue(2e-5)).toBe('2.00e-5');
    expect(formatValue(undefined)).toBe('–');
  });
});

describe('decision boundary line', () => {
  it('clips w·x + b = 0 to the plotted box', () => {
    const base = { ...sampleEvents.decisionBoundary, xRange: [-2, 2] as [number, number], yRange: [-1, 1] as [number, number] };
    // x = 0.5 (vertical): from the bottom edge to the top edge.
    expect(boundaryLine({ ...base, weights: [2, 0], bias: -1 })).toEqual([
      [0.5, -1],
      [0.5, 1],
    ]);
    // y = x / 2 crosses the left and right edges.
    expect(boundaryLine({ ...base, weights: [1, -2], bias: 0 })).toEqual([
      [-2, -1],
      [2, 1],
    ]);
    // Outside the box, or no linear unit: no line.
    expect(boundaryLine({ ...base, weights: [1, 0], bias: -5 })).toBeNull();
    expect(boundaryLine({ ...base, weights: undefined })).toBeNull();
  });
});

describe('small inputs: image or series', () => {
  it('draws pictures as images and sensor windows as lines', () => {
    expect(imageLayout([28, 28, 1], 784)).toEqual({ height: 28, width: 28, channels: 1, channelFirst: false });
    expect(imageLayout([1, 28, 28], 784)).toEqual({ height: 28, width: 28, channels: 1, channelFirst: false });
    expect(imageLayout([3, 8, 8], 192)).toEqual({ height: 8, width: 8, channels: 3, channelFirst: true });
    expect(imageLayout([30, 6], 180)).toBeNull();
    expect(seriesLayout([30, 6], 180)).toEqual({ steps: 30, channels: 6 });
    expect(seriesLayout([50], 50)).toEqual({ steps: 50, channels: 1 });
    expect(seriesLayout([28, 28], 784)).toBeNull();
    expect(imageLayout([28, 28], 100)).toBeNull();
    // 0..1 values are used as they are; others are stretched from min..max.
    expect([...imagePixels([0, 1], { height: 1, width: 2, channels: 1, channelFirst: false })]).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    expect([...imagePixels([-2, 2], { height: 1, width: 2, channels: 1, channelFirst: false })]).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  });
});

describe('RingSeries', () => {
  it('keeps the newest rows oldest first, with gaps as null', () => {
    const ring = new RingSeries(3, 2);
    ring.push(1, [10, undefined]);
    ring.push(2, [20, 2]);
    expect(ring.columns()).toEqual([
      [1, 2],
      [10, 20],
      [null, 2],
    ]);
    ring.push(3, [30, Number.NaN]);
    ring.push(4, [40, 4]);
    ring.push(5, [50, 5]);
    expect(ring.length).toBe(3);
    expect(ring.total).toBe(5);
    expect(ring.columns()).toEqual([
      [3, 4, 5],
      [30, 40, 50],
      [null, 4, 5],
    ]);
    expect(ring.last(0)).toBe(50);
    expect(ring.first(1)).toBe(4);
    expect(ring.columns([1])).toEqual([
      [3, 4, 5],
      [null, 4, 5],
    ]);
    expect(ring.lastX()).toBe(5);
    expect(ring.hasValues(1)).toBe(true);
  });

  it('never grows past its capacity', () => {
    const ring = new RingSeries(100, 1);
    for (let i = 0; i < 10_000; i++) ring.push(i, [i * 2]);
    const [xs, ys] = ring.columns();
    expect(xs).toHaveLength(100);
    expect(xs[0]).toBe(9900);
    expect(ys?.[99]).toBe(19998);
    expect(() => new RingSeries(0, 1)).toThrow(/capacity/);
  });
});

function fakeTimers() {
  let now = 0;
  const queue: { at: number; callback: () => void; id: number }[] = [];
  let nextId = 1;
  const timers: Timers = {
    now: () => now,
    setTimeout: (callback, ms) => {
      const id = nextId++;
      queue.push({ at: now + ms, callback, id });
      return id;
    },
    clearTimeout: (id) => {
      const at = queue.findIndex((t) => t.id === id);
      if (at >= 0) queue.splice(at, 1);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      queue.sort((a, b) => a.at - b.at);
      const next = queue[0];
      if (!next || next.at > until) break;
      queue.shift();
      now = next.at;
      next.callback();
    }
    now = until;
  };
  return { timers, advance };
}

describe('redraw throttle', () => {
  it('draws at most once per interval and never loses the last request', () => {
    const { timers, advance } = fakeTimers();
    let draws = 0;
    const throttle = createRedrawThrottle(() => draws++, 100, timers);
    // 1000 batches over one second, one per millisecond.
    for (let t = 0; t < 1000; t++) {
      throttle.request();
      advance(1);
    }
    advance(200);
    expect(draws).toBeGreaterThanOrEqual(10);
    expect(draws).toBeLessThanOrEqual(11);
    // A lone request after quiet draws at once.
    advance(500);
    throttle.request();
    expect(draws).toBeLessThanOrEqual(12);
    const before = draws;
    throttle.request();
    throttle.cancel();
    advance(500);
    expect(draws).toBe(before);
  });
});

describe('chart columns', () => {
  it('joins tables on x with nulls where a series has no value', () => {
    expect(
      joinTables([
        [
          [1, 3],
          [10, 30],
        ],
        [[2, 3], [0.2, 0.3], [5, null]],
      ]),
    ).toEqual([
      [1, 2, 3],
      [10, null, 30],
      [null, 0.2, 0.3],
      [null, 5, null],
    ]);
  });

  it('joins out-of-order and repeated x (a replayed resume) with the later value winning', () => {
    expect(
      joinTables([
        [
          [1, 3, 2, 3],
          [10, 30, 20, 31],
        ],
        [[2], [0.2]],
      ]),
    ).toEqual([
      [1, 2, 3],
      [10, 20, 31],
      [null, 0.2, null],
    ]);
  });

  it('places epoch losses at the step their epoch ended, and overlays runs', () => {
    const a = createRunView('a');
    const b = createRunView('b');
    const step = (s: number, loss: number) => runEvent('step', { step: s, epoch: 1, loss, learningRate: 0.1, samplesPerSecond: 1 });
    applyRunEvents(a, [step(1, 3), step(2, 2), runEvent('epoch', { epoch: 1, step: 2, seconds: 1, train: { loss: 2.5 }, validation: { loss: 2.7 } })]);
    applyRunEvents(b, [step(1, 4), step(3, 1)]);
    expect(lossTable(a)).toEqual([
      [1, 2],
      [3, 2],
      [null, 2.5],
      [null, 2.7],
    ]);
    expect(epochTable(a, 'loss')).toEqual([[1], [2.5], [2.7]]);
    expect(overlayTable([a, b], (r) => stepTable(r, ['loss']) as [number[], (number | null)[]])).toEqual([
      [1, 2, 3],
      [3, 2, null],
      [4, null, 1],
    ]);
  });
});

describe('settings diff', () => {
  it('lists only the settings that differ between runs', () => {
    const a = createRunView('a');
    const b = createRunView('b');
    applyRunEvents(a, [sampleEvents.start]);
    applyRunEvents(b, [{ ...sampleEvents.start, runId: 'b', seed: 7 }, { ...sampleEvents.step, learningRate: 3e-4 }]);
    const diff = settingsDiff([runSettings(a, { runId: 'a', epochs: 2 }), runSettings(b, { runId: 'b', epochs: 5, settings: { optimizer: { learningRate: 0.01 } } })]);
    expect(diff).toEqual([
      { key: 'epochs', values: ['2', '5'] },
      { key: 'learningRate (first logged step)', values: ['–', '0.0003'] },
      { key: 'optimizer.learningRate', values: ['–', '0.01'] },
      { key: 'seed', values: ['1', '7'] },
    ]);
  });
});
