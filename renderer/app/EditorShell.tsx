/** @file The editor for an open project: top bar, network tabs, the canvas, the status bar. */
import { memo } from 'react';
import { NetworkCanvas } from '../canvas/NetworkCanvas';
import { selectActiveNetwork, useStudioStore } from '../state/studioStore';
import { NetworkTabs } from './NetworkTabs';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';

function EditorShellView() {
  const loadId = useStudioStore((s) => s.document?.loadId);
  const network = useStudioStore(selectActiveNetwork);
  return (
    <div className="editor" data-testid="editor">
      <TopBar />
      <NetworkTabs />
      <main className="editor__body">{network && <NetworkCanvas key={`${loadId}:${network.id}`} network={network} />}</main>
      <StatusBar />
    </div>
  );
}

export const EditorShell = memo(EditorShellView);
