/** @file A run that breaks mid-way ends as a failed `done` event naming the step; setup errors still throw. */
import { describe, expect, it } from 'vitest';
import { GpuBackendError } from '../../core/backends/webgpu/errors';
import { runEvent, type RunEvent } from '../../core/train/events';
import { failuresAsEvents } from '../../core/train/failures';

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const e of events) all.push(e);
  return all;
}

const start = runEvent('start', { runId: 'r', project: 'p', recipe: 'supervised', backend: { kind: 'webgpu', detail: 'test', reason: 'test' }, seed: 1, epochs: 2, batchSize: 4, stepsPerEpoch: 3, trainSamples: 12, validationSamples: 0, parameters: 3 });

describe('failuresAsEvents', () => {
  it('turns an error after the start into a warning and a failed done event naming the step', async () => {
    async function* breaksAtStep3(): AsyncGenerator<RunEvent> {
      yield start;
      for (let step = 1; step <= 3; step++) yield runEvent('step', { step, epoch: 1, loss: 1 / step, learningRate: 0.1, samplesPerSecond: 100 });
      throw new GpuBackendError('device-lost', 'The GPU device was lost (the driver reset).');
    }
    const events = await collect(failuresAsEvents(breaksAtStep3()));
    const done = events.at(-1) as Extract<RunEvent, { type: 'done' }>;
    expect(done.status).toBe('failed');
    expect(done.step).toBe(3);
    expect(done.message).toMatch(/failed at step 3: The GPU device was lost \(the driver reset\)\. Checkpoints written so far are kept/);
    expect(events.find((e) => e.type === 'warning')).toMatchObject({ code: 'W_RUN_FAILED' });
  });

  it('lets a setup error (before any event) through as an exception', async () => {
    async function* failsAtSetup(): AsyncGenerator<RunEvent> {
      throw new Error('no such dataset');
    }
    await expect(collect(failuresAsEvents(failsAtSetup()))).rejects.toThrow('no such dataset');
  });
});
