import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import {
  assertSameAnswer,
  chatIdOf,
  lastAnswer,
  pageMidAnswer,
  screenshot,
  send,
  skipReason,
  useEnvironment,
  waitForAnswerDone,
  waitForStatus,
  waitForWords,
  words,
} from './harness.mjs';

const env = useEnvironment({ before, after, afterEach });

test(
  'a server killed in the middle of an answer and restarted: the page shows how the answer ended, and the chat goes on',
  { skip: skipReason, timeout: 150_000 },
  async () => {
    const { context, page, chatId } = await pageMidAnswer(env, 'crash', 300);
    const before = await lastAnswer(page);

    await env.server.kill();
    await waitForStatus(page, 'reconnecting', 30_000);
    await env.server.restart();

    // The restarted server recovers the run: it ends with an error, which the page shows.
    await page
      .locator('[data-testid=message][data-role=assistant] [data-testid=finish-reason]', {
        hasText: 'error',
      })
      .waitFor({ timeout: 60_000 });
    await waitForAnswerDone(page);
    await env.api.waitUntilIdle(chatId);
    const run = await env.api.replay(chatId);
    assert.equal(run.finishReason, 'error');
    assert.ok(run.errorText, 'the recovered run ends with an error');
    const shown = await lastAnswer(page);
    assertSameAnswer(assert, shown, run, 'crash');
    assert.equal(shown.id, before.id);
    assert.equal(shown.error, run.errorText, 'the page shows the run’s error text');
    await screenshot(page, 'crash-recovered');

    // The next message in the same chat works.
    await send(page, `And again: ${words('again', 30)}`);
    await waitForWords(page, 'again', 30);
    await waitForAnswerDone(page);
    await env.api.waitUntilIdle(chatId);
    const next = await env.api.replay(chatId);
    assert.equal(next.finishReason, 'stop');
    const second = await lastAnswer(page);
    assertSameAnswer(assert, second, next, 'again');
    assert.equal(second.count, 2, 'both answers are shown');
    assert.equal(second.finishReason, null);
    assert.equal(chatIdOf(page), chatId);
    await screenshot(page, 'crash');
    await context.close();
  },
);
