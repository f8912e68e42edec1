/**
 * @file The app: connects to the studio, then shows the start screen or the editor, with the
 * notices and dialogs over both. Native menu commands are followed when the host has a native menu.
 */
import { useEffect, useMemo } from 'react';
import type { StudioApi } from '../../core/contract/studio';
import { ExportDialogHost } from '../export/ExportDialogHost';
import { useStudioStore } from '../state/studioStore';
import { createCommands } from './commands';
import { DialogHost } from './DialogHost';
import { EditorShell } from './EditorShell';
import { ErrorBoundary } from './ErrorBoundary';
import { Notices } from './Notices';
import { StartScreen } from './StartScreen';
import { StartupProblem } from './StartupProblem';
import { StudioContext, type StudioContextValue } from './studioContext';
import { useShortcuts } from './useShortcuts';
import { useUnsavedWork } from './useUnsavedWork';

export function App({ studio }: { studio: StudioApi }) {
  const context = useMemo<StudioContextValue>(() => ({ studio, commands: createCommands(studio) }), [studio]);
  const { commands } = context;
  const appInfo = useStudioStore((s) => s.appInfo);
  const startupError = useStudioStore((s) => s.startupError);
  const hasDocument = useStudioStore((s) => s.document !== null);
  const nativeMenu = appInfo?.capabilities.nativeMenu ?? false;

  useEffect(() => {
    void commands.bootstrap();
  }, [commands]);

  useEffect(() => {
    if (!nativeMenu) return;
    return studio.onMenuCommand((event) => commands.runMenuCommand(event));
  }, [studio, commands, nativeMenu]);

  useShortcuts(commands, appInfo !== null && !nativeMenu);
  useUnsavedWork(commands, appInfo !== null);

  return (
    <StudioContext.Provider value={context}>
      <ErrorBoundary onReset={() => useStudioStore.getState().closeDocument()}>
        {startupError ? (
          <StartupProblem message={startupError} onRetry={() => void commands.bootstrap()} />
        ) : !appInfo ? (
          <div className="splash" aria-busy="true">
            Connecting to the studio…
          </div>
        ) : hasDocument ? (
          <EditorShell />
        ) : (
          <StartScreen />
        )}
      </ErrorBoundary>
      <Notices />
      <DialogHost />
      <ExportDialogHost />
    </StudioContext.Provider>
  );
}
