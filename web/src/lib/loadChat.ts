import { api, ApiError, session, type ChatSummary } from './api';
import type { ChatMessage, MessageMeta } from './types';
import { readSse } from '../transport/sse';

export interface LoadedChat {
  /** Null for a chat that does not exist yet (a new chat before its first message). */
  summary: ChatSummary | null;
  messages: ChatMessage[];
  isStreaming: boolean;
}

/**
 * A chat and its stored messages; a chat that does not exist yet loads as empty. `knownEnding`
 * says which answers the page already knows the ending of (no need to ask the server).
 */
export async function loadChat(
  chatId: string,
  isNew = false,
  knownEnding: (messageId: string) => boolean = () => false,
): Promise<LoadedChat> {
  if (isNew) return { summary: null, messages: [], isStreaming: false };
  let detail;
  try {
    detail = await api.getChat(chatId);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      return { summary: null, messages: [], isStreaming: false };
    }
    throw e;
  }
  const messages = detail.messages;
  const last = messages[messages.length - 1];
  if (!detail.isStreaming && last && !knownEnding(last.id)) await annotateLastAnswer(chatId, last);
  return { summary: detail.chat, messages, isStreaming: detail.isStreaming };
}

const TAIL = 4;

/**
 * Stored messages do not say how an answer ended, but the end of the chat's latest run does: read
 * its last chunks to learn whether the last answer was stopped or ended with an error.
 */
async function annotateLastAnswer(chatId: string, last: ChatMessage): Promise<void> {
  if (last.role !== 'assistant' || last.metadata) return;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 3_000);
  try {
    const response = await fetch(
      `/api/chat/${encodeURIComponent(chatId)}/stream?startIndex=-${TAIL}`,
      { headers: session.headers(), signal: abort.signal, cache: 'no-store' },
    );
    if (!response.ok || !response.body) return;
    const meta: MessageMeta = {};
    let seen = 0;
    let finished = false;
    await readSse(
      response.body,
      abort.signal,
      ({ data }) => {
        if (data === '[DONE]') return false;
        seen++;
        const chunk = JSON.parse(data) as {
          type: string;
          errorText?: string;
          finishReason?: string;
        };
        if (chunk.type === 'error') meta.errorText = chunk.errorText ?? 'An error occurred.';
        if (chunk.type === 'abort') meta.stopped = true;
        if (chunk.type === 'finish') {
          if (chunk.finishReason) meta.finishReason = chunk.finishReason;
          finished = true;
        }
        // why: a run that went live in the meantime would go on streaming: look no further.
        return finished || seen >= TAIL;
      },
      3_000,
    );
    if (finished) last.metadata = meta;
  } catch {
    // best effort: the message shows without its ending
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/**
 * The server's messages in the server's order (keeping the ending the page learned for a message
 * when the stored one has none), then the local messages the server does not have yet (an answer
 * still streaming).
 */
export function mergeMessages(server: ChatMessage[], local: ChatMessage[]): ChatMessage[] {
  const localById = new Map(local.map((m) => [m.id, m]));
  const serverIds = new Set(server.map((m) => m.id));
  return [
    ...server.map((m) => {
      const mine = localById.get(m.id);
      return mine?.metadata && !m.metadata ? { ...m, metadata: mine.metadata } : m;
    }),
    ...local.filter((m) => !serverIds.has(m.id)),
  ];
}
