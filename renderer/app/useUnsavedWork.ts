/**
 * @file Keeping unsaved work safe: a few seconds after the last edit the unsaved project goes to
 * its recovery file (autosave, never over the project file), and a page with unsaved changes
 * vetoes being closed or left (`beforeunload`): the browser asks in web mode; on the desktop the
 * main process turns the veto into a native "Close without saving / Keep editing" dialog.
 */
import { useEffect } from 'react';
import { useStudioStore } from '../state/studioStore';
import type { StudioCommands } from './commands';

export const AUTOSAVE_DELAY_MS = 3000;

export function useUnsavedWork(commands: StudioCommands, warnOnLeave: boolean): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = useStudioStore.subscribe((state, previous) => {
      if (state.document?.project === previous.document?.project || !state.document?.dirty) return;
      clearTimeout(timer);
      timer = setTimeout(() => void commands.autosave(), AUTOSAVE_DELAY_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [commands]);

  useEffect(() => {
    if (!warnOnLeave) return;
    const onBeforeUnload = (event: BeforeUnloadEvent): void => {
      if (!useStudioStore.getState().document?.dirty) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [warnOnLeave]);
}
