import { api, ApiError, type Answer, type ChatSummary } from './api';
import type { ChatMessage, MessageMeta } from './types';

export interface LoadedChat {
  /** Null for a chat that does not exist yet (a new chat before its first message). */
  summary: ChatSummary | null;
  messages: ChatMessage[];
  isStreaming: boolean;
}

/** A chat and its stored messages, each answer with how it ended; a new chat loads as empty. */
export async function loadChat(chatId: string, isNew = false): Promise<LoadedChat> {
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
  const endings = new Map(detail.answers.map((a) => [a.messageId, ending(a)]));
  const messages = detail.messages.map((m) => {
    const meta = m.role === 'assistant' && !m.metadata ? endings.get(m.id) : undefined;
    return meta ? { ...m, metadata: meta } : m;
  });
  return { summary: detail.chat, messages, isStreaming: detail.isStreaming };
}

/** What the page shows at the end of an answer, from its run's outcome. */
function ending(answer: Answer): MessageMeta | undefined {
  switch (answer.status) {
    case 'cancelled':
      return { stopped: true, finishReason: 'other' };
    case 'failed':
      return { finishReason: 'error', errorText: answer.error ?? 'An error occurred.' };
    case 'completed':
      return { finishReason: 'stop' };
    default:
      return undefined;
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
