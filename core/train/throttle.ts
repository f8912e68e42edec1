/**
 * @file Throttling a stream of run events before it crosses a process: `step` events are thinned
 * to at most one per interval (the latest wins), every other event passes at once and in order.
 */
import type { RunEvent } from './events';

export async function* throttleSteps(events: AsyncIterable<RunEvent>, intervalMs: number, now: () => number = Date.now): AsyncGenerator<RunEvent> {
  let last = -Infinity;
  let pending: RunEvent | undefined;
  for await (const event of events) {
    if (event.type !== 'step') {
      if (pending) yield pending;
      pending = undefined;
      yield event;
      continue;
    }
    const t = now();
    if (t - last >= intervalMs) {
      last = t;
      pending = undefined;
      yield event;
    } else {
      pending = event;
    }
  }
  if (pending) yield pending;
}

/**
 * Batches of events for a thread or process boundary: steps thinned by `throttleSteps`, then
 * collected; a batch goes out when `intervalMs` passed since the last one, or at once when it
 * holds a `done`, `checkpoint` or `warning` (what a person must see without delay).
 */
export async function* batchEvents(events: AsyncIterable<RunEvent>, intervalMs: number, now: () => number = Date.now): AsyncGenerator<RunEvent[]> {
  let batch: RunEvent[] = [];
  let last = now();
  for await (const event of throttleSteps(events, intervalMs / 2, now)) {
    batch.push(event);
    const urgent = event.type === 'done' || event.type === 'checkpoint' || event.type === 'warning';
    if (urgent || now() - last >= intervalMs) {
      yield batch;
      batch = [];
      last = now();
    }
  }
  if (batch.length > 0) yield batch;
}
