import { useRef, useState, type FormEvent } from 'react';
import type { ChatSummary } from '../lib/api';
import { PencilIcon, PlusIcon, TrashIcon } from './Icons';

interface SidebarProps {
  chats: ChatSummary[] | null;
  error: string | null;
  currentChatId: string;
  open: boolean;
  onNewChat: () => void;
  onOpen: (chatId: string) => void;
  onRename: (chatId: string, title: string) => Promise<void>;
  onDelete: (chatId: string) => Promise<void>;
  onSignOut: () => void;
}

function ChatItem({
  chat,
  current,
  onOpen,
  onRename,
  onDelete,
}: {
  chat: ChatSummary;
  current: boolean;
  onOpen: () => void;
  onRename: (title: string) => Promise<void>;
  onDelete: () => Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(chat.title);
  const done = useRef(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (done.current) return;
    done.current = true;
    setEditing(false);
    const next = title.trim();
    if (next && next !== chat.title) await onRename(next.slice(0, 200));
  };

  return (
    <li
      className={`chat-item${current ? ' current' : ''}`}
      data-testid="chat-item"
      data-chat-id={chat.id}
      data-streaming={chat.isStreaming ? 'true' : 'false'}
      data-waiting={chat.isWaiting ? 'true' : 'false'}
    >
      {editing ? (
        <form className="rename-form" onSubmit={save}>
          <label className="visually-hidden" htmlFor={`rename-${chat.id}`}>
            Chat title
          </label>
          <input
            id={`rename-${chat.id}`}
            data-testid="rename-input"
            value={title}
            maxLength={200}
            autoFocus
            onChange={(e) => setTitle(e.target.value)}
            onBlur={save}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                done.current = true;
                setTitle(chat.title);
                setEditing(false);
              }
            }}
          />
        </form>
      ) : (
        <>
          <a
            className="chat-link"
            href={`/c/${chat.id}`}
            aria-current={current ? 'page' : undefined}
            onClick={(e) => {
              if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              onOpen();
            }}
          >
            <span className="chat-title">{chat.title}</span>
            {chat.isStreaming && (
              <span className="live-dot" data-testid="streaming-indicator" title="Answering">
                <span className="visually-hidden">(answering)</span>
              </span>
            )}
            {chat.isWaiting && !chat.isStreaming && (
              <span
                className="waiting-badge"
                data-testid="waiting-indicator"
                title="The assistant waits for your answer in this chat"
              >
                needs you
              </span>
            )}
          </a>
          <div className="chat-actions">
            <button
              type="button"
              className="icon-button"
              data-testid="rename-chat"
              aria-label={`Rename “${chat.title}”`}
              title="Rename"
              onClick={() => {
                done.current = false;
                setTitle(chat.title);
                setEditing(true);
              }}
            >
              <PencilIcon />
            </button>
            <button
              type="button"
              className="icon-button"
              data-testid="delete-chat"
              aria-label={`Delete “${chat.title}”`}
              title="Delete"
              onClick={() => {
                if (window.confirm(`Delete “${chat.title}”? This cannot be undone.`))
                  void onDelete();
              }}
            >
              <TrashIcon />
            </button>
          </div>
        </>
      )}
    </li>
  );
}

/** The account's chats, with new chat, rename, delete and sign out. */
export function Sidebar(props: SidebarProps) {
  const { chats, error, currentChatId, open } = props;
  return (
    <aside className={`sidebar${open ? ' open' : ''}`} aria-label="Chats">
      <div className="sidebar-top">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          reprise
        </div>
        <button type="button" className="new-chat" data-testid="new-chat" onClick={props.onNewChat}>
          <PlusIcon /> New chat
        </button>
      </div>
      <nav className="chat-nav">
        {error && (
          <p className="sidebar-note" role="status">
            {chats
              ? 'Could not refresh the chats; retrying.'
              : `Could not load the chats: ${error}`}
          </p>
        )}
        {chats && chats.length === 0 && <p className="sidebar-note">No chats yet.</p>}
        <ul className="chat-list" data-testid="chat-list">
          {chats?.map((chat) => (
            <ChatItem
              key={chat.id}
              chat={chat}
              current={chat.id === currentChatId}
              onOpen={() => props.onOpen(chat.id)}
              onRename={(title) => props.onRename(chat.id, title)}
              onDelete={() => props.onDelete(chat.id)}
            />
          ))}
        </ul>
      </nav>
      <div className="sidebar-bottom">
        <button type="button" className="sign-out" data-testid="sign-out" onClick={props.onSignOut}>
          Sign out
        </button>
      </div>
    </aside>
  );
}
