/**
 * @file In-app dialogs (a text prompt, a confirmation) as promises, for hosts without native
 * dialogs and for questions no host asks natively. One dialog at a time.
 */
import { create } from 'zustand';

export type DialogRequest =
  | { kind: 'prompt'; title: string; label: string; initial: string; confirmLabel: string; hint?: string }
  | { kind: 'confirm'; title: string; message: string; confirmLabel: string; danger?: boolean };

interface OpenDialog {
  request: DialogRequest;
  resolve(answer: string | null): void;
}

interface DialogState {
  current: OpenDialog | null;
  /** Answer the open dialog: the text (or `''` for a confirmation), or `null` when cancelled. */
  answer(value: string | null): void;
}

export const useDialogStore = create<DialogState>()((set, get) => ({
  current: null,
  answer: (value) => {
    const current = get().current;
    if (!current) return;
    set({ current: null });
    current.resolve(value);
  },
}));

function open(request: DialogRequest): Promise<string | null> {
  useDialogStore.getState().answer(null);
  return new Promise((resolve) => useDialogStore.setState({ current: { request, resolve } }));
}

/** Ask for a line of text; `null` when the user cancels. */
export function askText(request: Omit<Extract<DialogRequest, { kind: 'prompt' }>, 'kind'>): Promise<string | null> {
  return open({ kind: 'prompt', ...request });
}

/** Ask a yes/no question; `true` when the user confirms. */
export async function askConfirm(request: Omit<Extract<DialogRequest, { kind: 'confirm' }>, 'kind'>): Promise<boolean> {
  return (await open({ kind: 'confirm', ...request })) !== null;
}
