/** @file Notices: short messages to the user (errors, confirmations), shown as toasts and dismissed by time or hand. */
import { create } from 'zustand';

export type NoticeKind = 'error' | 'info' | 'success';

export interface Notice {
  id: number;
  kind: NoticeKind;
  message: string;
}

interface NoticeState {
  notices: Notice[];
  push(kind: NoticeKind, message: string): number;
  dismiss(id: number): void;
}

const LIFETIME_MS: Record<NoticeKind, number> = { error: 12_000, info: 5_000, success: 3_500 };
const MAX_SHOWN = 4;
let nextId = 1;

export const useNoticeStore = create<NoticeState>()((set, get) => ({
  notices: [],
  push: (kind, message) => {
    const id = nextId++;
    set(({ notices }) => ({ notices: [...notices, { id, kind, message }].slice(-MAX_SHOWN) }));
    setTimeout(() => get().dismiss(id), LIFETIME_MS[kind]);
    return id;
  },
  dismiss: (id) => set(({ notices }) => ({ notices: notices.filter((n) => n.id !== id) })),
}));

export const notify = (kind: NoticeKind, message: string): number => useNoticeStore.getState().push(kind, message);
