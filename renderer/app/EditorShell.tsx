/** @file The editor for an open project: top bar, network tabs, palette, canvas, inspector, status bar; or the Data view (the dataset and its split), or the Train view (runs and their dashboards). */
import { memo, useEffect } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { NetworkCanvas } from '../canvas/NetworkCanvas';
import { DataView } from '../datasets/DataView';
import { useEditorShortcuts } from '../canvas/useEditorShortcuts';
import { Inspector } from '../inspector/Inspector';
import { Palette } from '../palette/Palette';
import { RunsProvider } from '../runs/RunsProvider';
import { useRunsStore } from '../runs/runsStore';
import { TrainView } from '../runs/TrainView';
import { useSelectionStore } from '../state/selectionStore';
import { selectActiveNetwork, useStudioStore } from '../state/studioStore';
import { NetworkTabs } from './NetworkTabs';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';

function EditorBody() {
  const loadId = useStudioStore((s) => s.document?.loadId);
  const network = useStudioStore(selectActiveNetwork);
  useEditorShortcuts();
  useEffect(() => useSelectionStore.getState().clear(), [loadId, network?.id]);
  return (
    <main className="editor__body">
      <Palette />
      <div className="editor__canvas">{network && <NetworkCanvas key={`${loadId}:${network.id}`} network={network} />}</div>
      <Inspector />
    </main>
  );
}

function EditorShellView() {
  const view = useRunsStore((s) => s.view);
  return (
    <RunsProvider>
      <div className="editor" data-testid="editor">
        <TopBar />
        <NetworkTabs />
        {view === 'train' ? (
          <TrainView />
        ) : view === 'data' ? (
          <DataView />
        ) : (
          <ReactFlowProvider>
            <EditorBody />
          </ReactFlowProvider>
        )}
        <StatusBar />
      </div>
    </RunsProvider>
  );
}

export const EditorShell = memo(EditorShellView);
