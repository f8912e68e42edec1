/** @file The toast stack: errors and confirmations, readable sentences, dismissible. */
import { memo } from 'react';
import { useNoticeStore } from '../state/noticeStore';

function NoticesView() {
  const notices = useNoticeStore((s) => s.notices);
  const dismiss = useNoticeStore((s) => s.dismiss);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice--${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid={`notice-${notice.kind}`}>
          <span className="notice__message">{notice.message}</span>
          <button type="button" className="notice__close" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export const Notices = memo(NoticesView);
