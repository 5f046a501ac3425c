// (d) WorkflowChatTransport (@workflow/ai): the POST connection drops before `finish`, the
// transport reconnects by itself to GET /api/chat/{runId}/stream?startIndex=N, and the turn
// completes with every chunk exactly once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { WorkflowChatTransport } from '@workflow/ai';
import * as ai from 'ai';
import { authHeaders, CHAT_API, longText, readStream, textOf, userMessage, waitUntilIdle } from '../lib/api.mjs';
import { assertCompleteTurn, assertStreamHeaders } from '../lib/checks.mjs';
import { cutAfterChunkEvents, recordingFetch } from '../lib/recording-fetch.mjs';
import { chunksOf } from '../lib/sse.mjs';

const CUT_AFTER = 5;

test('WorkflowChatTransport reconnects after a dropped POST and loses or repeats nothing', { timeout: 60_000 }, async () => {
  const chatId = randomUUID();
  const text = longText(60);
  const recorder = recordingFetch({
    alterBody: (exchange, body) => (exchange.method === 'POST' ? cutAfterChunkEvents(body, CUT_AFTER) : body),
  });
  const ends = [];
  const transport = new WorkflowChatTransport({
    api: CHAT_API,
    fetch: recorder.fetch,
    // its default POST body is {messages} only: send the chat id too
    prepareSendMessagesRequest: ({ id, messages }) => ({
      body: { id, messages },
      headers: { 'content-type': 'application/json', ...authHeaders() },
    }),
    prepareReconnectToStreamRequest: () => ({ headers: authHeaders() }),
    onChatEnd: (event) => ends.push(event),
  });

  const stream = await transport.sendMessages({
    chatId,
    messages: [userMessage(text)],
    trigger: 'submit-message',
    messageId: undefined,
    abortSignal: undefined,
  });
  const [forTest, forClient] = stream.tee();
  const clientErrors = [];
  const rendering = (async () => {
    let last;
    for await (const message of ai.readUIMessageStream({ stream: forClient, onError: (e) => clientErrors.push(e) })) last = message;
    return last;
  })();
  const received = [];
  for await (const chunk of forTest) received.push(chunk);
  const message = await rendering;
  await recorder.settled();

  const [post, ...gets] = recorder.exchanges;
  assert.equal(post.method, 'POST');
  assert.equal(post.status, 200);
  assert.equal(JSON.parse(post.requestBody).id, chatId, 'the POST body carries the chat id');
  const runId = assertStreamHeaders(post.headers, 'POST /api/chat');
  const postChunks = chunksOf(post.events);
  assert.equal(postChunks.length, CUT_AFTER, 'the POST was cut after the planned number of chunks');
  assert.notEqual(postChunks.at(-1).chunk.type, 'finish', 'the cut happened before finish');

  assert.ok(gets.length >= 1, 'the transport reconnected by itself');
  let expectedStart = CUT_AFTER;
  for (const get of gets) {
    assert.equal(get.method, 'GET');
    assert.equal(get.url, `${CHAT_API}/${runId}/stream?startIndex=${expectedStart}`, 'reconnect URL uses the run id and the next index');
    assert.equal(get.status, 200, `reconnect answered ${get.status}`);
    assert.equal(assertStreamHeaders(get.headers, 'GET reconnect'), runId);
    const tail = Number(get.headers.get('x-workflow-stream-tail-index'));
    assert.ok(Number.isInteger(tail) && tail >= expectedStart - 1, `x-workflow-stream-tail-index: ${get.headers.get('x-workflow-stream-tail-index')}`);
    expectedStart += chunksOf(get.events).length;
  }
  const lastGet = gets.at(-1);
  const resumed = assertCompleteTurn(lastGet.events, { firstIndex: expectedStart - chunksOf(lastGet.events).length, what: 'reconnect GET' });
  assert.equal(resumed.at(-1).type, 'finish');

  // Everything the transport saw, in order, is indexed 0..n-1 exactly once ...
  const deliveredIndices = [post, ...gets].flatMap((exchange) => chunksOf(exchange.events).map((c) => c.index));
  assert.deepEqual(deliveredIndices, deliveredIndices.map((_, i) => i), 'chunk indices 0..n-1, none repeated or skipped');
  // ... and equals a full replay of the finished run.
  await waitUntilIdle(chatId);
  const replay = await readStream(chatId, 0);
  assert.equal(assertStreamHeaders(replay.response.headers, 'GET replay'), runId);
  const full = assertCompleteTurn(replay.events, { what: 'replay from startIndex=0' });
  assert.deepEqual(received, full, 'the transport yielded exactly the chunks of the run');
  assert.equal(ends.length, 1, 'onChatEnd fired once');
  assert.equal(ends[0].chunkIndex, full.length);

  assert.deepEqual(clientErrors, []);
  assert.equal(message.id, full[0].messageId);
  assert.equal(message.parts.filter((p) => p.type === 'text').length, 1, `one text part: ${JSON.stringify(message.parts)}`);
  assert.ok(textOf(message).includes(text), `reconstructed reply is complete: ${textOf(message)}`);
});
