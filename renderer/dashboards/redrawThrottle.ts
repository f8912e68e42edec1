/**
 * @file Redraws at most once per interval: a burst of `request()` calls (every run event batch)
 * becomes one call of `redraw` at the leading edge and one at the end of the interval, never more
 * than 1000 / intervalMs per second, and the last request is never lost.
 */

export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** ~10 Hz: fast enough to look live, slow enough that drawing never competes with input. */
export const REDRAW_INTERVAL_MS = 100;

export interface RedrawThrottle {
  request(): void;
  /** Drop a pending redraw (unmount). */
  cancel(): void;
}

export function createRedrawThrottle(redraw: () => void, intervalMs = REDRAW_INTERVAL_MS, timers: Timers = browserTimers): RedrawThrottle {
  let last = Number.NEGATIVE_INFINITY;
  let pending: unknown = null;
  const fire = (): void => {
    pending = null;
    last = timers.now();
    redraw();
  };
  return {
    request() {
      if (pending !== null) return;
      const wait = last + intervalMs - timers.now();
      if (wait <= 0) fire();
      else pending = timers.setTimeout(fire, wait);
    },
    cancel() {
      if (pending !== null) timers.clearTimeout(pending);
      pending = null;
    },
  };
}
