/**
 * @file The GAN's validation view: at each epoch end the discriminator, in evaluation mode
 * (running BatchNorm statistics, no dropout), scores real images it trains on, real images it
 * never sees (the validation rows, else the dataset's test split) and generated ones. A GAN has no
 * held-out loss to watch; what overfits is D, which memorises its training images and then judges
 * "looks like my training set" instead of "looks like a digit", and G learns from that.
 *
 *   score(S)   = mean over x ∈ S of σ(D(x)), the probability D gives "real"
 *   r_v        = (E[D(train)] − E[D(held out)]) / (E[D(train)] − E[D(generated)])  over logits
 *                (Karras et al. 2020, "Training Generative Adversarial Networks with Limited Data"):
 *                0 when D rates real images it never saw as it rates its training images, 1 when
 *                it rates them as it rates fakes. Undefined while D barely separates its training
 *                images from generated ones (denominator < MIN_SEPARATION): nothing to memorise yet.
 *
 * The images are fixed for the run (evenly spaced rows, one noise draw), so the curves move only
 * with D and G. Nothing here moves a variable of the training plans: D is the evaluation plan
 * sharing D's weights, and G's images come from a copy of the live generator.
 */
import type { Executable } from '../backends/backend';
import type { Dataset } from '../data/dataset';
import { fillRandom, streamId } from '../random';
import { STEP_INPUT } from '../tensor';
import { allBatches } from './batches';
import type { Gan } from './adversarial';
import type { MetricValues } from './events';

/** Images of each kind scored per epoch (fewer when a set is smaller; generated ones as many as training ones). */
export const CHECK_IMAGES = 1024;
const EVAL_BATCH = 256;
/** Logits: a D that separates its training images from generated ones by less has nothing to overfit yet. */
const MIN_SEPARATION = 0.1;
const CHECK_NOISE_STREAM = streamId('adversarial', 'validation-noise');

export interface DiscriminatorScores {
  /** Metrics on what D trains on: `real_score` (its training images), `fake_score` (generated). */
  train: MetricValues;
  /** Metrics on real images D never trains on: `real_score`, `discriminator_overfitting` (r_v) when defined; undefined without held-out images. */
  validation?: MetricValues;
}

/** r_v from mean logits; undefined when D separates its training images from generated ones by less than MIN_SEPARATION. */
export function overfittingRatio(trainLogit: number, heldOutLogit: number, generatedLogit: number): number | undefined {
  const separation = trainLogit - generatedLogit;
  return separation >= MIN_SEPARATION ? (trainLogit - heldOutLogit) / separation : undefined;
}

/** `count` rows spread evenly over `size` (the same every epoch). */
export function evenlySpacedRows(size: number, count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => Math.floor((i * size) / count));
}

export class DiscriminatorCheck {
  private readonly imageSize: number;
  private readonly real: Float32Array;
  private readonly heldOut?: Float32Array;
  private readonly noise: Float32Array;
  private readonly generated: Float32Array;
  /** D's target field for every scored row (its loss needs one; the logits do not depend on it). */
  private readonly labels = new Float32Array(EVAL_BATCH).fill(1);
  private readonly count: number;

  /** `batch`: G's plan's row count; `train`, `heldOut`: the real images D trains on and never sees. */
  constructor(
    private readonly gan: Gan,
    private readonly batch: number,
    private readonly seed: number,
    train: Dataset,
    heldOut?: Dataset,
  ) {
    const imageSize = (this.imageSize = gan.imageShape.reduce((a, b) => a * b, 1));
    const pick = (data: Dataset): Float32Array => {
      const rows = evenlySpacedRows(data.size, Math.min(CHECK_IMAGES, data.size));
      const out = new Float32Array(rows.length * imageSize);
      data.gather(gan.imageField, rows, out);
      return out;
    };
    this.real = pick(train);
    if (heldOut?.fields[gan.imageField]) this.heldOut = pick(heldOut);
    this.count = Math.min(CHECK_IMAGES, train.size);
    this.noise = new Float32Array(batch * gan.noiseSize);
    this.generated = new Float32Array(Math.ceil(this.count / batch) * batch * imageSize);
  }

  /** Scores D at the current weights; `generator` is a copy of the live G (its BatchNorm moves in training mode). */
  async score(generator: Executable, step: number): Promise<DiscriminatorScores> {
    const { batch, imageSize, seed, gan } = this;
    const counter = new Int32Array([step]);
    for (let b = 0; b * batch < this.count; b++) {
      fillRandom('normal', seed, CHECK_NOISE_STREAM, b, this.noise);
      const out = await generator.run({ [gan.noiseField]: this.noise, [STEP_INPUT]: counter });
      this.generated.set(out[gan.gOutput], b * batch * imageSize);
    }
    const real = await this.logits(this.real);
    const generated = await this.logits(this.generated.subarray(0, this.count * imageSize));
    const train = { real_score: real.probability, fake_score: generated.probability };
    if (!this.heldOut) return { train };
    const heldOut = await this.logits(this.heldOut);
    const overfitting = overfittingRatio(real.logit, heldOut.logit, generated.logit);
    return { train, validation: { real_score: heldOut.probability, ...(overfitting !== undefined ? { discriminator_overfitting: overfitting } : {}) } };
  }

  /** Mean logit and mean σ(logit) of D over `images`. */
  private async logits(images: Float32Array): Promise<{ logit: number; probability: number }> {
    const { gan, imageSize } = this;
    const count = images.length / imageSize;
    let logits = 0;
    let probabilities = 0;
    for (const rows of allBatches(count, EVAL_BATCH)) {
      const d = gan.dEvaluator(rows.length);
      if (!('run' in d)) throw new Error(d.diagnostics.map((x) => x.message).join(' '));
      const at = rows[0] * imageSize;
      const out = await d.run({ [gan.imageField]: images.subarray(at, at + rows.length * imageSize), [gan.realField]: this.labels.subarray(0, rows.length) });
      for (const z of out[gan.dLogit]) {
        logits += z;
        probabilities += 1 / (1 + Math.exp(-z));
      }
    }
    return { logit: logits / count, probability: probabilities / count };
  }
}
