/**
 * @file The editor's keyboard: Delete/Backspace delete the selection; Ctrl/Cmd+C, X, V, D copy,
 * cut, paste, duplicate; Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl+Y redo; Ctrl/Cmd+A select
 * all; Ctrl/Cmd+G group; F fit view; L auto-layout. Keys typed into a field or a dialog stay there.
 */
import { useEffect } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useDialogStore } from '../state/dialogStore';
import { useStudioStore } from '../state/studioStore';
import { autoLayout, copy, cut, deleteSelection, duplicate, groupSelection, paste, selectAll } from './editorActions';

function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useEditorShortcuts(): void {
  const flow = useReactFlow();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || typingInField(event.target) || useDialogStore.getState().current) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const run = (action: () => unknown): void => {
        event.preventDefault();
        void action();
      };
      const store = useStudioStore.getState();
      if (mod && !event.altKey) {
        if (key === 'z') run(event.shiftKey ? store.redo : store.undo);
        else if (key === 'y' && !event.shiftKey) run(store.redo);
        else if (key === 'c' && !event.shiftKey) run(copy);
        else if (key === 'x' && !event.shiftKey) run(cut);
        else if (key === 'v' && !event.shiftKey) run(paste);
        else if (key === 'd' && !event.shiftKey) run(duplicate);
        else if (key === 'a' && !event.shiftKey) run(selectAll);
        else if (key === 'g' && !event.shiftKey) run(groupSelection);
        return;
      }
      if (event.altKey) return;
      if (key === 'delete' || key === 'backspace') run(deleteSelection);
      else if (key === 'f' && !event.shiftKey) run(() => flow.fitView({ padding: 0.15, maxZoom: 1.1, duration: 200 }));
      else if (key === 'l' && !event.shiftKey) run(() => autoLayout((id) => flow.getInternalNode(id)?.measured as { width: number; height: number } | undefined));
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [flow]);
}
