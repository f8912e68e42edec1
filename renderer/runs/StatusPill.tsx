/** @file A run's status as a small coloured pill. */
import type { RunStatus } from '../dashboards/runView';

const LABELS: Record<RunStatus, string> = {
  starting: 'Starting',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  stopped: 'Stopped',
  failed: 'Failed',
};

export function StatusPill({ status }: { status: RunStatus }) {
  return (
    <span className={`status-pill status-pill--${status}`} data-testid="run-status" data-status={status}>
      {status === 'running' || status === 'starting' ? <span className="status-pill__pulse" aria-hidden="true" /> : null}
      {LABELS[status]}
    </span>
  );
}
