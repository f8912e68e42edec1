/**
 * @file The project's runs, newest first: status, date, headline metrics, how far each got. Click
 * a run to show its dashboard; tick several to overlay their curves. With two or more ticked, the
 * settings that differ between them are listed under the runs.
 */
import { memo } from 'react';
import { runColor } from '../dashboards/chartTheme';
import { settingsDiff, runSettings } from './settingsDiff';
import { keyMetricTexts, listedStatus, runDateText } from './runLabels';
import { useRuns } from './RunsProvider';
import { useRunsStore } from './runsStore';
import { StatusPill } from './StatusPill';

function RunHistoryView() {
  const order = useRunsStore((s) => s.order);
  const runs = useRunsStore((s) => s.runs);
  const listings = useRunsStore((s) => s.listings);
  const activeRunId = useRunsStore((s) => s.activeRunId);
  const compare = useRunsStore((s) => s.compare);
  const setActive = useRunsStore((s) => s.setActive);
  const toggleCompare = useRunsStore((s) => s.toggleCompare);
  const projectPath = useRunsStore((s) => s.projectPath);
  const client = useRuns();
  useRunsStore((s) => s.tick);
  const diff = compare.length >= 2 ? settingsDiff(compare.map((id) => runSettings(runs[id], listings[id]))) : [];

  return (
    <aside className="run-history" data-testid="run-history" aria-label="Run history">
      <div className="run-history__title">
        Runs <span className="tab__count">{order.length}</span>
        {client && projectPath && (
          <button type="button" className="run-history__refresh" onClick={() => void client.actions.loadHistory(projectPath)} title="Read the project's runs again (runs started elsewhere, e.g. by brrr train)" data-testid="runs-refresh">
            ↻
          </button>
        )}
      </div>
      {order.length === 0 && <p className="run-history__empty">No runs yet. Press Train to start one.</p>}
      <ul className="run-list">
        {order.map((runId) => {
          const run = runs[runId];
          const listing = listings[runId];
          const status = run?.version ? run.status : listedStatus(listing?.status);
          const compared = compare.indexOf(runId);
          const epochs = run?.epochs.length ?? 0;
          return (
            <li key={runId} className={`run-row${runId === activeRunId ? ' is-active' : ''}`} data-testid={`run-row-${runId}`} data-run={runId}>
              <input
                type="checkbox"
                className="run-row__compare"
                checked={compared >= 0}
                onChange={() => toggleCompare(runId)}
                aria-label={`Overlay ${runId}`}
                title="Overlay this run's curves"
                style={compared >= 0 ? { accentColor: runColor(compared) } : undefined}
                data-testid={`run-compare-${runId}`}
              />
              <button type="button" className="run-row__main" onClick={() => setActive(runId)} title={runId}>
                <span className="run-row__line">
                  {compared >= 0 && <span className="run-row__swatch" style={{ background: runColor(compared) }} />}
                  <span className="run-row__date">{runDateText(runId, listing)}</span>
                  <StatusPill status={status} />
                </span>
                <span className="run-row__metrics">
                  {run?.start ? `${epochs}/${run.start.epochs} epochs · ` : ''}
                  {keyMetricTexts(run, listing).join(' · ') || 'no metrics yet'}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {compare.length >= 2 && (
        <div className="settings-diff" data-testid="settings-diff">
          <div className="run-history__title">Settings that differ</div>
          {diff.length === 0 ? (
            <p className="run-history__empty">Same settings and project version.</p>
          ) : (
            <table className="data-table data-table--compact">
              <tbody>
                {diff.map((row) => (
                  <tr key={row.key}>
                    <th>{row.key}</th>
                    {row.values.map((v, i) => (
                      <td key={i} style={{ color: runColor(i) }}>
                        {v}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </aside>
  );
}

export const RunHistory = memo(RunHistoryView);
