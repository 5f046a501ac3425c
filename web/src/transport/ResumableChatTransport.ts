import type { ChatTransport, UIMessageChunk } from 'ai';
import { ApiError, check, errorMessage, session } from '../lib/api';
import type { ChatMessage, MessageMeta } from '../lib/types';
import { answeredCall, introducedCall, seedChunks } from './seed';
import { readSse } from './sse';

/** What the connection is doing: following a stream, waiting to reconnect, or nothing. */
export type ConnectionState = 'idle' | 'live' | 'reconnecting';

export interface TransportOptions {
  /** The model for the next turn (sent as `model` in the POST body). */
  model: () => string | undefined;
  /** The page-load resume found no live run (204). */
  onNothingToResume?: () => void;
  /**
   * The message as it stood before a run that continues it (the stored copy), for a replay that
   * has to rebuild it: see {@link seedChunks}.
   */
  continuationBase?: (messageId: string) => ChatMessage | undefined;
}

/** Retry delays grow from 250 ms to this cap. */
const MAX_BACKOFF_MS = 2_000;
/** A stream that makes no progress for this long is given up (and reported as an error). */
const GIVE_UP_MS = 120_000;
/** reprise pings every 15 s; a body silent for longer than this is treated as broken. */
const IDLE_MS = 40_000;

/**
 * A ChatTransport for reprise that never loses or repeats a chunk.
 *
 * It parses the SSE itself so that it knows each chunk's index (the SSE `id`). When a stream
 * breaks before its `finish` chunk, whether the network failed, the server went away or the body
 * just ended, it reconnects to `GET /api/chat/{runId}/stream?startIndex=<last index + 1>` with
 * backoff, drops any chunk whose index it has already delivered, and goes on until `finish`.
 *
 * The server's `error` and `abort` chunks are folded into the `finish` chunk's message metadata
 * (`errorText`, `stopped`, `finishReason`), so that how a message ended stays with the message
 * and the chat itself stays usable.
 *
 * A replay of a run that continues an earlier message (after a tool approval or a client-side
 * tool's output) is given that message's earlier parts first, since the run's own chunks only add
 * to it.
 */
export class ResumableChatTransport implements ChatTransport<ChatMessage> {
  /** A reconnect replays the answer from its `start` chunk. */
  readonly resumeStreamIsReplay = true;

  private readonly listeners = new Set<() => void>();
  private readonly reconnecting = new Set<object>();
  private readonly streams = new Set<AbortController>();
  private state: ConnectionState = 'idle';
  private readonly finishedRuns = new Set<string>();
  private opening = 0;

  constructor(private readonly options: TransportOptions) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): ConnectionState => this.state;

  /** Whether this transport has followed the run to its `finish` chunk. */
  hasFinished(runId: string): boolean {
    return this.finishedRuns.has(runId);
  }

  /** Whether a stream is being opened or followed (so a resume now would only repeat it). */
  isActive(): boolean {
    return this.opening > 0 || this.streams.size > 0;
  }

  /** Stops reading every stream of this transport (only locally: the runs go on). */
  detach(): void {
    this.streams.forEach((controller) => controller.abort());
  }

  async sendMessages({
    chatId,
    messages,
    abortSignal,
  }: Parameters<ChatTransport<ChatMessage>['sendMessages']>[0]): Promise<
    ReadableStream<UIMessageChunk>
  > {
    // why: reprise keeps the history itself: it takes only the last message (the new user message,
    // or the assistant message with the answers to its tool calls).
    const last = messages[messages.length - 1];
    const model = this.options.model();
    this.opening++;
    try {
      const response = await check(
        await fetch('/api/chat', {
          method: 'POST',
          headers: session.headers({ 'Content-Type': 'application/json' }),
          body: JSON.stringify({
            id: chatId,
            messages: last ? [last] : [],
            ...(model ? { model } : {}),
          }),
          signal: abortSignal,
          cache: 'no-store',
        }),
      );
      const runId = response.headers.get('x-workflow-run-id') ?? chatId;
      return this.follow(response, runId, abortSignal, false);
    } finally {
      this.opening--;
    }
  }

  async reconnectToStream({
    chatId,
    abortSignal,
  }: Parameters<
    ChatTransport<ChatMessage>['reconnectToStream']
  >[0]): Promise<ReadableStream<UIMessageChunk> | null> {
    this.opening++;
    try {
      const response = await fetch(`/api/chat/${encodeURIComponent(chatId)}/stream`, {
        headers: session.headers(),
        signal: abortSignal,
        cache: 'no-store',
      });
      if (response.status === 204) {
        this.options.onNothingToResume?.();
        return null;
      }
      await check(response);
      const runId = response.headers.get('x-workflow-run-id') ?? chatId;
      return this.follow(response, runId, abortSignal, true);
    } finally {
      this.opening--;
    }
  }

  /** `replay`: the stream starts at its first chunk, and the page builds the message afresh. */
  private follow(
    first: Response,
    runId: string,
    external: AbortSignal | undefined,
    replay: boolean,
  ): ReadableStream<UIMessageChunk> {
    const controller = new AbortController();
    const forward = () => controller.abort(external?.reason);
    if (external?.aborted) controller.abort(external.reason);
    external?.addEventListener('abort', forward, { once: true });
    this.streams.add(controller);
    this.update();
    return new ReadableStream<UIMessageChunk>({
      start: (output) => {
        void this.pump(first, runId, replay, controller.signal, output).finally(() => {
          external?.removeEventListener('abort', forward);
          this.streams.delete(controller);
          this.update();
        });
      },
      cancel: () => controller.abort(),
    });
  }

  private async pump(
    first: Response,
    runId: string,
    replay: boolean,
    signal: AbortSignal,
    output: ReadableStreamDefaultController<UIMessageChunk>,
  ): Promise<void> {
    const token = {};
    const ending: MessageMeta = {};
    let lastIndex = -1;
    let lastProgress = Date.now();
    let attempt = 0;
    let response: Response | null = first;
    let finished = false;
    // why: a replay holds back its `start` until the next chunk shows whether the run continues a
    // message; the message is then rebuilt at once instead of flashing empty.
    let start: UIMessageChunk<MessageMeta> | null = null;
    let sawStart = false;
    let seeded = !replay;
    const introduced = new Set<string>();
    const enqueue = (chunk: UIMessageChunk<MessageMeta>) => {
      const answered = answeredCall(chunk);
      if (!seeded && answered !== undefined && !introduced.has(answered)) {
        seeded = true;
        const messageId = start?.type === 'start' ? start.messageId : undefined;
        const base = messageId ? this.options.continuationBase?.(messageId) : undefined;
        if (start) output.enqueue(start);
        start = null;
        if (base) seedChunks(base).forEach((c) => output.enqueue(c));
      }
      if (start) output.enqueue(start);
      start = null;
      const call = introducedCall(chunk);
      if (call !== undefined) introduced.add(call);
      output.enqueue(chunk);
    };

    const onEvent = (data: string, id: string | undefined): boolean => {
      if (data === '[DONE]') return false;
      const index = id !== undefined && /^\d+$/.test(id) ? Number(id) : undefined;
      if (index !== undefined) {
        if (index <= lastIndex) return false; // delivered already
        lastIndex = index;
      }
      lastProgress = Date.now();
      attempt = 0;
      this.setReconnecting(token, false);
      let chunk: UIMessageChunk<MessageMeta>;
      try {
        chunk = JSON.parse(data) as UIMessageChunk<MessageMeta>;
      } catch {
        return false; // not a chunk: skip it rather than break the answer
      }
      if (replay && !sawStart && chunk.type === 'start') {
        sawStart = true;
        start = chunk;
        return false;
      }
      switch (chunk.type) {
        case 'error':
          ending.errorText = chunk.errorText;
          return false;
        case 'abort':
          ending.stopped = true;
          enqueue(chunk);
          return false;
        case 'finish':
          enqueue({
            ...chunk,
            messageMetadata: {
              ...(chunk.messageMetadata ?? {}),
              ...ending,
              ...(chunk.finishReason ? { finishReason: chunk.finishReason } : {}),
            },
          });
          finished = true;
          return true;
        default:
          enqueue(chunk);
          return false;
      }
    };

    try {
      for (;;) {
        if (response?.body) {
          // why: when the browser goes offline an open response may hang instead of failing;
          // drop it and reconnect once the network is back (no chunk is lost or repeated).
          const reading = new AbortController();
          const offline = () => reading.abort(new Error('offline'));
          const stopped = () => reading.abort(signal.reason);
          window.addEventListener('offline', offline);
          signal.addEventListener('abort', stopped);
          try {
            await readSse(response.body, reading.signal, (e) => onEvent(e.data, e.id), IDLE_MS);
          } catch (error) {
            if (signal.aborted) throw error;
            // otherwise the connection broke: reconnect below
          } finally {
            window.removeEventListener('offline', offline);
            signal.removeEventListener('abort', stopped);
          }
          if (finished) {
            this.finishedRuns.add(runId);
            output.close();
            return;
          }
        }
        if (signal.aborted) throw signal.reason;
        if (Date.now() - lastProgress > GIVE_UP_MS) {
          throw new Error('Lost the connection to the server. Reload the page to try again.');
        }
        this.setReconnecting(token, true);
        await pause(backoff(attempt++), signal);
        response = await this.resume(runId, lastIndex + 1, signal);
      }
    } catch (error) {
      if (signal.aborted) {
        output.error(new DOMException('The stream was detached.', 'AbortError'));
      } else {
        output.error(error);
      }
    } finally {
      this.setReconnecting(token, false);
    }
  }

  /** One reconnect attempt: the response to read, or null to try again later. */
  private async resume(
    runId: string,
    startIndex: number,
    signal: AbortSignal,
  ): Promise<Response | null> {
    let response: Response;
    try {
      response = await fetch(
        `/api/chat/${encodeURIComponent(runId)}/stream?startIndex=${startIndex}`,
        { headers: session.headers(), signal, cache: 'no-store' },
      );
    } catch (error) {
      if (signal.aborted) throw error;
      return null; // offline, or the server is down: try again
    }
    if (response.ok && response.status !== 204 && response.body) return response;
    if (response.status === 401) session.rejected();
    if ([400, 401, 403, 404].includes(response.status)) {
      // why: the run or chat is gone (e.g. deleted) or we may not see it: retrying cannot help.
      throw new ApiError(response.status, await errorMessage(response));
    }
    await response.body?.cancel().catch(() => {});
    return null;
  }

  private setReconnecting(token: object, on: boolean): void {
    const changed = on ? !this.reconnecting.has(token) : this.reconnecting.has(token);
    if (!changed) return;
    if (on) this.reconnecting.add(token);
    else this.reconnecting.delete(token);
    this.update();
  }

  private update(): void {
    const next: ConnectionState =
      this.reconnecting.size > 0 ? 'reconnecting' : this.streams.size > 0 ? 'live' : 'idle';
    if (next === this.state) return;
    this.state = next;
    this.listeners.forEach((listener) => listener());
  }
}

function backoff(attempt: number): number {
  const base = Math.min(MAX_BACKOFF_MS, 250 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

/** Waits `ms`, or less when the browser comes back online; rejects when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      window.removeEventListener('online', wake);
      signal.removeEventListener('abort', aborted);
    };
    const wake = () => {
      cleanup();
      resolve();
    };
    const aborted = () => {
      cleanup();
      reject(signal.reason);
    };
    const timer = setTimeout(wake, ms);
    window.addEventListener('online', wake);
    if (signal.aborted) aborted();
    else signal.addEventListener('abort', aborted, { once: true });
  });
}
