// Against a server started with REPRISE_TOOL_APPROVALS=false, what a deployment serving ai 5 clients
// sets (ai 5 has no approval chunks, and its strict chunk schema rejects unknown ones): a message that
// would ask for approval gets the clock read at once, and ai 5.0.92 reads the answer end to end.
// Not in test/: against a server with approvals on this file fails, by design.
// AiSdkClientsTest starts such a server and runs `node --test test-ai5-no-approvals/`.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import * as ai5 from 'ai5';
import { getChat, textOf, waitUntilIdle } from '../lib/api.mjs';
import { sendTurn } from '../lib/chat.mjs';
import { assertCompleteTurn, indexOfType } from '../lib/checks.mjs';
import { allChunkProblems, SDKS } from '../lib/schemas.mjs';

const AI5 = SDKS.find(({ sdk }) => sdk === ai5);
const APPROVAL_CHUNKS = ['tool-approval-request', 'tool-output-denied'];

test('ai 5.0.92 reads a "please approve" answer: the clock is read at once, no approval chunk', { timeout: 30_000 }, async () => {
  assert.match(AI5.name, /^ai@5\./);
  const chatId = randomUUID();
  const text = 'Please approve reading the clock';
  // sendTurn: ai 5's DefaultChatTransport validates every event with its strict uiMessageChunkSchema
  // (it throws on an invalid one), and its readUIMessageStream renders the message.
  const turn = await sendTurn(ai5, { chatId, text });
  const wire = assertCompleteTurn(turn.exchange.events, { what: 'POST /api/chat' });
  assert.deepEqual(await allChunkProblems(AI5, wire), [], `chunks invalid for ${AI5.name}`);
  assert.deepEqual(turn.chunks, wire, 'the ai 5 transport passed every chunk through unchanged');
  assert.deepEqual(turn.clientErrors, [], 'ai 5 readUIMessageStream accepted the stream');

  const types = wire.map((chunk) => chunk.type);
  for (const type of APPROVAL_CHUNKS) assert.ok(!types.includes(type), `no ${type}: ${types}`);
  const input = indexOfType(wire, 'tool-input-available');
  const output = indexOfType(wire, 'tool-output-available');
  assert.equal(wire[input].toolName, 'clock');
  assert.equal(wire[output].toolCallId, wire[input].toolCallId);
  assert.ok(input < output && output < indexOfType(wire, 'text-start'), `tool call, its output, then text: ${types}`);
  assert.equal(wire.at(-1).finishReason, 'stop');

  const tool = turn.message.parts.find((part) => part.type === 'tool-clock');
  assert.equal(tool?.state, 'output-available', `tool part: ${JSON.stringify(turn.message.parts)}`);
  assert.deepEqual(tool.input, { timezone: 'UTC' });
  assert.equal(tool.output.timezone, 'UTC');
  assert.match(tool.output.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.ok(!('approval' in tool), `no approval on the part: ${JSON.stringify(tool)}`);
  assert.equal(textOf(turn.message), `I checked the clock. You said: ${text}`);

  const stored = await waitUntilIdle(chatId);
  assert.deepEqual(stored.waiting, [], 'nothing waits');
  assert.equal(stored.chat.isWaiting, false);
  assert.equal(textOf((await getChat(chatId)).messages[1]), textOf(turn.message));
});
