/**
 * @file A run that breaks after it started (the GPU device is lost, memory runs out, a kernel
 * throws) ends as a `done` event with status failed and a message naming the step, never as an
 * exception escaping into the UI or the terminal. Checkpoints already written stay where they are.
 * Problems found before the first event (setup) still throw: they have no run to report into.
 */
import { runEvent, type MetricValues, type RunEvent } from './events';

export async function* failuresAsEvents(source: AsyncGenerator<RunEvent>, describe: (error: unknown) => string = defaultDescription): AsyncGenerator<RunEvent> {
  let started = false;
  let step = 0;
  let epochs = 0;
  let metrics: MetricValues = {};
  let startedAt = Date.now();
  try {
    for await (const event of source) {
      if (event.type === 'start') {
        started = true;
        startedAt = Date.now();
      }
      if ('step' in event && typeof event.step === 'number') step = event.step;
      if (event.type === 'epoch') {
        epochs = event.epoch;
        metrics = { ...metrics, ...Object.fromEntries(Object.entries(event.train).map(([k, v]) => [`train_${k}`, v])) };
      }
      yield event;
    }
  } catch (error) {
    if (!started) throw error;
    const message = `The run failed at step ${step}: ${describe(error)} Checkpoints written so far are kept; resume with Resume (or brrr train --resume).`;
    yield runEvent('warning', { code: 'W_RUN_FAILED', message, step });
    yield runEvent('done', { status: 'failed', step, epochs, seconds: (Date.now() - startedAt) / 1000, metrics, message });
  }
}

function defaultDescription(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0].trim();
  return /[.!?]$/.test(line) ? line : `${line}.`;
}
