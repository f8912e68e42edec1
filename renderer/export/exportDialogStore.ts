/** @file Whether the Export dialog is open: the menu, the native menu's Export… and shortcuts open it; the dialog closes it. */
import { create } from 'zustand';

interface ExportDialogState {
  open: boolean;
  show(): void;
  hide(): void;
}

export const useExportDialogStore = create<ExportDialogState>((set) => ({
  open: false,
  show: () => set({ open: true }),
  hide: () => set({ open: false }),
}));

export const showExportDialog = (): void => useExportDialogStore.getState().show();
