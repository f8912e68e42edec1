/** @file Diagnostics from core/model as a list: the message, where it is (click to select the node) and its one-click fix. */
import { memo } from 'react';
import type { Diagnostic } from '../../core/model';
import { fix } from '../canvas/editorActions';
import { useSelectionStore } from '../state/selectionStore';
import { useStudioStore } from '../state/studioStore';

function DiagnosticListView({ diagnostics, empty }: { diagnostics: readonly Diagnostic[]; empty?: string }) {
  if (diagnostics.length === 0) return empty ? <p className="muted inspector__empty">{empty}</p> : null;
  const show = (d: Diagnostic): void => {
    if (d.networkId) useStudioStore.getState().setActiveNetwork(d.networkId);
    if (d.nodeId) useSelectionStore.getState().select({ nodeIds: [d.nodeId] });
  };
  return (
    <ul className="diagnostics" data-testid="diagnostics">
      {diagnostics.map((d, i) => (
        <li key={`${d.code}:${d.nodeId ?? ''}:${d.edgeId ?? ''}:${i}`} className={`diagnostic diagnostic--${d.severity}`} data-code={d.code} data-testid={`diagnostic-${d.code}`}>
          <button type="button" className="diagnostic__message" onClick={() => show(d)} title={d.code}>
            {d.message}
          </button>
          {d.fix && (
            <button type="button" className="button button--small diagnostic__fix" onClick={() => d.fix && fix(d.fix, d.networkId)} data-testid={`fix-${d.code}`}>
              {d.fix.label}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

export const DiagnosticList = memo(DiagnosticListView);
