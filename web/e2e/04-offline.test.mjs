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
  waitForStatus,
} from './harness.mjs';

const env = useEnvironment({ before, after, afterEach });

test(
  'three seconds offline in the middle of an answer: reconnecting, then the whole answer once',
  { skip: skipReason, timeout: 120_000 },
  async () => {
    const { context, page, chatId } = await pageMidAnswer(env, 'offline', 300);

    await context.setOffline(true);
    await waitForStatus(page, 'reconnecting', 15_000);
    await page.getByTestId('connection-status').getByText('reconnecting…').waitFor();
    await screenshot(page, 'offline-reconnecting');
    await new Promise((r) => setTimeout(r, 3_000)); // the scenario itself: three seconds without a network
    assert.equal(
      await page.getByTestId('connection-status').getAttribute('data-status'),
      'reconnecting',
    );
    await context.setOffline(false);

    await waitForAnswerDone(page);
    await env.api.waitUntilIdle(chatId);
    const run = await env.api.replay(chatId);
    const shown = await lastAnswer(page);
    assertSameAnswer(assert, shown, run, 'offline');
    assert.equal(run.finishReason, 'stop');
    assert.equal(shown.count, 1);
    await screenshot(page, 'offline');
    await context.close();
  },
);
