import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import {
  assertSameAnswer,
  lastAnswer,
  pageMidAnswer,
  screenshot,
  skipReason,
  useEnvironment,
  waitForAnswerDone,
} from './harness.mjs';

const env = useEnvironment({ before, after, afterEach });

test(
  'a reload in the middle of an answer continues it to the end, every word once',
  { skip: skipReason, timeout: 120_000 },
  async () => {
    const { context, page, chatId } = await pageMidAnswer(env, 'reload', 400);
    const before = await lastAnswer(page);

    await page.reload();
    // The reloaded page resumes the same answer while it is still being written.
    await page
      .locator(
        `[data-testid=message][data-role=assistant][data-message-id="${before.id}"][data-streaming]`,
      )
      .waitFor();
    assert.equal(
      (await env.api.chat(chatId)).isStreaming,
      true,
      'the answer was still running after the reload',
    );
    await waitForAnswerDone(page);

    await env.api.waitUntilIdle(chatId);
    const run = await env.api.replay(chatId);
    const shown = await lastAnswer(page);
    assertSameAnswer(assert, shown, run, 'reload');
    assert.equal(shown.count, 1, 'one answer, not two');
    assert.equal(shown.id, before.id, 'the same message before and after the reload');
    assert.equal(await page.locator('[data-testid=message][data-role=user]').count(), 1);
    await screenshot(page, 'reload');
    await context.close();
  },
);
