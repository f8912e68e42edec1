/** @file The status bar: when the project was saved and where, what the canvas shows, and which host runs the studio. */
import { memo } from 'react';
import { selectActiveNetwork, useStudioStore } from '../state/studioStore';

function StatusBarView() {
  const document = useStudioStore((s) => s.document);
  const network = useStudioStore(selectActiveNetwork);
  const appInfo = useStudioStore((s) => s.appInfo);
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
