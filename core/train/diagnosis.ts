/**
 * @file Fit diagnosis as training goes: overfitting, underfitting, divergence, vanishing or
 * exploding gradients and dead ReLUs, each said once in plain words with a stable code and the
 * change that would help. Fed the numbers the recipe already has (step losses, gradient norms,
 * epoch metrics, activation probes); pure and deterministic, so a resumed run restores it from
 * its checkpoint and says the same things.
 */
import type { MetricValues } from './events';
import type { TaskKind } from './program';

export interface FitWarning {
  code: string;
  message: string;
  suggestion: string;
  step?: number;
  nodeId?: string;
}

export interface DiagnosisOptions {
  /** Epochs of validation loss rising while training loss falls before overfitting is said. */
  overfitEpochs?: number;
  /** Epochs before underfitting can be judged. */
  underfitEpochs?: number;
  /** A step loss above `divergenceFactor` × the lowest loss so far (after a few steps) is divergence. */
  divergenceFactor?: number;
  /** Gradient norms above this are exploding; below `vanishingNorm` (for a window of steps) vanishing. */
  explodingNorm?: number;
  vanishingNorm?: number;
  /** A ReLU whose outputs are zero for more than this fraction of the probe batch is mostly dead. */
  deadFraction?: number;
}

/** What the diagnosis remembers (saved in checkpoints). Plain JSON. */
export interface DiagnosisState {
  said: string[];
  initialLoss?: number;
  lowestLoss?: number;
  steps: number;
  smallGradientSteps: number;
  epochs: { train: number; validation?: number }[];
}

const DEFAULTS: Required<DiagnosisOptions> = { overfitEpochs: 3, underfitEpochs: 3, divergenceFactor: 10, explodingNorm: 1e3, vanishingNorm: 1e-7, deadFraction: 0.9 };
const WARMUP_STEPS = 5;
const VANISHING_WINDOW = 20;

export class FitDiagnosis {
  private readonly o: Required<DiagnosisOptions>;
  private state: DiagnosisState = { said: [], steps: 0, smallGradientSteps: 0, epochs: [] };

  constructor(
    private readonly task: TaskKind,
    options: DiagnosisOptions = {},
  ) {
    this.o = { ...DEFAULTS, ...options };
  }

  snapshot(): DiagnosisState {
    return JSON.parse(JSON.stringify(this.state)) as DiagnosisState;
  }

  restore(state: DiagnosisState | undefined): void {
    if (state) this.state = JSON.parse(JSON.stringify(state)) as DiagnosisState;
  }

  private once(w: FitWarning): FitWarning[] {
    if (this.state.said.includes(w.code)) return [];
    this.state.said.push(w.code);
    return [w];
  }

  /** One training step's loss and global gradient norm (when the plan reports it). */
  step(step: number, loss: number, gradientNorm?: number): FitWarning[] {
    const s = this.state;
    s.steps++;
    s.initialLoss ??= loss;
    const out: FitWarning[] = [];
    if (s.steps > WARMUP_STEPS && s.lowestLoss !== undefined && loss > this.o.divergenceFactor * Math.max(s.lowestLoss, 1e-6) && loss > s.initialLoss) {
      out.push(
        ...this.once({
          code: 'W_DIVERGENCE',
          step,
          message: `The loss jumped to ${fmt(loss)} at step ${step}, more than ${this.o.divergenceFactor}× its lowest value so far (${fmt(s.lowestLoss)}): training is diverging.`,
          suggestion: 'Lower the learning rate (try 10× smaller), add warmup, or clip gradients (regularization.gradientClipNorm).',
        }),
      );
    }
    s.lowestLoss = Math.min(s.lowestLoss ?? loss, loss);
    if (gradientNorm !== undefined && Number.isFinite(gradientNorm)) {
      if (gradientNorm > this.o.explodingNorm) {
        out.push(
          ...this.once({
            code: 'W_EXPLODING_GRADIENTS',
            step,
            message: `The gradient norm reached ${fmt(gradientNorm)} at step ${step}: gradients are exploding.`,
            suggestion: 'Clip gradients (regularization.gradientClipNorm, e.g. 1), lower the learning rate, or add normalization layers.',
          }),
        );
      }
      s.smallGradientSteps = gradientNorm < this.o.vanishingNorm && loss > 1e-4 ? s.smallGradientSteps + 1 : 0;
      if (s.smallGradientSteps >= VANISHING_WINDOW) {
        out.push(
          ...this.once({
            code: 'W_VANISHING_GRADIENTS',
            step,
            message: `The gradient norm stayed below ${this.o.vanishingNorm} for ${VANISHING_WINDOW} steps while the loss is still ${fmt(loss)}: gradients are vanishing and the weights barely move.`,
            suggestion: 'Use ReLU or GELU instead of sigmoid/tanh in deep stacks, He initialization, normalization layers, or residual connections.',
          }),
        );
      }
    }
    return out;
  }

  /** An epoch's training metrics and validation metrics (when there is a validation split). */
  epoch(epoch: number, step: number, train: MetricValues, validation?: MetricValues): FitWarning[] {
    const s = this.state;
    s.epochs.push({ train: train.loss, ...(validation ? { validation: validation.loss } : {}) });
    const out: FitWarning[] = [];
    const n = this.o.overfitEpochs;
    const recent = s.epochs.slice(-(n + 1));
    if (recent.length === n + 1 && recent.every((e) => e.validation !== undefined)) {
      let rising = true;
      let falling = true;
      for (let i = 1; i < recent.length; i++) {
        rising &&= recent[i].validation! > recent[i - 1].validation!;
        falling &&= recent[i].train < recent[i - 1].train;
      }
      if (rising && falling) {
        out.push(
          ...this.once({
            code: 'W_OVERFITTING',
            step,
            message: `Overfitting: for the last ${n} epochs the training loss kept falling (${fmt(recent[0].train)} → ${fmt(recent[n].train)}) while the validation loss rose (${fmt(recent[0].validation!)} → ${fmt(recent[n].validation!)}). The model is memorising the training set.`,
            suggestion: 'Add dropout or L2 regularization, use early stopping (the best checkpoint is kept), augment or add data, or use a smaller model.',
          }),
        );
      }
    }
    const baseline = s.epochs[0].train;
    if (epoch >= this.o.underfitEpochs) {
      const chance = this.task.kind === 'classification' ? 1 / this.task.classes : this.task.kind === 'binary' ? 0.5 : undefined;
      const nearChance = chance !== undefined && train.accuracy !== undefined && train.accuracy < chance + 0.5 * (1 - chance) * 0.2;
      // flat: still within 10% of the first epoch's mean loss (and not already near zero)
      const flat = train.loss > 0.9 * baseline && train.loss > 1e-3;
      if (nearChance || (chance === undefined && flat)) {
        out.push(
          ...this.once({
            code: 'W_UNDERFITTING',
            step,
            message:
              chance !== undefined
                ? `Underfitting: after ${epoch} epochs the training accuracy is ${(train.accuracy * 100).toFixed(1)}%, close to chance (${(chance * 100).toFixed(1)}%).`
                : `Underfitting: after ${epoch} epochs the training loss (${fmt(train.loss)}) is still within 10% of its first epoch's (${fmt(baseline)}).`,
            suggestion: 'Train longer, raise the learning rate, use a bigger model (more units or layers), or remove regularization.',
          }),
        );
      }
    }
    return out;
  }

  /** Zero-fraction of each ReLU's outputs on a probe batch (epoch end). */
  activations(step: number, zeroFractions: Readonly<Record<string, number>>): FitWarning[] {
    const dead = Object.entries(zeroFractions).filter(([, f]) => f > this.o.deadFraction);
    if (dead.length === 0) return [];
    const [nodeId, fraction] = dead[0];
    return this.once({
      code: 'W_DEAD_RELU',
      step,
      nodeId,
      message: `${(fraction * 100).toFixed(0)}% of the outputs of ${nodeId}${dead.length > 1 ? ` (and ${dead.length - 1} more ReLU layers)` : ''} are zero: most of its units are dead and no longer learn.`,
      suggestion: 'Lower the learning rate, use LeakyReLU or GELU, or He initialization.',
    });
  }
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toFixed(4);
}
