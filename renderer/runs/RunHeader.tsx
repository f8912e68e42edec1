/**
 * @file The head of a run's dashboard: when it started, its status, the backend it runs on and
 * why, where it is (epoch, step, progress), its checkpoints; a failed or stopped run shows its
 * message and, when it has a checkpoint, a Resume-from-checkpoint action.
 */
import { memo } from 'react';
import { formatDuration, formatValue } from '../dashboards/chartTheme';
import { progress, type RunView } from '../dashboards/runView';
import { runDateText } from './runLabels';
import { useRuns } from './RunsProvider';
import { useRunsStore } from './runsStore';
import { StatusPill } from './StatusPill';

function RunHeaderView({ run }: { run: RunView; version: number }) {
  const runs = useRuns();
  const listing = useRunsStore((s) => s.listings[run.runId]);
  const pending = useRunsStore((s) => s.pending);
  const { start, done, lastStep } = run;
  const share = progress(run);
  const epoch = lastStep?.epoch ?? run.epochs.at(-1)?.epoch;
  const resumable = done !== undefined && done.status !== 'completed' && (done.resumable ?? listing?.hasCheckpoint ?? run.checkpoints.length > 0);
  return (
    <header className="run-header" data-testid="run-header">
      <div className="run-header__row">
        <h2 className="run-header__title">{runDateText(run.runId, listing)}</h2>
        <StatusPill status={run.status} />
        <span className="run-header__id">{run.runId}</span>
        <span className="run-header__spacer" />
        {start && (
          <span className="run-header__facts">
            {start.recipe} · {formatValue(start.parameters)} parameters · {start.trainSamples} train / {start.validationSamples} validation samples · batch {start.batchSize} · seed {start.seed}
          </span>
        )}
      </div>
      <div className="run-header__row">
        {start && (
          <span className="run-header__backend" title={start.backend.reason} data-testid="run-backend-report">
            {start.backend.kind === 'webgpu' ? 'WebGPU' : 'CPU'} · {start.backend.detail} — {start.backend.reason}
          </span>
        )}
        <span className="run-header__spacer" />
        {epoch !== undefined && start && (
          <span className="run-header__where" data-testid="run-where">
            {start.fold !== undefined ? `fold ${start.fold}/${start.folds} · ` : ''}epoch {Math.min(epoch, start.epochs)}/{start.epochs} · step {lastStep?.step ?? done?.step ?? 0}
            {done ? ` · ${formatDuration(done.seconds)}` : ''}
            {run.checkpoints.length ? ` · ${run.checkpoints.length} checkpoint${run.checkpoints.length === 1 ? '' : 's'}` : ''}
            {run.resumes.length ? ` · resumed at step ${run.resumes.at(-1)?.step}` : ''}
          </span>
        )}
      </div>
      {share !== undefined && (
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)}>
          <div className={`progress__bar progress__bar--${run.status}`} style={{ width: `${(share * 100).toFixed(1)}%` }} />
        </div>
      )}
      {done && done.status !== 'completed' && (
        <div className={`run-outcome run-outcome--${done.status}`} data-testid="run-outcome">
          <span>
            {done.status === 'failed' ? 'The run failed' : 'The run was stopped'} at step {done.step}
            {done.message ? `: ${done.message}` : '.'}
          </span>
          {resumable && runs && (
            <button type="button" className="button button--small" disabled={pending !== null} onClick={() => void runs.actions.continueFromCheckpoint(run.runId)} data-testid="run-continue">
              Resume from checkpoint
            </button>
          )}
        </div>
      )}
    </header>
  );
}

export const RunHeader = memo(RunHeaderView);
