/**
 * @file Learning-rate schedules: the learning rate at optimizer step t (t = 0 for the first step).
 *
 * Every schedule has an optional linear warm-up of W steps, then a decay clock t' = t − W:
 *   warm-up (t < W):  lr(t) = lr₀ · (t + 1)/W         (step 0 already moves; step W−1 reaches lr₀)
 *   constant:         lr₀
 *   step:             lr₀ · γ^⌊t'/stepSize⌋            (stepSize in steps; PyTorch StepLR stepped per step)
 *   exponential:      per 'step':  lr₀ · γ^t'
 *                     per 'epoch': lr₀ · γ^⌊t'/stepsPerEpoch⌋  (PyTorch ExponentialLR stepped per epoch)
 *   cosine:           lrₘᵢₙ + (lr₀ − lrₘᵢₙ) · ½(1 + cos(π·p)),  p = min(1, t'/(totalSteps − W))
 *                     (totalSteps counts the warm-up; after totalSteps it stays at lrₘᵢₙ)
 * Schedules are plain data (they live in the project file); `learningRateAt` is a pure function.
 */

interface ScheduleBase {
  /** lr₀: the peak learning rate, reached at the end of the warm-up. */
  learningRate: number;
  /** Linear warm-up length W in steps (0 or absent: none). */
  warmupSteps?: number;
}

export type Schedule =
  | (ScheduleBase & { kind: 'constant' })
  | (ScheduleBase & { kind: 'step'; stepSize: number; gamma: number })
  | (ScheduleBase & { kind: 'exponential'; gamma: number; per: 'step' })
  | (ScheduleBase & { kind: 'exponential'; gamma: number; per: 'epoch'; stepsPerEpoch: number })
  | (ScheduleBase & { kind: 'cosine'; minLearningRate: number; totalSteps: number });

/** Learning rate at optimizer step `step` (0-based); see the file doc for each formula. */
export function learningRateAt(schedule: Schedule, step: number): number {
  const lr0 = schedule.learningRate;
  const warmup = Math.max(0, schedule.warmupSteps ?? 0);
  if (step < warmup) return (lr0 * (step + 1)) / warmup;
  const t = step - warmup;
  switch (schedule.kind) {
    case 'constant':
      return lr0;
    case 'step':
      return lr0 * schedule.gamma ** Math.floor(t / Math.max(1, schedule.stepSize));
    case 'exponential':
      return schedule.per === 'step' ? lr0 * schedule.gamma ** t : lr0 * schedule.gamma ** Math.floor(t / Math.max(1, schedule.stepsPerEpoch));
    case 'cosine': {
      const span = schedule.totalSteps - warmup;
      const p = span <= 0 ? 1 : Math.min(1, t / span);
      const min = schedule.minLearningRate;
      return min + (lr0 - min) * 0.5 * (1 + Math.cos(Math.PI * p));
    }
    default:
      return schedule satisfies never;
  }
}
