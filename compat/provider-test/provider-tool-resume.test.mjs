// Against a reprise whose default model is a provider model (an OpenAI-compatible server that replays
// recorded wire transcripts, slowly): ai 7 renders the multi-step tool turn — the model calls the clock
// tool, then answers — and renders it the same after a resume cut in the middle of the tool call.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import * as ai from 'ai';
import { getChat, partTypes, textOf } from '../lib/api.mjs';
import { NodeChat, recordedTransport } from '../lib/chat.mjs';

const count = (items, value) => items.filter((item) => item === value).length;

test('ai 7 renders a provider tool turn resumed in the middle of the tool call', { timeout: 60_000 }, async () => {
  const chatId = randomUUID();
  const { transport, recorder } = recordedTransport(ai);
  const errors = [];
  const chat = new NodeChat({ id: chatId, transport, onError: (error) => errors.push(error) });

  const sending = chat.sendMessage({ text: 'What time is it in Paris?' });
  await chat.memory.waitFor(
    (state) => {
      const last = state.messages.at(-1);
      return last?.role === 'assistant' && last.parts.some((p) => p.type === 'tool-clock');
    },
    { what: 'the tool call to appear' },
  );
  await chat.stop();
  await sending;
  assert.deepEqual(errors, []);

  await chat.resumeStream();
  assert.deepEqual(errors, [], 'resumeStream() must not surface an error');
  assert.equal(recorder.exchanges[1]?.status, 200, 'the run was still live when the client resumed');

  assert.deepEqual(chat.messages.map((m) => m.role), ['user', 'assistant']);
  const assistant = chat.messages[1];
  const types = partTypes(assistant);
  assert.equal(count(types, 'step-start'), 2, `two steps: ${types}`);
  assert.equal(count(types, 'tool-clock'), 1, `one tool part: ${types}`);
  const tool = assistant.parts.find((p) => p.type === 'tool-clock');
  assert.equal(tool.state, 'output-available');
  assert.deepEqual(tool.input, { timezone: 'Europe/Paris' });
  assert.equal(count(types, 'text'), 1, `one text part: ${types}`);
  assert.match(textOf(assistant), /^In Paris it is/);
  assert.equal(assistant.metadata?.model, 'openai/gpt-4.1-mini');

  const stored = (await getChat(chatId)).messages[1];
  assert.equal(stored.id, assistant.id);
  assert.equal(textOf(stored), textOf(assistant));
});
