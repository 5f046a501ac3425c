import { useEffect, useRef, type KeyboardEvent } from 'react';
import { SendIcon, StopIcon } from './Icons';

interface ComposerProps {
  draft: string;
  onDraftChange: (text: string) => void;
  busy: boolean;
  stopping: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
}

/** The message box: Enter sends, Shift+Enter starts a new line; Stop while an answer streams. */
export function Composer({ draft, onDraftChange, busy, stopping, onSend, onStop }: ComposerProps) {
  const box = useRef<HTMLTextAreaElement>(null);

  // why: grow with the text up to a cap (the height is set through the DOM, which the CSP allows).
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [draft]);

  const submit = () => {
    const text = draft.trim();
    if (!text || busy) return;
    onSend(text);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <div className="composer-wrap">
      {busy && (
        // why: Stop sits apart from Send, so that a double-click on Send cannot stop the turn.
        <button
          type="button"
          className="stop-button"
          data-testid="stop"
          disabled={stopping}
          onClick={onStop}
        >
          <StopIcon /> {stopping ? 'Stopping…' : 'Stop'}
        </button>
      )}
      <form
        className="composer"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label htmlFor="composer" className="visually-hidden">
          Message
        </label>
        <textarea
          id="composer"
          ref={box}
          data-testid="composer"
          rows={1}
          placeholder="Message reprise…"
          value={draft}
          onChange={(e) => onDraftChange(e.target.value)}
          onKeyDown={onKeyDown}
          autoFocus
        />
        <button
          type="submit"
          className="round-button send"
          data-testid="send"
          aria-label="Send"
          title="Send (Enter)"
          disabled={busy || !draft.trim()}
        >
          <SendIcon />
        </button>
      </form>
    </div>
  );
}
