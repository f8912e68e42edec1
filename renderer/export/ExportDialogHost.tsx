/** @file Renders the Export dialog for the open project while it is asked for; exports read the saved project, so unsaved edits are pointed out. */
import { memo, useCallback } from 'react';
import { useStudio } from '../app/studioContext';
import { useStudioStore } from '../state/studioStore';
import { ExportDialog } from './ExportDialog';
import { useExportDialogStore } from './exportDialogStore';

function ExportDialogHostView() {
  const { studio } = useStudio();
  const open = useExportDialogStore((s) => s.open);
  const hide = useExportDialogStore((s) => s.hide);
  const path = useStudioStore((s) => s.document?.path);
  const dirty = useStudioStore((s) => s.document?.dirty ?? false);
  const onClose = useCallback(() => hide(), [hide]);
  if (!open || !path) return null;
  return <ExportDialog studio={studio} projectPath={path} canReveal unsaved={dirty} onClose={onClose} />;
}

export const ExportDialogHost = memo(ExportDialogHostView);
