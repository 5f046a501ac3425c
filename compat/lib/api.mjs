// Plain-fetch helpers for the reprise HTTP API (see docs/api.md).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { API_KEY, BASE_URL, CHAT_API } from './env.mjs';
import { readSseEvents } from './sse.mjs';

export const RUN_ID = /^wrun_[0-9A-HJKMNP-TV-Z]{26}$/;
export const MESSAGE_ID = /^msg_[0-9A-HJKMNP-TV-Z]{26}$/;

/** Auth headers: `x-api-key` (default) or `Authorization: Bearer`. */
export function authHeaders(kind = 'x-api-key') {
  return kind === 'bearer' ? { authorization: `Bearer ${API_KEY}` } : { 'x-api-key': API_KEY };
}

/** fetch against the server with the API key; `path` starts with '/'. */
export function call(path, { method = 'GET', json, headers = {}, signal } = {}) {
  return fetch(`${BASE_URL}${path}`, {
    method,
    headers: {
      ...authHeaders(),
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: json === undefined ? undefined : JSON.stringify(json),
    signal,
  });
}

async function expectJson(response, status, what) {
  const text = await response.text();
  assert.equal(response.status, status, `${what}: expected HTTP ${status}, got ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** A user UIMessage as the AI SDK sends it. */
export function userMessage(text) {
  return { id: randomUUID(), role: 'user', parts: [{ type: 'text', text }] };
}

/** A prompt of about `words` words (streams one word per chunk, 20 ms each). */
export function longText(words = 60, marker = randomUUID().slice(0, 8)) {
  const vocabulary = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
  const out = [`Compat-${marker}`];
  for (let i = 1; i < words; i++) out.push(`${vocabulary[i % vocabulary.length]}${i}`);
  return out.join(' ');
}

export async function getChat(chatId) {
  return expectJson(await call(`/api/chats/${chatId}`), 200, `GET /api/chats/${chatId}`);
}

export async function stopChat(chatId) {
  return expectJson(await call(`/api/chat/${chatId}/stop`, { method: 'POST' }), 200, `POST /api/chat/${chatId}/stop`);
}

/** POST /api/chat with plain fetch; returns the (streaming) Response, asserting 200. */
export async function postChat(chatId, text) {
  const response = await call('/api/chat', { method: 'POST', json: { id: chatId, messages: [userMessage(text)] } });
  if (response.status !== 200) assert.fail(`POST /api/chat: expected 200, got ${response.status}: ${await response.text()}`);
  return response;
}

/** GET /api/chat/{id}/stream[?startIndex=N] read to the end: {response, events}. */
export async function readStream(idOrRunId, startIndex) {
  const query = startIndex === undefined ? '' : `?startIndex=${startIndex}`;
  const response = await call(`/api/chat/${idOrRunId}/stream${query}`);
  if (response.status !== 200) assert.fail(`GET stream: expected 200, got ${response.status}: ${await response.text()}`);
  const { events } = await readSseEvents(response.body);
  return { response, events };
}

/**
 * Bounded polling: calls `probe` until it returns a truthy value or `timeoutMs` passes.
 * Returns that value, or fails with the last value seen.
 */
export async function pollUntil(probe, { timeoutMs = 15000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits (bounded) until the chat has no live run, then returns GET /api/chats/{id}. */
export function waitUntilIdle(chatId, timeoutMs = 20000) {
  return pollUntil(
    async () => {
      const chat = await getChat(chatId);
      return chat.isStreaming === false ? chat : null;
    },
    { timeoutMs, what: `chat ${chatId} to stop streaming` },
  );
}

/** Text of all text parts of a UIMessage, concatenated. */
export function textOf(message) {
  return message.parts.filter((part) => part.type === 'text').map((part) => part.text).join('');
}

export function partTypes(message) {
  return message.parts.map((part) => part.type);
}

export { API_KEY, BASE_URL, CHAT_API };
