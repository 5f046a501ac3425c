import type { ChatMessage } from './types';

/** A chat as `GET /api/chats` lists it. */
export interface ChatSummary {
  id: string;
  title: string;
  model?: string;
  createdAt: string;
  updatedAt: string;
  isStreaming: boolean;
  activeRunId?: string;
  /** A tool call in the chat waits for the user (an approval or a client-side tool). */
  isWaiting?: boolean;
}

/** A tool call that waits for the user, as `GET /api/chats/{id}` lists it. */
export interface Waiting {
  /** The approval id (kind `approval`) or the tool call id (kind `client-tool`). */
  id: string;
  kind: 'approval' | 'client-tool';
  messageId: string;
  toolCallId: string;
  toolName: string;
  input: unknown;
  since: string;
}

/** How the run that wrote an assistant message ended. */
export interface Answer {
  messageId: string;
  runId: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  error?: string;
}

export interface ChatDetail {
  chat: ChatSummary;
  messages: ChatMessage[];
  answers: Answer[];
  waiting?: Waiting[];
  isStreaming: boolean;
}

export interface ModelInfo {
  id: string;
  isDefault: boolean;
}

/** An HTTP answer that was not 2xx, with the server's error message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Listener = () => void;

/**
 * Holds the credential (an API key or a JWT, always sent as `Authorization: Bearer`) and tells
 * the app when the server rejected it, so that every 401 leads back to the sign-in page.
 */
class Session {
  private static readonly STORAGE_KEY = 'reprise.credential';
  private unauthorizedListeners = new Set<Listener>();

  get credential(): string | null {
    try {
      return localStorage.getItem(Session.STORAGE_KEY);
    } catch {
      return null;
    }
  }

  signIn(credential: string): void {
    localStorage.setItem(Session.STORAGE_KEY, credential);
  }

  signOut(): void {
    localStorage.removeItem(Session.STORAGE_KEY);
  }

  headers(extra?: Record<string, string>): Record<string, string> {
    const credential = this.credential;
    return {
      ...(credential ? { Authorization: `Bearer ${credential}` } : {}),
      ...extra,
    };
  }

  onUnauthorized(listener: Listener): () => void {
    this.unauthorizedListeners.add(listener);
    return () => this.unauthorizedListeners.delete(listener);
  }

  rejected(): void {
    this.signOut();
    this.unauthorizedListeners.forEach((listener) => listener());
  }
}

export const session = new Session();

/** The message of reprise's error envelope (`{"status":"error","message":…}`), or a fallback. */
export async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string' && body.message) return body.message;
  } catch {
    // not JSON: fall through
  }
  return text.trim() || `The server answered ${response.status} ${response.statusText}`.trim();
}

/** Throws an ApiError for a non-2xx answer; a 401 also signs the user out. */
export async function check(response: Response): Promise<Response> {
  if (response.ok) return response;
  if (response.status === 401) session.rejected();
  throw new ApiError(response.status, await errorMessage(response));
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = session.headers(
    init.body != null ? { 'Content-Type': 'application/json' } : undefined,
  );
  const response = await check(await fetch(path, { ...init, headers }));
  return (await response.json()) as T;
}

const chatPath = (id: string) => `/api/chats/${encodeURIComponent(id)}`;

export const api = {
  listChats: () => request<{ chats: ChatSummary[] }>('/api/chats').then((r) => r.chats),
  getChat: (id: string) => request<ChatDetail>(chatPath(id)),
  updateChat: (id: string, changes: { title?: string; model?: string }) =>
    request<{ chat: ChatSummary }>(chatPath(id), {
      method: 'PATCH',
      body: JSON.stringify(changes),
    }).then((r) => r.chat),
  deleteChat: (id: string) => request<{ success: boolean }>(chatPath(id), { method: 'DELETE' }),
  listModels: () => request<{ models: ModelInfo[]; defaultModel: string }>('/api/models'),
  stop: (chatId: string) =>
    request<{ success: boolean; stopped: boolean }>(
      `/api/chat/${encodeURIComponent(chatId)}/stop`,
      { method: 'POST' },
    ),
};
