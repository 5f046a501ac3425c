// (a) ai 7 AbstractChat + DefaultChatTransport: stop() is only a disconnect, the server run goes
// on, and resumeStream() rebuilds the same assistant message without duplicating anything.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import * as ai from 'ai';
import { CHAT_API, getChat, longText, MESSAGE_ID, partTypes, textOf, waitUntilIdle } from '../lib/api.mjs';
import { NodeChat, recordedTransport } from '../lib/chat.mjs';
import { assertCompleteTurn, assertStreamHeaders } from '../lib/checks.mjs';
import { chunksOf } from '../lib/sse.mjs';

const count = (items, value) => items.filter((item) => item === value).length;

test('ai 7 AbstractChat: stop() disconnects only, resumeStream() restores the same message', { timeout: 60_000 }, async () => {
  const chatId = randomUUID();
  const text = longText(300);
  const { transport, recorder } = recordedTransport(ai);
  const finishes = [];
  const errors = [];
  const chat = new NodeChat({
    id: chatId,
    transport,
    onFinish: (event) => finishes.push(event),
    onError: (error) => errors.push(error),
  });

  const sending = chat.sendMessage({ text });
  const partial = await chat.memory.waitFor(
    (state) => {
      const last = state.messages.at(-1);
      return last?.role === 'assistant' && textOf(last).trim().split(/\s+/).length >= 3 ? last : null;
    },
    { what: 'three text deltas of the assistant message' },
  );
  await chat.stop();
  await sending;

  assert.deepEqual(errors, [], 'stop() must not surface an error');
  assert.equal(chat.status, 'ready');
  assert.equal(finishes.length, 1);
  assert.equal(finishes[0].isAbort, true, 'onFinish after stop() reports isAbort');
  assert.ok(!textOf(chat.messages.at(-1)).includes(text), 'the stop happened before the reply was complete');

  const post = recorder.exchanges[0];
  assert.equal(post.method, 'POST');
  assert.equal(post.status, 200);
  const runId = assertStreamHeaders(post.headers, 'POST /api/chat');
  await post.done;
  const [start] = chunksOf(post.events).map((c) => c.chunk);
  assert.equal(start?.type, 'start', 'the POST stream begins with start');
  assert.match(start.messageId ?? '', MESSAGE_ID);
  assert.equal(partial.id, start.messageId, 'the partial client message carries the start messageId');

  // The disconnect must not cancel the run on the server.
  const during = await getChat(chatId);
  assert.equal(during.isStreaming, true, `run must still be live after the client disconnected: ${JSON.stringify(during)}`);
  assert.equal(during.chat.activeRunId, runId);

  await chat.resumeStream();
  assert.deepEqual(errors, [], 'resumeStream() must not surface an error');
  assert.equal(chat.status, 'ready');

  const resume = recorder.exchanges[1];
  assert.ok(resume, 'resumeStream() made a request');
  assert.equal(resume.method, 'GET');
  assert.equal(resume.url, `${CHAT_API}/${chatId}/stream`);
  assert.equal(resume.status, 200, 'a live run resumes with 200');
  assert.equal(assertStreamHeaders(resume.headers, 'GET resume'), runId);
  await resume.done;
  const replayed = assertCompleteTurn(resume.events, { what: 'GET /api/chat/{id}/stream' });
  assert.deepEqual(replayed[0], start, 'resume replays the turn from its start chunk');

  assert.deepEqual(chat.messages.map((m) => m.role), ['user', 'assistant'], 'no duplicated assistant message');
  const assistant = chat.messages[1];
  assert.equal(assistant.id, start.messageId, 'resumed message keeps the start messageId');
  const types = partTypes(assistant);
  assert.equal(count(types, 'text'), 1, `exactly one text part: ${types}`);
  assert.ok(count(types, 'reasoning') <= 1, `no duplicated reasoning part: ${types}`);
  assert.equal(count(types, 'step-start'), 1, `exactly one step: ${types}`);
  assert.ok(textOf(assistant).includes(text), `reply contains the user text verbatim: ${textOf(assistant)}`);
  assert.equal(finishes.at(-1).isAbort, false);
  assert.equal(finishes.at(-1).finishReason, 'stop');

  const stored = await waitUntilIdle(chatId);
  const storedAssistants = stored.messages.filter((m) => m.role === 'assistant');
  assert.equal(storedAssistants.length, 1, `one stored assistant message: ${JSON.stringify(stored.messages)}`);
  assert.equal(storedAssistants[0].id, start.messageId, 'stored under the start messageId');
  assert.equal(textOf(storedAssistants[0]), textOf(assistant), 'stored text equals the streamed text');
  assert.ok(stored.messages.some((m) => m.role === 'user' && textOf(m) === text), 'the user message is stored');
});
