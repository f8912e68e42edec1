/** @file A full-page problem (the studio unreachable, the UI failed): the reason in a sentence, and a retry. */
import { memo } from 'react';
import { BrandMark } from './BrandMark';

function StartupProblemView({ title = 'The studio is not reachable', message, onRetry }: { title?: string; message: string; onRetry(): void }) {
  return (
    <div className="splash" role="alert" data-testid="startup-problem">
      <div className="splash__card">
        <BrandMark size={30} />
        <h1 className="splash__title">{title}</h1>
        <p className="splash__message">{message}</p>
        <button type="button" className="button button--primary" onClick={onRetry}>
          Try again
        </button>
      </div>
    </div>
  );
}

export const StartupProblem = memo(StartupProblemView);
