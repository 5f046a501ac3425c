// (c) Every chunk of a tool turn, a stopped turn and a failed turn, validated against the chunk
// schema of ai 5.0.92, 6.0.0 and 7.x (see lib/schemas.mjs), through that version's
// DefaultChatTransport and readUIMessageStream.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { longText, stopChat, textOf, waitUntilIdle } from '../lib/api.mjs';
import { sendTurn } from '../lib/chat.mjs';
import { assertCompleteTurn, indexOfType } from '../lib/checks.mjs';
import { allChunkProblems, SDKS } from '../lib/schemas.mjs';

/** Wire chunks must be valid for the version and be exactly what its transport handed on. */
async function assertStrictTurn(version, turn, what) {
  const wire = assertCompleteTurn(turn.exchange.events, { what });
  assert.deepEqual(await allChunkProblems(version, wire), [], `${what}: invalid chunks for ${version.name}`);
  assert.deepEqual(turn.chunks, wire, `${what}: ${version.name} transport passed every chunk through unchanged`);
  return wire;
}

for (const version of SDKS) {
  describe(`strict chunk schema of ${version.name}`, () => {
    test('tool-calling turn', { timeout: 30_000 }, async () => {
      const chatId = randomUUID();
      const turn = await sendTurn(version.sdk, { chatId, text: 'Call the tool and tell me the time.' });
      const wire = await assertStrictTurn(version, turn, 'tool turn');
      assert.deepEqual(turn.clientErrors, [], 'the client accepted the stream');
      for (const type of ['start', 'tool-input-start', 'tool-input-available', 'tool-output-available', 'text-start']) {
        indexOfType(wire, type, 'tool turn');
      }
      assert.equal(wire.at(-1).finishReason, 'stop');
      const tool = turn.message.parts.find((part) => part.type === 'tool-clock');
      assert.equal(tool?.state, 'output-available', `tool part: ${JSON.stringify(turn.message.parts)}`);
    });

    test('stopped turn ends with abort then finish', { timeout: 30_000 }, async () => {
      const chatId = randomUUID();
      const text = longText(60);
      let stopResult;
      const turn = await sendTurn(version.sdk, {
        chatId,
        text,
        onChunk: async (chunk, chunks) => {
          if (stopResult === undefined && chunks.filter((c) => c.type === 'text-delta').length === 3) {
            stopResult = 'pending';
            stopResult = await stopChat(chatId);
          }
        },
      });
      assert.deepEqual(stopResult, { success: true, stopped: true }, 'stop answered while streaming');
      const wire = await assertStrictTurn(version, turn, 'stopped turn');
      assert.deepEqual(turn.clientErrors, [], 'the client accepted the stream');
      const abort = indexOfType(wire, 'abort', 'stopped turn');
      assert.equal(abort, wire.length - 2, `abort comes right before finish: ${wire.map((c) => c.type)}`);
      assert.equal(wire.at(-1).finishReason, 'other');
      const opened = wire.filter((c) => c.type === 'text-start').map((c) => c.id);
      const closed = wire.slice(0, abort).filter((c) => c.type === 'text-end').map((c) => c.id);
      assert.deepEqual(closed, opened, 'open text parts are closed before abort');
      assert.ok(!textOf(turn.message).includes(text), 'the reply was cut short by the stop');
      await waitUntilIdle(chatId);
    });

    test('failed turn ends with error then finish(error)', { timeout: 30_000 }, async () => {
      const chatId = randomUUID();
      const turn = await sendTurn(version.sdk, { chatId, text: 'Please fail in the middle of this answer.' });
      const wire = await assertStrictTurn(version, turn, 'failed turn');
      const error = indexOfType(wire, 'error', 'failed turn');
      assert.equal(error, wire.length - 2, `error comes right before finish: ${wire.map((c) => c.type)}`);
      assert.equal(typeof wire[error].errorText, 'string');
      assert.notEqual(wire[error].errorText, '');
      assert.equal(wire.at(-1).finishReason, 'error');
      assert.deepEqual(
        turn.clientErrors.map((e) => e.message),
        [wire[error].errorText],
        'the client reports exactly the error chunk',
      );
      indexOfType(wire, 'text-delta', 'failed turn');
    });
  });
}
