/**
 * @file Fit diagnosis pinned at the top of the dashboard: each `warning` event in plain words,
 * a title from its code, what was seen, and what to try. Codes this build does not name still
 * show, titled from the code itself.
 */
import { memo } from 'react';
import type { EventOf } from './runView';

const TITLES: Record<string, { title: string; severe?: boolean }> = {
  W_OVERFITTING: { title: 'Overfitting' },
  W_UNDERFITTING: { title: 'Underfitting' },
  W_DIVERGENCE: { title: 'Diverging', severe: true },
  W_NONFINITE_LOSS: { title: 'Loss is not a number', severe: true },
  W_EXPLODING_GRADIENTS: { title: 'Exploding gradients', severe: true },
  W_VANISHING_GRADIENTS: { title: 'Vanishing gradients' },
  W_DEAD_RELU: { title: 'Dead ReLUs' },
  W_MODE_COLLAPSE: { title: 'Mode collapse' },
  W_DISCRIMINATOR_WINS: { title: 'Discriminator is winning' },
  W_DISCRIMINATOR_OVERFITS: { title: 'Discriminator is memorising its training images' },
  W_RUN_FAILED: { title: 'Run failed', severe: true },
};

/** `W_SOME_THING` → `Some thing` for codes without a title. */
export function diagnosisTitle(code: string): string {
  const known = TITLES[code];
  if (known) return known.title;
  const words = code.replace(/^[A-Z]_/, '').toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The message without a leading "Title:" that repeats the banner's title. */
function body(title: string, message: string): string {
  if (!message.toLowerCase().startsWith(`${title.toLowerCase()}:`)) return message;
  const rest = message.slice(title.length + 1).trimStart();
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

function DiagnosisBannersView({ warnings }: { warnings: readonly EventOf<'warning'>[] }) {
  if (!warnings.length) return null;
  return (
    <div className="diagnosis" role="status" aria-live="polite" data-testid="diagnosis">
      {warnings.map((w, i) => {
        const title = diagnosisTitle(w.code);
        return (
          <div key={`${w.code}:${w.step ?? ''}:${i}`} className={`diagnosis__item${TITLES[w.code]?.severe ? ' is-severe' : ''}`} data-code={w.code} data-testid="diagnosis-item">
            <div className="diagnosis__title">
              <span aria-hidden="true">⚠</span> {title}
              {w.step !== undefined && <span className="diagnosis__where">at step {w.step}</span>}
              {w.nodeId && <span className="diagnosis__where">layer {w.nodeId}</span>}
              <code className="diagnosis__code">{w.code}</code>
            </div>
            <p className="diagnosis__message">{body(title, w.message)}</p>
            {w.suggestion && (
              <p className="diagnosis__suggestion">
                <b>Try:</b> {w.suggestion}
              </p>
            )}
          </div>
        );
      })}
    </div>
  );
}

export const DiagnosisBanners = memo(DiagnosisBannersView);
