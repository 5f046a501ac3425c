// Tool approvals and client-side tools with the real AbstractChat of ai 6.0.0 and ai 7: the
// connection drops right after the server asks, the client resumes, answers with
// addToolApprovalResponse / addToolOutput, and sendAutomaticallyWhen sends the answer. The answer
// continues the SAME assistant message; the chat on the server waits, then no longer does. Every
// chunk of these streams must pass the strict chunk schema of ai 6.0.0 and of ai 7.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { CHAT_API, getChat, MESSAGE_ID, partTypes, textOf, waitUntilIdle } from '../lib/api.mjs';
import { chatClassOf, EventLog, recordedTransport } from '../lib/chat.mjs';
import { assertCompleteTurn, assertStreamHeaders } from '../lib/checks.mjs';
import { cutAfterChunk } from '../lib/recording-fetch.mjs';
import { allChunkProblems, SDKS } from '../lib/schemas.mjs';
import { chunksOf } from '../lib/sse.mjs';

/** The versions whose clients know approvals (6.0.0 and 7.x); ai 5 has no approval chunks. */
const VERSIONS = SDKS.filter(({ sdk }) => typeof sdk.lastAssistantMessageIsCompleteWithApprovalResponses === 'function');
const AI5 = SDKS.find(({ name }) => name.startsWith('ai@5.'));
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const count = (items, value) => items.filter((item) => item === value).length;
const isMajor7 = ({ name }) => name.startsWith('ai@7.');

test('approvals are tested with ai 6.0.0 and ai 7', () => {
  assert.deepEqual(
    VERSIONS.map(({ name }) => name.replace(/^(ai@\d+)\..*$/, '$1')),
    ['ai@6', 'ai@7'],
    `versions with lastAssistantMessageIsCompleteWithApprovalResponses: ${VERSIONS.map((v) => v.name)}`,
  );
  assert.equal(VERSIONS[0].name, 'ai@6.0.0');
});

/**
 * Every chunk on the wire of a test, validated with the strict schema of ai 6.0.0 and of ai 7 (see
 * lib/schemas.mjs), whichever version's client read it.
 */
async function assertStrictChunks(recorders, what) {
  const chunks = recorders.flatMap((recorder) => recorder.exchanges.flatMap((exchange) => chunksOf(exchange.events).map((c) => c.chunk)));
  assert.ok(chunks.length > 0, `${what}: no chunks recorded`);
  for (const version of VERSIONS) {
    assert.deepEqual(await allChunkProblems(version, chunks), [], `${what}: chunks invalid for ${version.name}`);
  }
  return chunks;
}

/**
 * A chat of `version` whose first POST is cut right after the first chunk `cutAfter` accepts, and
 * whose resumeStream() asks the resume endpoint for what that version needs (see resumeIndex).
 */
function cutChat(version, { cutAfter, sendAutomaticallyWhen }) {
  const chatId = randomUUID();
  let resumeFrom;
  const { transport, recorder } = recordedTransport(version.sdk, {
    alterBody: (exchange, body) =>
      exchange === recorder.exchanges[0] && exchange.status === 200 ? cutAfterChunk(body, cutAfter) : body,
    prepareReconnectToStreamRequest: ({ api, id, headers, credentials }) => ({
      api: `${api}/${id}/stream?startIndex=${resumeFrom}`,
      headers,
      credentials,
    }),
  });
  const finishes = new EventLog();
  const errors = new EventLog();
  const toolCalls = new EventLog();
  const chat = new (chatClassOf(version.sdk))({
    id: chatId,
    transport,
    sendAutomaticallyWhen,
    onFinish: finishes.add,
    onError: errors.add,
    onToolCall: ({ toolCall }) => toolCalls.add(toolCall),
  });
  return {
    chatId,
    chat,
    recorder,
    finishes,
    errors,
    toolCalls,
    resumeFrom: (index) => {
      resumeFrom = index;
    },
  };
}

/**
 * Where a version's resumeStream() must start after the POST delivered `received` chunks.
 * ai 7's DefaultChatTransport declares its resume a replay (resumeStreamIsReplay): the chat rebuilds
 * the message from `start`, so it asks for chunk 0. ai 6.0.0 appends what it is given to the message
 * it has, so it must get exactly the chunks it lacks. startIndex also makes the server replay the run
 * when it already ended (without it, a finished run answers 204).
 */
const resumeIndex = (version, received) => (isMajor7(version) ? 0 : received);

/**
 * Sends `text`, lets the POST be cut after the chunk `cutAfter` accepts, resumes, and checks the
 * first turn: one assistant message, every chunk index exactly once, finish(tool-calls), the chat
 * waiting on the server. Returns what the answer needs.
 */
async function askAndResume(version, { text, cutAfter, sendAutomaticallyWhen, toolType, kind }) {
  const c = cutChat(version, { cutAfter, sendAutomaticallyWhen });
  const { chat, chatId, recorder, finishes, errors } = c;

  await chat.sendMessage({ text });
  assert.deepEqual(errors.items, [], 'the cut POST must not surface an error');
  const post = recorder.exchanges[0];
  assert.equal(post.method, 'POST');
  assert.equal(post.status, 200);
  const runId = assertStreamHeaders(post.headers, 'POST /api/chat');
  await post.done;
  const posted = chunksOf(post.events);
  assert.ok(cutAfter(posted.at(-1).chunk), `the POST was cut after the planned chunk: ${posted.map((p) => p.chunk.type)}`);
  assert.ok(!posted.some((p) => p.chunk.type === 'finish'), 'the cut came before finish');
  assert.deepEqual(posted.map((p) => p.index), posted.map((_, i) => i), 'POST chunk ids 0..k');
  const start = posted[0].chunk;
  assert.equal(start.type, 'start');
  assert.match(start.messageId ?? '', MESSAGE_ID);
  assert.deepEqual(chat.messages.map((m) => m.role), ['user', 'assistant']);
  assert.equal(chat.messages[1].id, start.messageId, 'the partial message carries the start messageId');

  c.resumeFrom(resumeIndex(version, posted.length));
  await chat.resumeStream();
  assert.deepEqual(errors.items, [], 'resumeStream() must not surface an error');
  assert.equal(recorder.exchanges.length, 2, 'resumeStream() made one request and nothing was sent automatically');
  const resume = recorder.exchanges[1];
  assert.equal(resume.method, 'GET');
  assert.equal(resume.url, `${CHAT_API}/${chatId}/stream?startIndex=${resumeIndex(version, posted.length)}`);
  assert.equal(resume.status, 200, 'the resume answered with the stream');
  assert.equal(assertStreamHeaders(resume.headers, 'GET resume'), runId, 'the resume serves the same run');
  await resume.done;
  const resumed = assertCompleteTurn(resume.events, { firstIndex: resumeIndex(version, posted.length), what: 'GET resume' });
  // Every chunk of the turn exactly once: what ai 6 got is the POST's chunks followed by the rest;
  // ai 7's replay starts over with exactly the chunks the POST had delivered.
  const whole = isMajor7(version) ? resumed : [...posted.map((p) => p.chunk), ...resumed];
  assert.deepEqual(whole.slice(0, posted.length), posted.map((p) => p.chunk), 'the resume continues the same stream');
  assert.equal(whole.at(-1).finishReason, 'tool-calls');
  assert.equal(whole.filter((chunk) => chunk.type === 'start').length, 1, 'one start');
  assert.equal(finishes.items.at(-1).finishReason, 'tool-calls', 'onFinish after the resume reports tool-calls');

  assert.deepEqual(chat.messages.map((m) => m.role), ['user', 'assistant'], 'no duplicated assistant message');
  const asked = chat.messages[1];
  assert.equal(asked.id, start.messageId);
  const types = partTypes(asked);
  assert.equal(count(types, 'step-start'), 1, `one step: ${types}`);
  assert.equal(count(types, 'reasoning'), 1, `one reasoning part: ${types}`);
  assert.equal(count(types, toolType), 1, `one ${toolType} part: ${types}`);
  assert.equal(count(types, 'text'), 0, `no text yet: ${types}`);
  const tool = asked.parts.find((p) => p.type === toolType);

  const stored = await waitUntilIdle(chatId);
  assert.equal(stored.chat.isWaiting, true, `the chat waits: ${JSON.stringify(stored.chat)}`);
  assert.equal(stored.waiting.length, 1, `one waiting call: ${JSON.stringify(stored.waiting)}`);
  const [waiting] = stored.waiting;
  assert.equal(waiting.kind, kind);
  assert.equal(waiting.messageId, start.messageId);
  assert.equal(waiting.toolCallId, tool.toolCallId);
  assert.equal(waiting.toolName, toolType.slice('tool-'.length));
  assert.deepEqual(waiting.input, tool.input);
  return { ...c, start, tool, waiting, asked, firstTurn: whole };
}

/** Waits for the continuation the chat sent by itself; checks its request and its stream. */
async function continuation(c, { finishesBefore, assistantId }) {
  const { recorder, finishes, errors } = c;
  await finishes.waitForCount(finishesBefore + 1, { what: 'the automatically sent answer to finish' });
  assert.deepEqual(errors.items, [], 'the answer must not surface an error');
  assert.equal(recorder.exchanges.length, 3, 'exactly one request was sent automatically');
  const answer = recorder.exchanges[2];
  assert.equal(answer.method, 'POST');
  assert.equal(answer.url, CHAT_API);
  const body = JSON.parse(answer.requestBody);
  assert.equal(body.id, c.chatId);
  assert.equal(body.trigger, 'submit-message');
  assert.equal(body.messageId, assistantId, 'the request names the message it answers');
  assert.deepEqual(body.messages.map((m) => m.role), ['user', 'assistant'], 'the whole chat is sent back');
  assert.equal(body.messages[1].id, assistantId);
  assert.equal(answer.status, 200);
  assertStreamHeaders(answer.headers, 'POST answer');
  await answer.done;
  const chunks = assertCompleteTurn(answer.events, { what: 'POST answer' });
  assert.equal(chunks[0].type, 'start');
  assert.equal(chunks[0].messageId, assistantId, 'the continuation starts the SAME message');
  assert.equal(chunks.at(-1).finishReason, 'stop');
  assert.equal(finishes.items.at(-1).finishReason, 'stop');
  return { body, chunks };
}

/** The final assistant message, in the client and on the server. */
async function assertOneFinalMessage(c, { assistantId, toolType, state }) {
  const { chat, chatId } = c;
  assert.equal(chat.status, 'ready');
  assert.deepEqual(chat.messages.map((m) => m.role), ['user', 'assistant'], 'ONE assistant message');
  const message = chat.messages[1];
  assert.equal(message.id, assistantId, 'the answer continued the same message');
  const types = partTypes(message);
  assert.equal(count(types, toolType), 1, `one ${toolType} part: ${types}`);
  assert.equal(count(types, 'text'), 1, `one text part: ${types}`);
  assert.equal(count(types, 'reasoning'), 1, `one reasoning part: ${types}`);
  assert.equal(count(types, 'step-start'), 2, `two steps: ${types}`);
  assert.ok(types.indexOf('text') > types.indexOf(toolType), `the text follows the tool part: ${types}`);
  const tool = message.parts.find((p) => p.type === toolType);
  assert.equal(tool.state, state, `tool part: ${JSON.stringify(tool)}`);

  const stored = await waitUntilIdle(chatId);
  assert.deepEqual(stored.waiting, [], 'nothing waits any more');
  assert.equal(stored.chat.isWaiting, false);
  const assistants = stored.messages.filter((m) => m.role === 'assistant');
  assert.equal(assistants.length, 1, `one stored assistant message: ${JSON.stringify(stored.messages)}`);
  assert.equal(assistants[0].id, assistantId);
  assert.equal(textOf(assistants[0]), textOf(message), 'stored text equals the rendered text');
  const storedTool = assistants[0].parts.find((p) => p.type === toolType);
  assert.equal(storedTool?.state, state, `stored tool part: ${JSON.stringify(storedTool)}`);
  return { message, tool, stored: assistants[0], storedTool };
}

const APPROVE_TEXT = 'Please approve reading the clock';

for (const version of VERSIONS) {
  describe(`${version.name} AbstractChat with tool approvals`, () => {
    for (const approved of [true, false]) {
      test(
        approved
          ? 'approve: cut after the request, resume, approve; the clock is read in the same message'
          : 'deny: cut, resume, deny; the tool output is denied and the answer says so',
        { timeout: 60_000 },
        async () => {
          const reason = approved ? undefined : `not now ${randomUUID().slice(0, 8)}`;
          const c = await askAndResume(version, {
            text: APPROVE_TEXT,
            cutAfter: (chunk) => chunk.type === 'tool-approval-request',
            sendAutomaticallyWhen: version.sdk.lastAssistantMessageIsCompleteWithApprovalResponses,
            toolType: 'tool-clock',
            kind: 'approval',
          });
          const { chat, start, tool, waiting, firstTurn } = c;
          assert.equal(tool.state, 'approval-requested', `tool part: ${JSON.stringify(tool)}`);
          assert.deepEqual(tool.input, { timezone: 'UTC' });
          const request = firstTurn.find((chunk) => chunk.type === 'tool-approval-request');
          assert.equal(tool.approval?.id, request.approvalId);
          assert.equal(request.toolCallId, tool.toolCallId);
          assert.equal(waiting.id, request.approvalId, 'the chat waits on that approval');
          const types = firstTurn.map((chunk) => chunk.type);
          assert.equal(types.indexOf('tool-approval-request'), types.indexOf('tool-input-available') + 1, `${types}`);

          const finishesBefore = c.finishes.items.length;
          await chat.addToolApprovalResponse({ id: tool.approval.id, approved, ...(reason ? { reason } : {}) });
          const { body, chunks } = await continuation(c, { finishesBefore, assistantId: start.messageId });
          const sent = body.messages[1].parts.find((p) => p.type === 'tool-clock');
          assert.equal(sent.state, 'approval-responded');
          assert.equal(sent.approval.id, tool.approval.id);
          assert.equal(sent.approval.approved, approved);
          const settled = approved ? 'tool-output-available' : 'tool-output-denied';
          assert.equal(chunks[1].type, settled, `chunks: ${chunks.map((x) => x.type)}`);
          assert.equal(chunks[1].toolCallId, tool.toolCallId);
          assert.equal(chunks[2].type, 'start-step');
          assert.ok(!chunks.some((chunk) => chunk.type === 'tool-approval-request'), 'nothing asks again');

          const final = await assertOneFinalMessage(c, {
            assistantId: start.messageId,
            toolType: 'tool-clock',
            state: approved ? 'output-available' : 'output-denied',
          });
          assert.equal(final.tool.toolCallId, tool.toolCallId);
          assert.equal(final.tool.approval?.id, tool.approval.id);
          assert.equal(final.tool.approval?.approved, approved, `approval: ${JSON.stringify(final.tool.approval)}`);
          assert.equal(final.storedTool.approval?.approved, approved, `stored approval: ${JSON.stringify(final.storedTool.approval)}`);
          const answerText = textOf(final.message);
          if (approved) {
            assert.equal(final.tool.output?.timezone, 'UTC');
            assert.match(final.tool.output?.time ?? '', ISO_INSTANT);
            assert.deepEqual(final.tool.output, chunks[1].output);
            const expected = `Thank you. I checked the clock: it is ${final.tool.output.time} UTC.`;
            assert.ok(answerText.startsWith(expected), `text: ${answerText}`);
          } else {
            assert.equal(final.tool.output, undefined);
            assert.equal(final.storedTool.approval?.reason, reason);
            assert.ok(answerText.startsWith(`You did not let me check the clock (${reason})`), `text: ${answerText}`);
          }
          await assertStrictChunks([c.recorder], approved ? 'approved turn' : 'denied turn');
        },
      );
    }

    test('client tool: cut after tool-input-available, resume, addToolOutput; the answer echoes it', { timeout: 60_000 }, async () => {
      const c = await askAndResume(version, {
        text: 'Please ask the client for my local time',
        cutAfter: (chunk) => chunk.type === 'tool-input-available',
        sendAutomaticallyWhen: version.sdk.lastAssistantMessageIsCompleteWithToolCalls,
        toolType: 'tool-local_time',
        kind: 'client-tool',
      });
      const { chat, start, tool, waiting, firstTurn, toolCalls } = c;
      assert.equal(tool.state, 'input-available', `tool part: ${JSON.stringify(tool)}`);
      assert.deepEqual(tool.input, {});
      assert.equal(waiting.id, tool.toolCallId, 'a client tool waits under its tool call id');
      assert.ok(!firstTurn.some((chunk) => chunk.type.startsWith('tool-output') || chunk.type === 'tool-approval-request'));
      assert.ok(toolCalls.items.length >= 1, 'onToolCall saw the call');
      for (const call of toolCalls.items) {
        assert.equal(call.toolName, 'local_time');
        assert.equal(call.toolCallId, tool.toolCallId);
        assert.deepEqual(call.input, {});
      }

      const output = { time: '2031-04-05T06:07:08.090Z', timeZone: `Europe/Compat-${randomUUID().slice(0, 8)}` };
      const finishesBefore = c.finishes.items.length;
      await chat.addToolOutput({ tool: 'local_time', toolCallId: tool.toolCallId, output });
      const { body, chunks } = await continuation(c, { finishesBefore, assistantId: start.messageId });
      const sent = body.messages[1].parts.find((p) => p.type === 'tool-local_time');
      assert.equal(sent.state, 'output-available');
      assert.deepEqual(sent.output, output);
      assert.equal(chunks[1].type, 'tool-output-available', `chunks: ${chunks.map((x) => x.type)}`);
      assert.equal(chunks[1].toolCallId, tool.toolCallId);
      assert.deepEqual(chunks[1].output, output, 'the server echoes the output');

      const final = await assertOneFinalMessage(c, {
        assistantId: start.messageId,
        toolType: 'tool-local_time',
        state: 'output-available',
      });
      assert.deepEqual(final.tool.output, output);
      assert.deepEqual(final.storedTool.output, output);
      const answerText = textOf(final.message);
      assert.ok(answerText.startsWith('Your browser answered: '), `text: ${answerText}`);
      assert.ok(answerText.includes(output.time), `the answer contains the output: ${answerText}`);
      assert.ok(answerText.includes(output.timeZone), `the answer contains the output: ${answerText}`);
      await assertStrictChunks([c.recorder], 'client tool turn');
    });

    test('two tabs approve the same request at once: one continuation, one 409', { timeout: 60_000 }, async () => {
      // A waiting chat, asked by a first tab that is then closed.
      const first = await askAndResume(version, {
        text: APPROVE_TEXT,
        cutAfter: (chunk) => chunk.type === 'tool-approval-request',
        sendAutomaticallyWhen: version.sdk.lastAssistantMessageIsCompleteWithApprovalResponses,
        toolType: 'tool-clock',
        kind: 'approval',
      });
      const { chatId, start } = first;
      const loaded = await getChat(chatId);

      // Two tabs load the chat; their POSTs are held until both are ready, then go out together.
      let release;
      const bothReady = new Promise((resolve) => {
        release = resolve;
      });
      let held = 0;
      const beforeFetch = async (exchange) => {
        if (exchange.method !== 'POST') return;
        if (++held === 2) release();
        await bothReady;
      };
      const tabs = [0, 1].map(() => {
        const { transport, recorder } = recordedTransport(version.sdk, { beforeFetch });
        const finishes = new EventLog();
        const errors = new EventLog();
        const chat = new (chatClassOf(version.sdk))({
          id: chatId,
          messages: loaded.messages,
          transport,
          sendAutomaticallyWhen: version.sdk.lastAssistantMessageIsCompleteWithApprovalResponses,
          onFinish: finishes.add,
          onError: errors.add,
        });
        return { chat, recorder, finishes, errors };
      });
      const approvalId = loaded.waiting[0].id;
      for (const tab of tabs) {
        const part = tab.chat.messages[1].parts.find((p) => p.type === 'tool-clock');
        assert.equal(part.state, 'approval-requested', 'the loaded chat asks for approval');
        assert.equal(part.approval.id, approvalId);
      }
      await Promise.all(tabs.map((tab) => tab.chat.addToolApprovalResponse({ id: approvalId, approved: true })));
      await Promise.all(tabs.map((tab) => tab.finishes.waitForCount(1, { what: "a tab's answer to end" })));
      for (const tab of tabs) await tab.recorder.settled();

      for (const tab of tabs) assert.equal(tab.recorder.exchanges.length, 1, 'each tab sent one answer');
      const exchanges = tabs.map((tab) => tab.recorder.exchanges[0]);
      assert.deepEqual(exchanges.map((e) => e.status).sort(), [200, 409], 'one continuation and one 409');
      const winner = tabs[exchanges.findIndex((e) => e.status === 200)];
      const loser = tabs[exchanges.findIndex((e) => e.status === 409)];

      const stream = assertCompleteTurn(winner.recorder.exchanges[0].events, { what: 'the winning answer' });
      assert.equal(stream[0].messageId, start.messageId);
      assert.equal(stream[1].type, 'tool-output-available');
      assert.deepEqual(winner.errors.items, []);
      assert.equal(winner.chat.status, 'ready');
      assert.deepEqual(winner.chat.messages.map((m) => m.role), ['user', 'assistant']);
      const won = winner.chat.messages[1];
      assert.equal(won.id, start.messageId);
      const wonTool = won.parts.find((p) => p.type === 'tool-clock');
      assert.equal(wonTool.state, 'output-available');
      assert.equal(wonTool.approval?.approved, true);
      assert.ok(textOf(won).startsWith('Thank you. I checked the clock'), textOf(won));

      const refused = loser.recorder.exchanges[0];
      assert.match(refused.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(loser.errors.items.length, 1, 'the losing tab reports one error');
      assert.equal(loser.chat.status, 'error');
      const envelope = JSON.parse(loser.errors.items[0].message);
      assert.equal(envelope.status, 'error', `409 body: ${loser.errors.items[0].message}`);
      assert.equal(typeof envelope.message, 'string');
      assert.deepEqual(loser.chat.messages.map((m) => m.role), ['user', 'assistant'], 'the losing tab added no message');

      const stored = await waitUntilIdle(chatId);
      assert.deepEqual(stored.waiting, [], 'nothing waits any more');
      assert.equal(stored.chat.isWaiting, false);
      const assistants = stored.messages.filter((m) => m.role === 'assistant');
      assert.equal(assistants.length, 1, `exactly one stored assistant message: ${JSON.stringify(stored.messages)}`);
      assert.equal(assistants[0].id, start.messageId);
      assert.equal(textOf(assistants[0]), textOf(won));
      await assertStrictChunks([first.recorder, ...tabs.map((tab) => tab.recorder)], 'two tabs');
    });
  });
}

test('ai 5.0.92 rejects the approval chunks (so servers for ai 5 clients set REPRISE_TOOL_APPROVALS=false)', async () => {
  assert.ok(AI5, 'ai 5 is installed');
  const request = { type: 'tool-approval-request', approvalId: 'approval_call_1', toolCallId: 'call_1' };
  assert.notDeepEqual(await allChunkProblems(AI5, [request]), [], 'ai 5 must reject tool-approval-request');
  assert.notDeepEqual(await allChunkProblems(AI5, [{ type: 'tool-output-denied', toolCallId: 'call_1' }]), []);
  for (const version of VERSIONS) assert.deepEqual(await allChunkProblems(version, [request]), [], version.name);
});
