// (e) DefaultChatTransport.reconnectToStream: 204 -> null when the chat has nothing running.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import * as ai from 'ai';
import { CHAT_API, postChat, waitUntilIdle } from '../lib/api.mjs';
import { recordedTransport } from '../lib/chat.mjs';
import { assertCompleteTurn } from '../lib/checks.mjs';
import { SDKS } from '../lib/schemas.mjs';
import { readSseEvents } from '../lib/sse.mjs';

async function finishedChat() {
  const chatId = randomUUID();
  const response = await postChat(chatId, 'A short question.');
  const { events } = await readSseEvents(response.body);
  assertCompleteTurn(events, { what: 'POST /api/chat' });
  await waitUntilIdle(chatId);
  return chatId;
}

for (const { name, sdk } of SDKS) {
  test(`${name} reconnectToStream returns null (204) when nothing is running`, { timeout: 30_000 }, async () => {
    const chatId = await finishedChat();
    const { transport, recorder } = recordedTransport(sdk);
    const stream = await transport.reconnectToStream({ chatId });
    assert.equal(stream, null);
    assert.equal(recorder.exchanges.length, 1);
    assert.equal(recorder.exchanges[0].url, `${CHAT_API}/${chatId}/stream`);
    assert.equal(recorder.exchanges[0].status, 204);
  });
}

test('ai 7 reconnectToStream rejects for a chat that does not exist (404)', { timeout: 30_000 }, async () => {
  const { transport, recorder } = recordedTransport(ai);
  await assert.rejects(transport.reconnectToStream({ chatId: randomUUID() }));
  assert.equal(recorder.exchanges[0].status, 404);
});
