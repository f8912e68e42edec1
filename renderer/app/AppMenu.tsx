/** @file The in-app menu bar, drawn when the host has no native menu: File with New, Open, Save, Save As, Undo, Redo and Export. */
import { memo, useEffect, useRef, useState } from 'react';
import { useStudioStore } from '../state/studioStore';
import { useStudio } from './studioContext';

interface MenuItem {
  id: string;
  label: string;
  shortcut?: string;
  disabled?: boolean;
  hint?: string;
  run?: () => void;
}

function AppMenuView() {
  const { commands } = useStudio();
  const platform = useStudioStore((s) => s.appInfo?.platform);
  const saving = useStudioStore((s) => s.saving);
  const canUndo = useStudioStore((s) => s.history.past.length > 0);
  const canRedo = useStudioStore((s) => s.history.future.length > 0);
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const mod = platform === 'darwin' ? '⌘' : 'Ctrl+';

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent): void => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') setOpen(false);
    };
    window.addEventListener('pointerdown', onPointerDown);
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('pointerdown', onPointerDown);
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  const groups: MenuItem[][] = [
    [
      { id: 'new', label: 'New project…', run: () => void commands.startOver() },
      { id: 'open', label: 'Open…', shortcut: `${mod}O`, run: () => void commands.open() },
    ],
    [
      { id: 'save', label: 'Save', shortcut: `${mod}S`, disabled: saving, run: () => void commands.save() },
      { id: 'save-as', label: 'Save As…', shortcut: `${mod}Shift+S`, disabled: saving, run: () => void commands.saveAs() },
    ],
    [
      { id: 'undo', label: 'Undo', shortcut: `${mod}Z`, disabled: !canUndo, run: () => useStudioStore.getState().undo() },
      { id: 'redo', label: 'Redo', shortcut: `${mod}Shift+Z`, disabled: !canRedo, run: () => useStudioStore.getState().redo() },
    ],
    [{ id: 'export', label: 'Export…', shortcut: `${mod}E`, run: () => commands.runMenuCommand({ command: 'export' }) }],
  ];

  return (
    <div className="menubar" ref={rootRef}>
      <button type="button" className={`menubar__trigger${open ? ' is-open' : ''}`} aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="menu-file">
        File
      </button>
      {open && (
        <div className="menu" role="menu">
          {groups.map((group, index) => (
            <div className="menu__group" key={index}>
              {group.map((item) => (
                <button
                  key={item.id}
                  type="button"
                  role="menuitem"
                  className="menu__item"
                  disabled={item.disabled}
                  title={item.hint}
                  onClick={() => {
                    setOpen(false);
                    item.run?.();
                  }}
                  data-testid={`menu-${item.id}`}
                >
                  <span>{item.label}</span>
                  <span className="menu__shortcut">{item.hint && item.disabled ? 'Later' : item.shortcut}</span>
                </button>
              ))}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const AppMenu = memo(AppMenuView);
