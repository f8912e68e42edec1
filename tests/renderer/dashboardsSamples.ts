/** @file Example RunEvents for the dashboard tests: one of every type, and a short run. */
import { runEvent, type RunEvent, type RunEventType } from '../../core/train/events';
import type { EventOf } from '../../renderer/dashboards/runView';

/** One example of every event type: the mapped type makes a missing type a compile error here too. */
export const sampleEvents: { [T in RunEventType]: EventOf<T> } = {
  start: runEvent('start', { runId: 'r1', project: 'P', recipe: 'supervised', backend: { kind: 'cpu', detail: 'float32', reason: 'auto' }, seed: 1, epochs: 2, batchSize: 32, stepsPerEpoch: 10, trainSamples: 320, validationSamples: 32, parameters: 1000 }),
  step: runEvent('step', { step: 1, epoch: 1, loss: 2.3, learningRate: 1e-3, samplesPerSecond: 500, gradientNorm: 1.5, etaSeconds: 12 }),
  epoch: runEvent('epoch', { epoch: 1, step: 10, seconds: 1, train: { loss: 1.1, accuracy: 0.6 }, validation: { loss: 1.2, accuracy: 0.55 } }),
  evaluation: runEvent('evaluation', { split: 'test', step: 20, metrics: { loss: 1, accuracy: 0.7 } }),
  checkpoint: runEvent('checkpoint', { step: 10, epoch: 1, path: 'runs/r1/checkpoint' }),
  warning: runEvent('warning', { code: 'W_OVERFITTING', message: 'Overfitting: validation loss rose.', suggestion: 'Add dropout.', step: 30 }),
  done: runEvent('done', { status: 'failed', step: 20, epochs: 2, seconds: 3, metrics: { loss: 0.9 }, message: 'NaN at step 20', resumable: true }),
  resumed: runEvent('resumed', { step: 10, epoch: 1, stepInEpoch: 0, from: 'runs/r1/checkpoint' }),
  histograms: runEvent('histograms', { epoch: 1, step: 10, layers: [{ name: 'dense.kernel', min: -1, max: 1, bins: [1, 4, 9, 4, 1] }] }),
  confusion: runEvent('confusion', { split: 'validation', epoch: 1, classes: ['0', '1'], matrix: [[5, 1], [2, 4]] }),
  predictions: runEvent('predictions', { split: 'validation', epoch: 1, kind: 'classification', items: [{ input: [0, 1, 1, 0], inputShape: [2, 2, 1], predicted: 1, actual: 1 }] }),
  samples: runEvent('samples', { epoch: 1, step: 10, shape: [2, 2], images: [[0, 0.5, 1, 0.25]] }),
  kfold: runEvent('kfold', { fold: 1, folds: 3, metrics: { loss: 0.5 } }),
  decisionBoundary: runEvent('decisionBoundary', { epoch: 1, step: 10, xRange: [-2, 2], yRange: [-1, 1], size: 2, probabilities: [[0.1, 0.9], [0.2, 0.8]], points: [{ x: 0.5, y: 0, label: 1 }], weights: [1, 0], bias: 0 }),
  text: runEvent('text', { epoch: 1, step: 10, prompts: ['Once'], samples: [' upon a time'], temperature: 0.8, baselineLoss: 2.5 }),
};


/** A supervised run of `epochs` epochs, `steps` steps each, with a loss that falls and a validation loss that turns up. */
export function shortRun(runId: string, epochs = 3, steps = 5, seed = 1): RunEvent[] {
  const events: RunEvent[] = [{ ...sampleEvents.start, runId, epochs, stepsPerEpoch: steps, seed }];
  let step = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let i = 0; i < steps; i++) {
      step++;
      events.push(runEvent('step', { step, epoch, loss: 2 / step, learningRate: 1e-3, samplesPerSecond: 400 + step, gradientNorm: 1 / step, etaSeconds: (epochs * steps - step) / 10 }));
    }
    events.push(runEvent('epoch', { epoch, step, seconds: 1, train: { loss: 1 / epoch, accuracy: 0.5 + epoch / 10 }, validation: { loss: 0.8 + epoch / 20, accuracy: 0.5 + epoch / 20 } }));
  }
  return events;
}
