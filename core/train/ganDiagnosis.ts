/**
 * @file What goes wrong in adversarial training, said once each in plain words:
 *   - mode collapse: the generator answers every noise vector with (nearly) the same image. Measured
 *     as the diversity of a generated batch — RMS pixel distance between pairs of samples — against
 *     the same figure on real data: collapse when it falls below `collapseRatio` of the real one.
 *   - a runaway discriminator: it wins outright (its loss near its floor, so the generator's gradient
 *     vanishes and its loss climbs) over a whole window of steps, after the first `warmupSteps`. The floor is 0 with real label 1;
 *     with a smoothed real label r it is ½·H(r) (core/train/ganOptions.ts), and the test is on the excess.
 *   - an overfitting discriminator: it rates real images it never trained on closer to generated ones
 *     than to its training images, r_v ≥ `overfitRatio` at an epoch end (core/train/ganValidation.ts).
 * Pure and deterministic, like FitDiagnosis.
 */
import type { FitWarning } from './diagnosis';

export interface GanDiagnosisOptions {
  /** Generated diversity below this fraction of the real data's is mode collapse. */
  collapseRatio?: number;
  /** Steps over which the discriminator must keep winning. */
  window?: number;
  /**
   * Steps not judged at the start: every GAN begins with D winning (it tells noise from digits
   * long before G draws anything digit-like) until G catches up: a few dozen steps with a shallow D,
   * ~300 with mnist-gan's three-convolution D (its loss at the floor, G's near 7, then 0.3 and 2.5).
   */
  warmupSteps?: number;
  /** Mean discriminator loss less than this above its floor (a BCE of ~0.05: it is right with p ≈ 0.95 on everything)… */
  discriminatorLoss?: number;
  /** The smallest discriminator loss its targets allow (0 unless the real label is smoothed). */
  discriminatorLossFloor?: number;
  /** …while the mean generator loss is above this. */
  generatorLoss?: number;
  /** r_v at or above this is an overfitting discriminator (0: none, 1: held-out real images look fake to it). */
  overfitRatio?: number;
}

const DEFAULTS: Required<GanDiagnosisOptions> = { collapseRatio: 0.3, window: 50, warmupSteps: 500, discriminatorLoss: 0.05, discriminatorLossFloor: 0, generatorLoss: 5, overfitRatio: 0.5 };

/**
 * Diversity of `count` images of `size` values: mean over pairs (i, i + 1 … up to 32 pairs per image)
 * of sqrt(mean (a − b)²). 0 when all images are equal.
 */
export function sampleDiversity(images: ArrayLike<number>, size: number, count = Math.floor(images.length / size)): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < Math.min(count, i + 33); j++) {
      let d = 0;
      for (let k = 0; k < size; k++) {
        const x = images[i * size + k] - images[j * size + k];
        d += x * x;
      }
      sum += Math.sqrt(d / size);
      pairs++;
    }
  }
  return pairs > 0 ? sum / pairs : 0;
}

export class GanDiagnosis {
  private readonly o: Required<GanDiagnosisOptions>;
  private said = new Set<string>();
  private readonly d: number[] = [];
  private readonly g: number[] = [];

  constructor(options: GanDiagnosisOptions = {}) {
    this.o = { ...DEFAULTS, ...options };
  }

  private once(w: FitWarning): FitWarning[] {
    if (this.said.has(w.code)) return [];
    this.said.add(w.code);
    return [w];
  }

  /** What was said (checkpoints keep it, so a resumed run does not repeat itself). */
  snapshot(): string[] {
    return [...this.said];
  }

  restore(said: readonly string[] | undefined): void {
    this.said = new Set(said ?? []);
  }

  step(step: number, discriminatorLoss: number, generatorLoss: number): FitWarning[] {
    this.d.push(discriminatorLoss);
    this.g.push(generatorLoss);
    if (this.d.length > this.o.window) {
      this.d.shift();
      this.g.shift();
    }
    if (this.d.length < this.o.window || step <= this.o.warmupSteps) return [];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const dMean = mean(this.d);
    const gMean = mean(this.g);
    if (dMean - this.o.discriminatorLossFloor >= this.o.discriminatorLoss || gMean <= this.o.generatorLoss) return [];
    return this.once({
      code: 'W_DISCRIMINATOR_WINS',
      step,
      message: `The discriminator is winning outright: over the last ${this.o.window} steps its loss averaged ${dMean.toFixed(4)}${this.o.discriminatorLossFloor > 0 ? ` (the least its smoothed labels allow: ${this.o.discriminatorLossFloor.toFixed(4)})` : ''} while the generator's climbed to ${gMean.toFixed(2)}. The generator gets almost no gradient and stops improving.`,
      suggestion: 'Lower the discriminator learning rate or its size, add dropout to it, train it fewer steps per generator step (options.discriminatorSteps), or use label smoothing.',
    });
  }

  /** r_v at an epoch end (the discriminator's scores on real images it trains on, never sees, and generated ones). */
  heldOut(step: number, epoch: number, overfitting: number): FitWarning[] {
    if (!(overfitting >= this.o.overfitRatio)) return [];
    return this.once({
      code: 'W_DISCRIMINATOR_OVERFITS',
      step,
      message: `The discriminator is memorising its training images at epoch ${epoch}: it rates real images it never trained on ${Math.round(overfitting * 100)}% of the way from its training images to generated ones (r_v ${overfitting.toFixed(2)}; 0 = no overfitting, 1 = it takes them for fakes). The generator now learns to imitate the training set as D remembers it, not the data.`,
      suggestion: 'Train on more images or augment them, make the discriminator smaller or add dropout to it, lower its learning rate (options.discriminatorLearningRate), or keep an earlier checkpoint.',
    });
  }

  /** A generated batch at an epoch end against the diversity of real data. */
  samples(step: number, epoch: number, generated: number, real: number): FitWarning[] {
    if (!(real > 0) || generated >= this.o.collapseRatio * real) return [];
    return this.once({
      code: 'W_MODE_COLLAPSE',
      step,
      message: `Mode collapse at epoch ${epoch}: generated samples differ from each other by ${generated.toFixed(3)} (RMS per pixel), real ones by ${real.toFixed(3)}. The generator makes nearly the same image for every noise vector.`,
      suggestion: 'Lower the learning rates, add BatchNorm to the generator, add dropout to the discriminator, or restart from an earlier checkpoint with another seed.',
    });
  }
}
