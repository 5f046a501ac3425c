import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import {
  assertSameAnswer,
  lastAnswer,
  normalize,
  screenshot,
  signedInPage,
  skipReason,
  useEnvironment,
  waitForAnswerDone,
  words,
} from './harness.mjs';

const env = useEnvironment({ before, after, afterEach });

test(
  'a headless run shows up in the sidebar and streams live when its chat is opened',
  { skip: skipReason, timeout: 120_000 },
  async () => {
    const { context, page } = await signedInPage(env);

    const prompt = `Use the tool and then say ${words('headless', 400)}`;
    const { chatId, runId } = await env.api.startHeadlessRun({ prompt });
    assert.match(runId, /^wrun_/);

    // The sidebar refreshes on focus (and on an interval): the new chat appears, marked live.
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    const item = page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`);
    await item.waitFor({ timeout: 15_000 });
    await item.locator('[data-testid=streaming-indicator]').waitFor();
    await item.locator('a').click();
    await page.waitForURL(`**/c/${chatId}`);

    // The answer streams live on the page.
    await page.locator('[data-testid=message][data-role=assistant][data-streaming]').waitFor();
    assert.equal(
      (await env.api.chat(chatId)).isStreaming,
      true,
      'the run was still going when the chat opened',
    );
    await page.locator('[data-testid=connection-status][data-status=streaming]').waitFor();
    await waitForAnswerDone(page);

    await env.api.waitUntilIdle(chatId);
    const run = await env.api.replay(chatId);
    const shown = await lastAnswer(page);
    assertSameAnswer(assert, shown, run, 'headless');
    assert.equal(shown.tools[0]?.name, 'clock');
    assert.equal(shown.tools[0]?.state, 'output-available');
    const user = await page.locator('[data-testid=message][data-role=user]').textContent();
    assert.equal(normalize(user), normalize(prompt), 'the prompt shows as the user message');
    await item
      .locator('[data-testid=streaming-indicator]')
      .waitFor({ state: 'detached', timeout: 15_000 });
    await screenshot(page, 'headless');
    await context.close();
  },
);
