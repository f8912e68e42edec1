/** @file The status bar: when the project was saved and where, what the canvas shows (with totals and problems), and which host runs the studio. */
import { memo } from 'react';
import { formatCount } from '../canvas/formatCount';
import { useProjectAnalysis } from '../state/analysis';
import { selectActiveNetwork, useStudioStore } from '../state/studioStore';

function StatusBarView() {
  const document = useStudioStore((s) => s.document);
  const network = useStudioStore(selectActiveNetwork);
  const appInfo = useStudioStore((s) => s.appInfo);
  const analysis = useProjectAnalysis();
  const errors = analysis?.diagnostics.filter((d) => d.severity === 'error').length ?? 0;
  const totals = network ? analysis?.networks[network.id]?.totals : undefined;
  const saveState = !document ? '' : document.dirty ? 'Unsaved changes' : document.savedAt ? `Saved at ${formatClock(document.savedAt)}` : 'No changes since opening';
  return (
    <footer className="statusbar" data-testid="status">
      <span className="statusbar__item" data-testid="save-status">
        {saveState}
      </span>
      {document && (
        <span className="statusbar__item statusbar__path" title={document.path}>
          {document.path}
        </span>
      )}
      {network && (
        <span className="statusbar__item">
          {network.name} · {plural(network.nodes.length, 'layer')} · {plural(network.edges.length, 'connection')}
        </span>
      )}
      {totals && (
        <span className="statusbar__item" data-testid="network-stats">
          {formatCount(totals.params)} parameters · {formatCount(totals.flops)} FLOPs per example
        </span>
      )}
      {analysis && (
        <span className={`statusbar__item${errors ? ' statusbar__errors' : ''}`} data-testid="error-count">
          {errors ? plural(errors, 'problem') : 'No problems'}
        </span>
      )}
      <span className="statusbar__spacer" />
      {appInfo && (
        <span className="statusbar__item" data-testid="host-info">
          {appInfo.name} {appInfo.version} · {appInfo.host} · {appInfo.platform}
        </span>
      )}
    </footer>
  );
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

function formatClock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export const StatusBar = memo(StatusBarView);
