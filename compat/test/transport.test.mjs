// (b) ai 7 DefaultChatTransport.sendMessages rendered by readUIMessageStream: a tool turn, and
// both ways of sending the API key.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import * as ai from 'ai';
import { API_KEY, authHeaders, textOf, userMessage } from '../lib/api.mjs';
import { recordedTransport, sendTurn } from '../lib/chat.mjs';
import { assertCompleteTurn, assertStreamHeaders } from '../lib/checks.mjs';

test('ai 7 transport: a "tool" turn renders a tool-clock part (output-available) and text', { timeout: 30_000 }, async () => {
  const chatId = randomUUID();
  const text = 'What time is it? Please use the tool for that.';
  const { message, clientErrors, exchange } = await sendTurn(ai, { chatId, text });
  assert.deepEqual(clientErrors, []);
  assertStreamHeaders(exchange.headers, 'POST /api/chat');
  assert.equal(exchange.headers.get('x-reprise-chat-id'), chatId);
  const chunks = assertCompleteTurn(exchange.events, { what: 'POST /api/chat' });
  assert.equal(chunks.at(-1).finishReason, 'stop');

  const tools = message.parts.filter((part) => part.type === 'tool-clock');
  assert.equal(tools.length, 1, `one tool-clock part: ${JSON.stringify(message.parts)}`);
  const [clock] = tools;
  assert.equal(clock.state, 'output-available');
  assert.deepEqual(clock.input, { timezone: 'UTC' });
  assert.equal(clock.output?.timezone, 'UTC');
  assert.ok(!Number.isNaN(Date.parse(clock.output?.time)), `output.time is an ISO instant: ${clock.output?.time}`);
  const textParts = message.parts.filter((part) => part.type === 'text');
  assert.equal(textParts.length, 1, `one text part: ${JSON.stringify(message.parts)}`);
  assert.ok(textOf(message).includes(text), `reply contains the user text: ${textOf(message)}`);
  assert.ok(
    message.parts.findIndex((part) => part.type === 'tool-clock') < message.parts.findIndex((part) => part.type === 'text'),
    'the tool call comes before the text of the second step',
  );
});

test('ai 7 transport: Authorization: Bearer works instead of x-api-key', { timeout: 30_000 }, async () => {
  const chatId = randomUUID();
  const text = `Bearer check ${randomUUID()}`;
  const { message, clientErrors, exchange } = await sendTurn(ai, { chatId, text, headers: authHeaders('bearer') });
  assert.equal(exchange.requestHeaders.get('authorization'), `Bearer ${API_KEY}`);
  assert.equal(exchange.requestHeaders.get('x-api-key'), null, 'only the Bearer header was sent');
  assert.deepEqual(clientErrors, []);
  assertCompleteTurn(exchange.events, { what: 'POST /api/chat (Bearer)' });
  assert.ok(textOf(message).includes(text), `reply contains the user text: ${textOf(message)}`);
});

test('ai 7 transport: a wrong API key is rejected with 401', { timeout: 30_000 }, async () => {
  const { transport, recorder } = recordedTransport(ai, { headers: { 'x-api-key': `${API_KEY}x` } });
  await assert.rejects(
    transport.sendMessages({
      chatId: randomUUID(),
      messages: [userMessage('hello')],
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: undefined,
    }),
  );
  assert.equal(recorder.exchanges[0].status, 401);
});
