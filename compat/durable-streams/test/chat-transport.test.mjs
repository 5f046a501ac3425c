// @durable-streams/aisdk-transport's createDurableChatTransport, with the AI SDK's own AbstractChat,
// against reprise's chat endpoints: the chat request asks for the run's Durable Stream
// (x-reprise-transport: durable-streams) and gets a read-only capability URL to it, which the
// transport reads as JSON over SSE. REPRISE_URL and REPRISE_API_KEY name the server and a key.
import { createDurableChatTransport } from '@durable-streams/aisdk-transport';
import { AbstractChat } from 'ai';
import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';

const BASE_URL = required('REPRISE_URL').replace(/\/+$/, '');
const API_KEY = required('REPRISE_API_KEY');
const HEADERS = { 'x-api-key': API_KEY, 'x-reprise-transport': 'durable-streams' };

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see README.md)`);
  return value;
}

/** The smallest ChatState, with a bounded wait for a condition on it. */
class State {
  #status = 'ready';
  error = undefined;
  messages = [];
  #listeners = new Set();
  pushMessage = (m) => this.#set(() => (this.messages = [...this.messages, m]));
  popMessage = () => this.#set(() => (this.messages = this.messages.slice(0, -1)));
  replaceMessage = (i, m) => this.#set(() => (this.messages = this.messages.map((x, j) => (j === i ? m : x))));
  snapshot = (thing) => structuredClone(thing);
  get status() {
    return this.#status;
  }
  set status(value) {
    this.#set(() => (this.#status = value));
  }
  #set(change) {
    change();
    for (const listener of [...this.#listeners]) listener();
  }
  waitFor(predicate, what, timeoutMs = 15000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (predicate(this)) {
          clearTimeout(timer);
          this.#listeners.delete(check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`timed out waiting for ${what}; status ${this.status}, error ${this.error}`));
      }, timeoutMs);
      this.#listeners.add(check);
      check();
    });
  }
}

class Chat extends AbstractChat {
  constructor(id, transport, messages = []) {
    const state = new State();
    state.messages = messages;
    super({ id, transport, state });
    this.memory = state;
  }
}

/** A transport whose reads are recorded chunk by chunk. */
function recordingTransport(received) {
  const transport = createDurableChatTransport({ api: `${BASE_URL}/api/chat`, headers: HEADERS });
  const tee = (stream) =>
    stream?.pipeThrough(
      new TransformStream({
        transform(chunk, controller) {
          received.push(chunk);
          controller.enqueue(chunk);
        },
      }),
    ) ?? null;
  return {
    sendMessages: async (options) => tee(await transport.sendMessages(options)),
    reconnectToStream: async (options) => tee(await transport.reconnectToStream(options)),
  };
}

function userMessage(text) {
  return { id: randomUUID(), role: 'user', parts: [{ type: 'text', text }] };
}

function longText(words) {
  const out = [`Durable-${randomUUID().slice(0, 8)}`];
  for (let i = 1; i < words; i++) out.push(`word${i}`);
  return out.join(' ');
}

const text = (message) =>
  message.parts.filter((p) => p.type === 'text').map((p) => p.text).join('');

async function storedAnswer(chatId) {
  const response = await fetch(`${BASE_URL}/api/chats/${chatId}`, { headers: { 'x-api-key': API_KEY } });
  expect(response.status).toBe(200);
  const body = await response.json();
  return body.messages.findLast((m) => m.role === 'assistant');
}

/** Every chunk of a run's Durable Stream, read by catch-up requests until it is closed. */
async function runChunks(streamUrl) {
  const chunks = [];
  let offset = '-1';
  for (;;) {
    const response = await fetch(`${streamUrl}?offset=${offset}`);
    expect(response.status).toBe(200);
    chunks.push(...(await response.json()));
    offset = response.headers.get('stream-next-offset');
    if (response.headers.get('stream-closed') === 'true') return chunks;
    if (response.headers.get('stream-up-to-date') === 'true') await new Promise((r) => setTimeout(r, 50));
  }
}

describe('createDurableChatTransport against reprise', () => {
  test('a chat answer streams through the run’s Durable Stream and matches what was stored', async () => {
    const received = [];
    const chatId = randomUUID();
    const chat = new Chat(chatId, recordingTransport(received));
    await chat.sendMessage(userMessage(longText(12)));
    await chat.memory.waitFor((s) => s.status === 'ready', 'the answer');
    expect(chat.memory.error).toBeUndefined();
    const answer = chat.messages.at(-1);
    expect(answer.role).toBe('assistant');
    const stored = await storedAnswer(chatId);
    expect(text(answer)).toBe(text(stored));
    expect(text(answer)).toContain('word11');
    expect(received.at(0).type).toBe('start');
    expect(received.at(-1).type).toBe('finish');
  });

  test('an answer cut off mid-stream resumes in a second client, every chunk once', async () => {
    const chatId = randomUUID();
    const first = new Chat(chatId, recordingTransport([]));
    const question = userMessage(longText(80));
    // why: sendMessage settles only when the answer is read to its end; this client leaves early.
    const sending = first.sendMessage(question);
    await first.memory.waitFor(
      (s) => s.messages.length === 2 && text(s.messages[1]).length > 0,
      'the first words',
    );
    await first.stop();
    await sending;

    const received = [];
    const transport = recordingTransport(received);
    let pointer;
    const second = new Chat(chatId, {
      sendMessages: transport.sendMessages,
      reconnectToStream: async (options) => {
        const response = await fetch(`${BASE_URL}/api/chat/${chatId}/stream`, { headers: HEADERS });
        pointer = response.headers.get('location');
        await response.body?.cancel();
        return transport.reconnectToStream(options);
      },
    }, [question]);
    await second.resumeStream();
    await second.memory.waitFor((s) => s.status === 'ready' && s.messages.length === 2, 'the resumed answer');
    expect(second.memory.error).toBeUndefined();
    const stored = await storedAnswer(chatId);
    expect(text(second.messages[1])).toBe(text(stored));
    expect(text(stored)).toContain('word79');

    expect(pointer).toMatch(/^\/ds\/cap\/[^/]+\/v1\/runs\/wrun_/);
    const all = await runChunks(`${BASE_URL}${pointer}`);
    expect(received).toEqual(all);
  });

  test('a resume with nothing running answers 204, and the client stays ready', async () => {
    const response = await fetch(`${BASE_URL}/api/chat/${randomUUID()}/stream`, { headers: HEADERS });
    expect([204, 404]).toContain(response.status);
    const transport = createDurableChatTransport({ api: `${BASE_URL}/api/chat`, headers: HEADERS });
    const chatId = randomUUID();
    const chat = new Chat(chatId, transport);
    await chat.sendMessage(userMessage('short answer'));
    await chat.memory.waitFor((s) => s.status === 'ready', 'the answer');
    expect(await transport.reconnectToStream({ chatId })).toBeNull();
  });

  test('the pointer only reads its own run', async () => {
    const chatId = randomUUID();
    const response = await fetch(`${BASE_URL}/api/chat`, {
      method: 'POST',
      headers: { ...HEADERS, 'content-type': 'application/json' },
      body: JSON.stringify({ id: chatId, messages: [userMessage('hello there')] }),
    });
    expect(response.status).toBe(201);
    const { streamUrl, runId } = await response.json();
    expect(response.headers.get('location')).toBe(streamUrl);
    const url = `${BASE_URL}${streamUrl}`;
    expect((await fetch(url, { method: 'POST', body: 'x', headers: { 'content-type': 'application/json' } })).status).toBe(405);
    const other = url.replace(runId, 'wrun_01JZZZZZZZZZZZZZZZZZZZZZZZ');
    expect((await fetch(other)).status).toBe(403);
    const streams = url.replace(`/v1/runs/${runId}`, '/v1/stream/anything');
    expect((await fetch(streams)).status).toBe(403);
    expect((await runChunks(url)).at(-1).type).toBe('finish');
  });
});
