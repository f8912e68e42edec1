/** @file Renders the open in-app dialog (a prompt or a confirmation) as a modal; Escape cancels, Enter confirms. */
import { memo, useEffect, useRef, useState, type FormEvent } from 'react';
import { useDialogStore, type DialogRequest } from '../state/dialogStore';

function DialogHostView() {
  const current = useDialogStore((s) => s.current);
  const answer = useDialogStore((s) => s.answer);
  if (!current) return null;
  return <Dialog request={current.request} onAnswer={answer} />;
}

function Dialog({ request, onAnswer }: { request: DialogRequest; onAnswer: (value: string | null) => void }) {
  const [text, setText] = useState(request.kind === 'prompt' ? request.initial : '');
  const inputRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (inputRef.current) {
      inputRef.current.focus();
      inputRef.current.setSelectionRange(text.length, text.length);
    } else confirmRef.current?.focus();
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') onAnswer(null);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
    // Focus once, when the dialog opens (onAnswer is a stable store action).
  }, [onAnswer]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (request.kind === 'prompt' && !text.trim()) return;
    onAnswer(request.kind === 'prompt' ? text : '');
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onAnswer(null)}>
      <form className="modal" role="dialog" aria-modal="true" aria-labelledby="dialog-title" onSubmit={submit} data-testid="dialog">
        <h2 id="dialog-title" className="modal__title">
          {request.title}
        </h2>
        {request.kind === 'prompt' ? (
          <label className="field">
            <span className="field__label">{request.label}</span>
            <input ref={inputRef} className="input input--mono" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} data-testid="dialog-input" />
            {request.hint && <span className="field__hint">{request.hint}</span>}
          </label>
        ) : (
          <p className="modal__message">{request.message}</p>
        )}
        <div className="modal__actions">
          <button type="button" className="button" onClick={() => onAnswer(null)} data-testid="dialog-cancel">
            Cancel
          </button>
          <button
            ref={confirmRef}
            type="submit"
            className={`button ${request.kind === 'confirm' && request.danger ? 'button--danger' : 'button--primary'}`}
            disabled={request.kind === 'prompt' && !text.trim()}
            data-testid="dialog-confirm"
          >
            {request.confirmLabel}
          </button>
        </div>
      </form>
    </div>
  );
}

export const DialogHost = memo(DialogHostView);
