import { useChat } from '@ai-sdk/react';
import {
  isToolUIPart,
  lastAssistantMessageIsCompleteWithApprovalResponses,
  lastAssistantMessageIsCompleteWithToolCalls,
} from 'ai';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { api, ApiError, type ChatSummary } from '../lib/api';
import { loadChat, mergeMessages, type LoadedChat } from '../lib/loadChat';
import type { ChatMessage } from '../lib/types';
import { chatStarted, isFreshChat } from '../lib/route';
import type { Models } from '../lib/useModels';
import { ResumableChatTransport } from '../transport/ResumableChatTransport';
import { Composer } from './Composer';
import { ConnectionStatus, type Status } from './ConnectionStatus';
import { MenuIcon } from './Icons';
import { Message } from './Message';
import { ModelPicker } from './ModelPicker';
import { localTime, type ToolActions, type ToolView } from './ToolCall';

interface ChatPageProps {
  chatId: string;
  /** The chat as the sidebar last listed it (undefined while it is not listed). */
  summary: ChatSummary | undefined;
  models: Models;
  onChatsChanged: () => void;
  onMenu: () => void;
}

function describe(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return 'This chat belongs to another account.';
    if (error.status === 429) return `Slow down a little: ${error.message}`;
    return error.message;
  }
  if (error instanceof TypeError)
    return 'Could not reach the server. Check the connection and send again.';
  return error instanceof Error ? error.message : String(error);
}

/** Loads a chat's stored messages, then shows it (resuming an answer in progress). */
export function ChatPage(props: ChatPageProps) {
  const { chatId } = props;
  const [loaded, setLoaded] = useState<LoadedChat | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    // why: a chat that was just made up here is known to be empty: skip the request (and its 404).
    loadChat(chatId, isFreshChat(chatId) && !props.summary)
      .then((chat) => live && setLoaded(chat))
      .catch((e: unknown) => live && setLoadError(describe(e)));
    return () => {
      live = false;
    };
  }, [chatId]);

  if (loaded) return <Conversation {...props} initial={loaded} />;
  return (
    <main className="main">
      <TopBar title={props.summary?.title ?? ''} onMenu={props.onMenu} />
      <div className="messages-scroll">
        <div className="empty-state">
          {loadError ? (
            <p className="notice" data-testid="chat-error" role="alert">
              {loadError}
            </p>
          ) : (
            <p className="loading">Loading…</p>
          )}
        </div>
      </div>
    </main>
  );
}

function TopBar({
  title,
  onMenu,
  children,
}: {
  title: string;
  onMenu: () => void;
  children?: React.ReactNode;
}) {
  return (
    <header className="topbar">
      <button
        type="button"
        className="icon-button menu-button"
        aria-label="Show chats"
        data-testid="open-sidebar"
        onClick={onMenu}
      >
        <MenuIcon />
      </button>
      <h1 className="chat-heading">{title || 'New chat'}</h1>
      <div className="topbar-tools">{children}</div>
    </header>
  );
}

function Conversation({
  chatId,
  summary,
  models,
  onChatsChanged,
  onMenu,
  initial,
}: ChatPageProps & { initial: LoadedChat }) {
  const [model, setModel] = useState<string | undefined>(initial.summary?.model);
  const [draft, setDraft] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [stopping, setStopping] = useState(false);
  const selectedModel = model ?? models.defaultModel;
  const modelRef = useRef(selectedModel);
  modelRef.current = selectedModel;
  const refetchRef = useRef<() => void>(() => {});
  // The messages as the server last stored them: a run that continues one of them replays only
  // what it adds, so a replay is given the stored message to build on.
  const stored = useRef(new Map(initial.messages.map((m) => [m.id, m])));
  const remember = (list: ChatMessage[]) => list.forEach((m) => stored.current.set(m.id, m));
  const messagesRef = useRef(initial.messages);
  // Tool calls answered on this page that have not been sent yet; only they make it send by itself.
  const answeredHere = useRef(new Set<string>());
  // Whether the last request was an answer to tool calls (rather than a new message).
  const answering = useRef(false);
  const [reconciling, setReconciling] = useState(false);

  const transport = useMemo(
    () =>
      new ResumableChatTransport({
        model: () => modelRef.current,
        onNothingToResume: () => {
          // why: the chat said it was streaming, but its run ended before we asked to follow it;
          // the stored messages now hold the finished answer.
          if (initial.isStreaming) refetchRef.current();
        },
        continuationBase: (id) =>
          stored.current.get(id) ?? messagesRef.current.find((m) => m.id === id),
      }),
    [],
  );
  const connection = useSyncExternalStore(transport.subscribe, transport.getState);

  const chat = useChat<ChatMessage>({
    id: chatId,
    messages: initial.messages,
    transport,
    // why: a chat the server does not know yet has nothing to resume (its stream GET is a 404).
    resume: initial.summary != null,
    // An answer to the assistant's tool calls goes out once every call that waits is answered;
    // only answers given on this page count (a replayed or reloaded message never sends itself).
    sendAutomaticallyWhen: ({ messages: list }) => {
      const last = list[list.length - 1];
      if (last?.role !== 'assistant') return false;
      if (!last.parts.some((p) => isToolUIPart(p) && answeredHere.current.has(p.toolCallId)))
        return false;
      const complete =
        lastAssistantMessageIsCompleteWithApprovalResponses({ messages: list }) ||
        lastAssistantMessageIsCompleteWithToolCalls({ messages: list });
      if (complete) {
        answeredHere.current.clear();
        answering.current = true;
      }
      return complete;
    },
    onFinish: () => {
      onChatsChanged();
      // why: the server finishes its bookkeeping just after the last chunk; look again shortly.
      setTimeout(onChatsChanged, 1_000);
    },
  });
  const { messages, status, error, setMessages } = chat;
  messagesRef.current = messages;
  const busy = status === 'submitted' || status === 'streaming';

  // Leaving the chat stops reading its stream here (the run itself goes on on the server).
  useEffect(() => () => transport.detach(), [transport]);

  const refetch = useCallback(async () => {
    try {
      const fresh = await loadChat(chatId, false);
      remember(fresh.messages);
      setMessages((local) => mergeMessages(fresh.messages, local));
    } catch {
      // the next refresh will try again
    }
  }, [chatId, setMessages]);
  refetchRef.current = refetch;

  // An answer that another tab or a headless run started: fetch the user message it answers.
  const fetchedFor = useRef<string | null>(null);
  useEffect(() => {
    const last = messages[messages.length - 1];
    if (!last || last.role !== 'assistant' || !busy) return;
    if (messages[messages.length - 2]?.role === 'user') return;
    if (fetchedFor.current === last.id) return;
    fetchedFor.current = last.id;
    void refetch();
  }, [messages, busy, refetch]);

  // Follow what happens to this chat elsewhere, as the chat list reports it.
  const sending = useRef(false);
  const seenUpdate = useRef(initial.summary?.updatedAt);
  useEffect(() => {
    if (!summary || busy || sending.current || reconciling || transport.isActive()) return;
    if (summary.isStreaming) {
      // why: right after our own answer ends the list may still call it live: not again.
      if (summary.activeRunId && transport.hasFinished(summary.activeRunId)) return;
      void chat.resumeStream();
    } else if (summary.updatedAt !== seenUpdate.current) {
      seenUpdate.current = summary.updatedAt;
      void refetch();
    }
  }, [summary?.isStreaming, summary?.updatedAt]);

  // The sidebar learns about a turn once its answer streams (a new chat then exists on the server).
  const wasStreaming = useRef(false);
  useEffect(() => {
    if (status === 'streaming' && !wasStreaming.current) onChatsChanged();
    // why: the server took the answer; a later error is the stream's, not a refusal of it.
    if (status === 'streaming') answering.current = false;
    wasStreaming.current = status === 'streaming';
    if (!busy) setStopping(false);
  }, [status, busy, onChatsChanged]);

  // An answer to tool calls that came too late (another tab answered, or the chat was stopped or
  // moved on): say so, then show the chat as it is, following the answer that goes on there.
  const reconcile = async (note: string) => {
    setNotice(note);
    setReconciling(true);
    chat.clearError();
    try {
      const fresh = await loadChat(chatId, false);
      remember(fresh.messages);
      setMessages((local) => mergeMessages(fresh.messages, local));
      if (fresh.isStreaming) await chat.resumeStream();
    } catch {
      // why: without the server's word, show what it last said (the question, to answer again);
      // the chat list's next refresh brings the chat up to date.
      setMessages((local) => local.map((m) => stored.current.get(m.id) ?? m));
    } finally {
      setReconciling(false);
    }
  };

  // A turn the server refused because the chat is already answering: follow that answer instead.
  const lastSent = useRef('');
  useEffect(() => {
    if (!error) return;
    if (answering.current) {
      answering.current = false;
      const status = error instanceof ApiError ? error.status : 0;
      void reconcile(
        status === 409
          ? 'This was already answered in another tab (or the chat was stopped). Here is what happened there.'
          : status === 404
            ? 'This question no longer waits for an answer. Here is the chat as it is now.'
            : `Your answer was not sent: ${describe(error)}`,
      );
      return;
    }
    if (!(error instanceof ApiError) || error.status !== 409) return;
    setMessages((list) => {
      const last = list[list.length - 1];
      return last?.role === 'user' ? list.slice(0, -1) : list;
    });
    setDraft((current) => current || lastSent.current);
    setNotice(
      'This chat is already answering elsewhere, so here is that answer. Send again when it is done.',
    );
    chat.clearError();
    void chat.resumeStream();
  }, [error]);

  const send = (text: string) => {
    // why: a ref, not state, so that a double-click or a repeated Enter cannot start two turns.
    if (sending.current || busy) return;
    sending.current = true;
    answering.current = false;
    chatStarted(chatId);
    lastSent.current = text;
    setDraft('');
    setNotice(null);
    void chat.sendMessage({ text }).finally(() => {
      sending.current = false;
    });
  };

  const stop = async () => {
    setStopping(true);
    try {
      // why: no local abort: the server's abort and finish reach this tab like every other one.
      await api.stop(chatId);
    } catch (e) {
      setStopping(false);
      setNotice(`Could not stop: ${describe(e)}`);
    }
  };

  const exists = initial.summary != null || messages.length > 0;
  const changeModel = (next: string) => {
    setModel(next);
    if (exists) {
      api.updateChat(chatId, { model: next }).catch((e: unknown) => {
        setNotice(`Could not change the model: ${describe(e)}`);
      });
    }
  };

  const shownStatus: Status = connection === 'reconnecting' ? 'reconnecting' : status;
  // why: a refused answer is explained by a notice (see reconcile), not shown as an error.
  const refusedAnswer = error != null && answering.current;
  const errorText =
    error && !(error instanceof ApiError && error.status === 409) && !refusedAnswer
      ? describe(error)
      : null;

  // Answers to the tool calls that wait for the user (in the last answer only).
  const canAnswer = !busy && !reconciling;
  const canAnswerRef = useRef(canAnswer);
  canAnswerRef.current = canAnswer;
  const toolActions = useMemo<ToolActions>(() => {
    const answer = (tool: ToolView, give: () => unknown) => {
      if (!canAnswerRef.current || answeredHere.current.has(tool.toolCallId)) return;
      answeredHere.current.add(tool.toolCallId);
      setNotice(null);
      void give();
    };
    return {
      enabled: canAnswer,
      approve: (tool) =>
        answer(tool, () =>
          chat.addToolApprovalResponse({ id: tool.approval?.id ?? '', approved: true }),
        ),
      deny: (tool, reason) =>
        answer(tool, () =>
          chat.addToolApprovalResponse({
            id: tool.approval?.id ?? '',
            approved: false,
            ...(reason ? { reason } : {}),
          }),
        ),
      shareLocalTime: (tool) =>
        answer(tool, () =>
          chat.addToolOutput({
            tool: tool.toolName,
            toolCallId: tool.toolCallId,
            output: localTime(),
          }),
        ),
      declineLocalTime: (tool) =>
        answer(tool, () =>
          chat.addToolOutput({
            state: 'output-error',
            tool: tool.toolName,
            toolCallId: tool.toolCallId,
            errorText: 'The user declined to share their local time.',
          }),
        ),
    };
  }, [canAnswer]);
  const lastMessage = messages[messages.length - 1];
  const waitingForAnswer = busy && lastMessage?.role !== 'assistant';

  // Keep the newest text in view while the reader is at the bottom.
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages, waitingForAnswer]);

  return (
    <main className="main">
      <TopBar title={summary?.title ?? initial.summary?.title ?? ''} onMenu={onMenu}>
        <ConnectionStatus status={shownStatus} />
        <ModelPicker models={models.models} value={selectedModel} onChange={changeModel} />
      </TopBar>
      <div
        className="messages-scroll"
        ref={scroller}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
        }}
      >
        {messages.length === 0 && !busy ? (
          <div className="empty-state">
            <h2>What can I help with?</h2>
            <p>
              Answers are durable: reload, lose the network or open this chat in another tab, and
              the answer carries on where it was.
            </p>
          </div>
        ) : (
          <div className="messages" aria-live="polite" aria-relevant="additions text">
            {messages.map((message, i) => (
              <Message
                key={message.id}
                message={message}
                streaming={busy && i === messages.length - 1 && message.role === 'assistant'}
                actions={
                  i === messages.length - 1 && message.role === 'assistant'
                    ? toolActions
                    : undefined
                }
              />
            ))}
            {waitingForAnswer && (
              <div
                className="message message-assistant pending"
                aria-label="Waiting for the answer"
              >
                <span className="dots" aria-hidden="true">
                  <span />
                  <span />
                  <span />
                </span>
              </div>
            )}
          </div>
        )}
      </div>
      <footer className="composer-area">
        {errorText && (
          <div className="notice notice-error" data-testid="chat-error" role="alert">
            {errorText}
          </div>
        )}
        {notice && !errorText && (
          <div className="notice" data-testid="chat-notice" role="status">
            {notice}
          </div>
        )}
        <Composer
          draft={draft}
          onDraftChange={setDraft}
          busy={busy}
          stopping={stopping}
          onSend={send}
          onStop={() => void stop()}
        />
        {selectedModel === 'offline' && (
          <p className="fineprint">
            The offline model echoes what you write; mention a “tool” to see a tool call, “approve”
            to be asked first, or “client” for a tool your browser answers.
          </p>
        )}
      </footer>
    </main>
  );
}
