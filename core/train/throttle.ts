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
