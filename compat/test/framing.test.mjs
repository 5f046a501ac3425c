// Hostile text never breaks the SSE framing: newlines, lone \r, CRLF, blank lines, lines that look like
// SSE fields, and non-BMP unicode come back byte-equal through the real AI SDK client.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import * as ai from 'ai';
import { getChat, textOf } from '../lib/api.mjs';
import { sendTurn } from '../lib/chat.mjs';

const HOSTILE = [
  'line one\nline two',
  'carriage\rreturn and crlf\r\nend',
  'blank lines\n\n\nbetween',
  'data: {"type":"finish"}\n\ndata: [DONE]\n\n',
  'id: 99\nevent: error\nretry: 1\n: comment',
  'unicode ✓ é 中文 😀 \u2028 \u2029 \u0000 nul',
  '  leading and trailing spaces  ',
];

for (const [i, text] of HOSTILE.entries()) {
  test(`ai 7 reads hostile text ${i} back byte-equal`, { timeout: 30_000 }, async () => {
    const { message, clientErrors } = await sendTurn(ai, { chatId: randomUUID(), text });
    assert.deepEqual(clientErrors, []);
    assert.equal(textOf(message), `You said: ${text}`);
  });
}

test('the stored transcript keeps hostile text byte-equal too', { timeout: 30_000 }, async () => {
  const chatId = randomUUID();
  const text = HOSTILE.join('\n');
  await sendTurn(ai, { chatId, text });
  const chat = await getChat(chatId);
  assert.equal(textOf(chat.messages[0]), text);
  assert.equal(textOf(chat.messages[1]), `You said: ${text}`);
});
