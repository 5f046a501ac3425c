// AI SDK client plumbing that runs in plain Node: an in-memory ChatState for AbstractChat,
// and helpers that drive a transport turn while recording the raw wire.
import { AbstractChat, DefaultChatTransport } from 'ai';
import { authHeaders, CHAT_API, userMessage } from './api.mjs';
import { recordingFetch } from './recording-fetch.mjs';

/** The smallest ChatState: plain fields, plus change notification for bounded waits. */
export class MemoryChatState {
  #status = 'ready';
  #error = undefined;
  #messages = [];
  #listeners = new Set();

  get status() {
    return this.#status;
  }
  set status(status) {
    this.#status = status;
    this.#changed();
  }
  get error() {
    return this.#error;
  }
  set error(error) {
    this.#error = error;
    this.#changed();
  }
  get messages() {
    return this.#messages;
  }
  set messages(messages) {
    this.#messages = messages;
    this.#changed();
  }
  pushMessage = (message) => {
    this.#messages = [...this.#messages, message];
    this.#changed();
  };
  popMessage = () => {
    this.#messages = this.#messages.slice(0, -1);
    this.#changed();
  };
  replaceMessage = (index, message) => {
    this.#messages = this.#messages.map((m, i) => (i === index ? message : m));
    this.#changed();
  };
  snapshot = (thing) => structuredClone(thing);

  /** Resolves with predicate's value once it is truthy after a change; rejects after timeoutMs. */
  waitFor(predicate, { timeoutMs = 15000, what = 'chat state' } = {}) {
    return new Promise((resolve, reject) => {
      const check = () => {
        let value;
        try {
          value = predicate(this);
        } catch (error) {
          cleanup();
          reject(error);
          return;
        }
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  #changed() {
    for (const listener of [...this.#listeners]) listener();
  }
}

const chatClasses = new Map();

/**
 * A version's AbstractChat over a MemoryChatState (`chat.memory`), so it runs in plain Node.
 * `init.messages` (e.g. a chat loaded from GET /api/chats/{id}) starts the state.
 */
export function chatClassOf(sdk) {
  if (!chatClasses.has(sdk)) {
    chatClasses.set(
      sdk,
      class extends sdk.AbstractChat {
        constructor({ messages, ...init }) {
          const state = new MemoryChatState();
          if (messages) state.messages = structuredClone(messages);
          super({ ...init, state });
          this.memory = state;
        }
      },
    );
  }
  return chatClasses.get(sdk);
}

/** AbstractChat (ai 7) over a MemoryChatState. */
export const NodeChat = chatClassOf({ AbstractChat });

/**
 * A list of callback events (onFinish, onError, onToolCall, ...) that tests can wait on:
 * `log.add` is the callback, `log.waitForCount(n)` resolves once n events arrived.
 */
export class EventLog {
  items = [];
  #waiters = new Set();

  add = (item) => {
    this.items.push(item);
    for (const waiter of [...this.#waiters]) waiter();
  };

  /** Resolves with the items once there are at least `count`; rejects after timeoutMs. */
  waitForCount(count, { timeoutMs = 15000, what = `${count} events` } = {}) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.items.length >= count) {
          cleanup();
          resolve(this.items);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (have ${this.items.length})`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }
}

/** A DefaultChatTransport of the given SDK pointed at reprise, recording its traffic. */
export function recordedTransport(sdk, { headers = authHeaders(), alterBody, beforeFetch, ...options } = {}) {
  const recorder = recordingFetch({ alterBody, beforeFetch });
  const transport = new sdk.DefaultChatTransport({ api: CHAT_API, headers, fetch: recorder.fetch, ...options });
  return { transport, recorder };
}

async function lastOf(stream) {
  let last;
  for await (const value of stream) last = value;
  return last;
}

/**
 * One turn through `sdk`'s DefaultChatTransport.sendMessages (which validates every SSE event
 * against that version's chunk schema and throws on an invalid one), rendered by the same
 * version's readUIMessageStream (which throws on an inconsistent chunk sequence).
 * `onChunk(chunk, chunksSoFar)` runs as each chunk arrives.
 */
export async function sendTurn(sdk, { chatId, text, headers, onChunk }) {
  const { transport, recorder } = recordedTransport(sdk, headers ? { headers } : {});
  const stream = await transport.sendMessages({
    chatId,
    messages: [userMessage(text)],
    trigger: 'submit-message',
    messageId: undefined,
    abortSignal: undefined,
  });
  const [forTest, forClient] = stream.tee();
  const clientErrors = [];
  const rendered = lastOf(sdk.readUIMessageStream({ stream: forClient, onError: (error) => clientErrors.push(error) }));
  const chunks = [];
  for await (const chunk of forTest) {
    chunks.push(chunk);
    await onChunk?.(chunk, chunks);
  }
  const message = await rendered;
  await recorder.settled();
  return { chunks, message, clientErrors, exchange: recorder.exchanges[0], recorder };
}

export { DefaultChatTransport };
