/**
 * @file The Train view: the run history on the left; on the right the selected run's header and
 * dashboard, or, with two or more runs ticked, their curves overlaid.
 */
import { memo, useState } from 'react';
import { CompareCharts } from '../dashboards/CompareCharts';
import { Dashboard } from '../dashboards/Dashboard';
import type { RunView } from '../dashboards/runView';
import { RunHeader } from './RunHeader';
import { RunHistory } from './RunHistory';
import { runDateText } from './runLabels';
import { useRuns } from './RunsProvider';
import { selectActiveRun, useRunsStore } from './runsStore';

function TrainViewView() {
  const runs = useRuns();
  const run = useRunsStore(selectActiveRun);
  const compare = useRunsStore((s) => s.compare);
  const all = useRunsStore((s) => s.runs);
  const listings = useRunsStore((s) => s.listings);
  useRunsStore((s) => s.tick);
  const [tab, setTab] = useState<'dashboard' | 'compare'>('dashboard');
  const compared = compare.map((id) => all[id]).filter((r): r is RunView => r !== undefined);
  const showCompare = tab === 'compare' && compared.length >= 2;

  return (
    <main className="train-view" data-testid="train-view">
      <RunHistory />
      <div className="train-view__main">
        {runs && !runs.live && <div className="train-view__notice">This studio does not push run events to the page yet: live runs are followed by re-reading their logs every 2 s (every 10th step).</div>}
        {compared.length >= 2 && (
          <div className="tabs train-view__tabs" role="tablist">
            <button type="button" role="tab" className={`tab${!showCompare ? ' is-active' : ''}`} onClick={() => setTab('dashboard')} data-testid="tab-dashboard">
              Dashboard
            </button>
            <button type="button" role="tab" className={`tab${showCompare ? ' is-active' : ''}`} onClick={() => setTab('compare')} data-testid="tab-compare">
              Compare <span className="tab__count">{compared.length}</span>
            </button>
          </div>
        )}
        <div className="train-view__scroll">
          {showCompare ? (
            <CompareCharts runs={compared} version={compared.map((r) => r.version).join(':')} labelOf={(r) => runDateText(r.runId, listings[r.runId])} />
          ) : run ? (
            <>
              <RunHeader run={run} version={run.version} />
              <Dashboard run={run} version={run.version} />
            </>
          ) : (
            <div className="dashboard__empty">Press Train to start a run; its loss, metrics and diagnosis appear here as it learns.</div>
          )}
        </div>
      </div>
    </main>
  );
}

export const TrainView = memo(TrainViewView);
