/**
 * @file Keyboard shortcuts of the in-app menu: Ctrl/Cmd+S saves, Ctrl/Cmd+Shift+S saves as,
 * Ctrl/Cmd+O opens. Off where a native menu exists: its accelerators send the same commands.
 */
import { useEffect } from 'react';
import type { StudioCommands } from './commands';

export function useShortcuts(commands: StudioCommands, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 's') {
        event.preventDefault();
        void (event.shiftKey ? commands.saveAs() : commands.save());
      } else if (key === 'o' && !event.shiftKey) {
        event.preventDefault();
        void commands.open();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [commands, enabled]);
}
