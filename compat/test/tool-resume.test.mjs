// A multi-step tool turn (a tool call in step one, the answer in step two), cut while the tool call
// is still streaming its input, and resumed: ai 7 renders the whole turn once, with the tool part
// complete, exactly as if the connection had never dropped.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import * as ai from 'ai';
import { getChat, partTypes, textOf } from '../lib/api.mjs';
import { NodeChat, recordedTransport } from '../lib/chat.mjs';

const count = (items, value) => items.filter((item) => item === value).length;

test('ai 7 renders a multi-step tool turn resumed in the middle of the tool call', { timeout: 60_000 }, async () => {
  const chatId = randomUUID();
  const text = 'Please use a tool to tell me the time, then repeat these words back to me slowly.';
  const { transport } = recordedTransport(ai);
  const errors = [];
  const chat = new NodeChat({ id: chatId, transport, onError: (error) => errors.push(error) });

  const sending = chat.sendMessage({ text });
  await chat.memory.waitFor(
    (state) => {
      const last = state.messages.at(-1);
      return last?.role === 'assistant' && last.parts.some((p) => p.type === 'tool-clock' && p.state === 'input-streaming');
    },
    { what: 'a tool call still streaming its input' },
  );
  await chat.stop();
  await sending;
  assert.deepEqual(errors, []);

  await chat.resumeStream();
  assert.deepEqual(errors, [], 'resumeStream() must not surface an error');

  assert.deepEqual(chat.messages.map((m) => m.role), ['user', 'assistant']);
  const assistant = chat.messages[1];
  const types = partTypes(assistant);
  assert.equal(count(types, 'step-start'), 2, `two steps: ${types}`);
  assert.equal(count(types, 'tool-clock'), 1, `one tool part: ${types}`);
  const tool = assistant.parts.find((p) => p.type === 'tool-clock');
  assert.equal(tool.state, 'output-available');
  assert.deepEqual(tool.input, { timezone: 'UTC' });
  assert.equal(tool.output.timezone, 'UTC');
  assert.equal(count(types, 'text'), 1, `one text part: ${types}`);
  assert.ok(textOf(assistant).includes(text), 'the answer contains the user text verbatim');

  const stored = (await getChat(chatId)).messages[1];
  assert.equal(stored.id, assistant.id, 'the stored message is the rendered one');
  assert.deepEqual(
    stored.parts.filter((p) => p.type === 'tool-clock').map((p) => [p.state, p.output.time]),
    [[tool.state, tool.output.time]],
  );
});
