/**
 * @file The adversarial recipe's settings in `training.options`, parsed and checked in one place
 * (the recipe, the PyTorch export and its README read them from here):
 *
 *   discriminatorSteps  k ≥ 1 integer: D steps per G step (default 1)
 *   generatorEma        d in [0, 1): decay of the generator's weight EMA, 0 = off (default 0);
 *                       samples, evaluation and exported weights use the average (core/train/ema.ts)
 *   realLabel           in (0.5, 1]: D's target for real images; < 1 is one-sided label smoothing
 *                       (Salimans et al. 2016), generated images keep target 0 (default 1)
 *   discriminatorLearningRate  η_D > 0: D's own base learning rate (two time-scale updates, Heusel
 *                       et al. 2017); the schedule scales it as it scales G's: η_D(t) = η(t)·η_D/η.
 *                       0 = the optimizer's rate for both (default 0)
 */
import type { TrainingRecipe } from '../project/schema';

export interface GanOptions {
  discriminatorSteps: number;
  generatorEma: number;
  realLabel: number;
  discriminatorLearningRate: number;
}

export const GAN_OPTION_DEFAULTS: GanOptions = { discriminatorSteps: 1, generatorEma: 0, realLabel: 1, discriminatorLearningRate: 0 };

/** The recipe's GAN options with defaults, or the first problem found (naming the option and the value). */
export function parseGanOptions(recipe: Pick<TrainingRecipe, 'options'>): { ok: true; options: GanOptions } | { ok: false; message: string } {
  const o = recipe.options;
  const pick = (key: keyof GanOptions, valid: (v: number) => boolean, rule: string): number | string => {
    const v = o[key];
    if (v === undefined) return GAN_OPTION_DEFAULTS[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || !valid(v)) return `training.options.${key} must be ${rule}; it is ${JSON.stringify(v)}.`;
    return v;
  };
  const discriminatorSteps = pick('discriminatorSteps', (v) => Number.isInteger(v) && v >= 1, 'a whole number of discriminator steps per generator step, at least 1');
  const generatorEma = pick('generatorEma', (v) => v >= 0 && v < 1, 'a decay in [0, 1) (0 turns the generator average off; 0.999 is usual)');
  const realLabel = pick('realLabel', (v) => v > 0.5 && v <= 1, 'a target in (0.5, 1] for real images (1: no label smoothing; 0.9 is usual)');
  const discriminatorLearningRate = pick('discriminatorLearningRate', (v) => v >= 0 && v < 1, "the discriminator's base learning rate, in [0, 1) (0: the optimizer's, as the generator; e.g. 4e-4 against 1e-4)");
  for (const v of [discriminatorSteps, generatorEma, realLabel, discriminatorLearningRate]) if (typeof v === 'string') return { ok: false, message: v };
  return { ok: true, options: { discriminatorSteps: discriminatorSteps as number, generatorEma: generatorEma as number, realLabel: realLabel as number, discriminatorLearningRate: discriminatorLearningRate as number } };
}

/** η_D/η: how much D's learning rate exceeds the optimizer's (1 without a discriminator rate of its own). */
export function discriminatorRateScale(options: GanOptions, optimizerRate: number): number {
  return options.discriminatorLearningRate > 0 ? options.discriminatorLearningRate / optimizerRate : 1;
}

/**
 * The least L_D can be with real label r (generated images target 0): ½·H(r), the real half's BCE
 * at its minimum σ(logit) = r, H(r) = −r ln r − (1 − r) ln(1 − r); 0 when r = 1.
 */
export function discriminatorLossFloor(realLabel: number): number {
  const h = (p: number): number => (p > 0 ? -p * Math.log(p) : 0);
  return 0.5 * (h(realLabel) + h(1 - realLabel));
}
