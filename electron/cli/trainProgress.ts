/**
 * @file What `brrr train` shows a person: a progress bar with the live loss while an epoch runs
 * (redrawn in place on a terminal), one line per epoch with train and validation metrics, and a
 * closing summary. Without a terminal, only the epoch lines and the summary.
 */
import type { MetricValues, RunEvent } from '../../core/train/events';

const BAR = 24;

export function formatMetrics(values: MetricValues): string {
  return Object.entries(values)
    .map(([name, v]) => `${name} ${/accuracy|(^|_)(f1|auc|top\d+)$/.test(name) && !name.endsWith('_std') ? `${(v * 100).toFixed(2)}%` : Number.isInteger(v) ? String(v) : v.toFixed(4)}`)
    .join('  ');
}

function formatSeconds(s: number): string {
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

export class TrainProgress {
  private stepsPerEpoch = 0;
  private epochs = 0;
  private lastDraw = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly redraw: ((text: string) => void) | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Feed every event; returns nothing, writes what a person should see. */
  show(event: RunEvent): void {
    switch (event.type) {
      case 'start':
        this.stepsPerEpoch = event.stepsPerEpoch;
        this.epochs = event.epochs;
        this.write(`Training "${event.project}" on ${event.backend.kind} (${event.backend.detail}; ${event.backend.reason})`);
        this.write(`${event.parameters.toLocaleString('en-US')} parameters, ${event.trainSamples} training and ${event.validationSamples} validation samples, batch ${event.batchSize}, seed ${event.seed}`);
        return;
      case 'step': {
        if (!this.redraw) return;
        const t = this.now();
        if (t - this.lastDraw < 100) return;
        this.lastDraw = t;
        const inEpoch = ((event.step - 1) % this.stepsPerEpoch) + 1;
        const filled = Math.round((inEpoch / this.stepsPerEpoch) * BAR);
        this.redraw(`epoch ${event.epoch}/${this.epochs} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${inEpoch}/${this.stepsPerEpoch}  loss ${event.loss.toFixed(4)}  ${Math.round(event.samplesPerSecond)} samples/s${event.gradientNorm !== undefined ? `  |g| ${event.gradientNorm.toPrecision(3)}` : ''}${event.etaSeconds !== undefined ? `  ETA ${formatSeconds(event.etaSeconds)}` : ''}`);
        return;
      }
      case 'epoch':
        this.redraw?.('');
        this.write(`epoch ${event.epoch}/${this.epochs} (${event.seconds.toFixed(1)} s)  train: ${formatMetrics(event.train)}${event.validation ? `  |  validation: ${formatMetrics(event.validation)}` : ''}`);
        return;
      case 'evaluation':
        this.write(`${event.split}: ${formatMetrics(event.metrics)}`);
        return;
      case 'checkpoint':
        // the latest checkpoint is rewritten all along; only a new best is news
        if (event.kind === 'best') {
          this.redraw?.('');
          this.write(`best so far (epoch ${event.epoch}) saved: ${event.path}`);
        }
        return;
      case 'warning':
        this.redraw?.('');
        this.write(`${event.code.startsWith('I_') ? 'note' : 'warning'}: ${event.message}${event.suggestion ? `\n  suggestion: ${event.suggestion}` : ''}`);
        return;
      case 'resumed':
        this.write(`Resuming at step ${event.step} (epoch ${event.epoch + 1}, ${event.stepInEpoch} batches of it done)`);
        return;
      case 'kfold':
        if (event.fold > 0) this.write(`fold ${event.fold}/${event.folds}: ${formatMetrics(event.metrics)}`);
        else if (event.mean && event.std) this.write(`k-fold (${event.folds} folds), mean ± std: ${Object.keys(event.mean).map((k) => `${k} ${event.mean![k].toFixed(4)} ± ${event.std![k].toFixed(4)}`).join('  ')}`);
        return;
      case 'samples':
        this.write(`epoch ${event.epoch}: ${event.images.length} generated samples`);
        return;
      case 'text':
        this.write(`epoch ${event.epoch} generated: ${JSON.stringify(event.samples[0] ?? '')}${event.baselineLoss !== undefined ? `  (bigram baseline loss ${event.baselineLoss.toFixed(4)})` : ''}`);
        return;
      case 'decisionBoundary':
        if (event.weights && event.bias !== undefined) this.write(`epoch ${event.epoch} boundary: ${event.weights[0].toFixed(3)}·x + ${event.weights[1].toFixed(3)}·y + ${event.bias.toFixed(3)} = 0`);
        return;
      case 'histograms':
      case 'confusion':
      case 'predictions':
        return;
      case 'done':
        this.redraw?.('');
        this.write(`${event.status === 'completed' ? 'Done' : event.status === 'stopped' ? 'Stopped' : 'Failed'} after ${event.step} steps in ${event.seconds.toFixed(1)} s${event.message ? `: ${event.message}` : ''}`);
        return;
      default:
        return event satisfies never;
    }
  }
}
