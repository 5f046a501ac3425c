import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import {
  assertSameAnswer,
  lastAnswer,
  normalize,
  pageMidAnswer,
  screenshot,
  skipReason,
  useEnvironment,
  waitForAnswerDone,
  waitForWords,
  words,
} from './harness.mjs';

const env = useEnvironment({ before, after, afterEach });

test(
  'a second tab follows the answer live, and its stop ends it in both tabs',
  { skip: skipReason, timeout: 120_000 },
  async () => {
    const { context, page: first, chatId } = await pageMidAnswer(env, 'tabs', 400, 30);

    // Same browser context: the second tab is already signed in.
    const second = await context.newPage();
    await second.goto(`${env.baseUrl}/c/${chatId}`);
    await second.locator('[data-testid=message][data-role=assistant][data-streaming]').waitFor();
    const startedAt = (await lastAnswer(second)).text;
    await waitForWords(second, 'tabs', (startedAt.match(/tabs\d{3}/g) ?? []).length + 20);
    assert.equal(
      (await lastAnswer(second)).id,
      (await lastAnswer(first)).id,
      'both tabs show the same answer',
    );

    await second.getByTestId('stop').click();
    for (const page of [first, second]) {
      await page
        .locator('[data-testid=message][data-role=assistant] [data-testid=finish-reason]', {
          hasText: 'stopped',
        })
        .waitFor();
      await waitForAnswerDone(page);
    }

    await env.api.waitUntilIdle(chatId);
    const run = await env.api.replay(chatId);
    assert.equal(run.aborted, true, 'the run was stopped');
    assert.equal(run.finishReason, 'other');
    assert.ok(run.text.length < normalize(words('tabs', 400)).length, 'the answer was cut short');
    for (const page of [first, second])
      assertSameAnswer(assert, await lastAnswer(page), run, 'tabs');

    // After a reload both tabs show the partial answer that was kept, and how it ended.
    await Promise.all([first.reload(), second.reload()]);
    for (const page of [first, second]) {
      await page
        .locator('[data-testid=message][data-role=assistant] [data-testid=finish-reason]', {
          hasText: 'stopped',
        })
        .waitFor();
      await waitForAnswerDone(page);
      const shown = await lastAnswer(page);
      assertSameAnswer(assert, shown, run, 'tabs');
      assert.equal(shown.count, 1);
    }
    await screenshot(second, 'two-tabs');
    await context.close();
  },
);
