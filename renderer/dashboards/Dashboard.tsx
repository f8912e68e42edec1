/**
 * @file One run's dashboard: its diagnosis pinned on top, then the panels its events called for
 * (see `eventTable` and `panelTable`), each a titled card. Re-renders when the run's version moves,
 * which the runs store allows at most ~10 times a second.
 */
import { memo } from 'react';
import { DiagnosisBanners } from './DiagnosisBanners';
import { panelTable, visiblePanels } from './panelTable';
import type { RunView } from './runView';

function DashboardView({ run, version }: { run: RunView; version: number }) {
  const panels = visiblePanels(run);
  return (
    <div className="dashboard" data-testid="dashboard" data-run={run.runId} data-version={version}>
      <DiagnosisBanners warnings={run.warnings} />
      {panels.length === 0 ? (
        <div className="dashboard__empty">Waiting for the first steps of {run.runId}…</div>
      ) : (
        <div className="dashboard__panels">
          {panels.map((id) => {
            const { title, hint, wide, Component } = panelTable[id];
            if (!Component) return null;
            return (
              <section key={id} className={`panel${wide ? ' panel--wide' : ''}`} data-testid={`panel-${id}`} aria-label={title}>
                <header className="panel__header">
                  <h3 className="panel__title">{title}</h3>
                  <span className="panel__hint">{hint}</span>
                </header>
                <div className="panel__body">
                  <Component run={run} version={version} />
                </div>
              </section>
            );
          })}
        </div>
      )}
    </div>
  );
}

export const Dashboard = memo(DashboardView);
