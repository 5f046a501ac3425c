import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import {
  assertNoCspViolations,
  assertSameAnswer,
  chatIdOf,
  lastAnswer,
  screenshot,
  send,
  signedInPage,
  skipReason,
  useEnvironment,
  waitForAnswerDone,
  words,
} from './harness.mjs';

const env = useEnvironment({ before, after, afterEach });

test(
  'a message gets its whole answer, with its reasoning and a tool call',
  { skip: skipReason, timeout: 120_000 },
  async () => {
    const { context, page } = await signedInPage(env);

    // A double-click on Send starts one turn, not two.
    const prompt = `Please use a tool, then repeat: ${words('send', 60)}`;
    await page.getByTestId('composer').fill(prompt);
    await page.getByTestId('send').dblclick();
    await page.locator('[data-testid=message][data-role=assistant]').waitFor();
    await waitForAnswerDone(page);
    const chatId = chatIdOf(page);
    assert.equal(await page.getByTestId('chat-error').count(), 0, 'no error');
    assert.equal(await page.getByTestId('chat-notice').count(), 0, 'no second turn was refused');

    await env.api.waitUntilIdle(chatId);
    const run = await env.api.replay(chatId);
    const shown = await lastAnswer(page);
    assertSameAnswer(assert, shown, run, 'send');
    assert.equal(run.finishReason, 'stop');
    assert.equal(shown.finishReason, null, 'a finished answer shows no stop reason');

    assert.equal(shown.reasoning, run.reasoning, 'the reasoning is the run’s reasoning');
    const [tool] = [...run.tools.values()];
    assert.equal(shown.tools.length, 1);
    assert.equal(shown.tools[0].name, 'clock');
    assert.equal(shown.tools[0].state, 'output-available');
    assert.deepEqual(JSON.parse(shown.tools[0].input), tool.input);
    assert.deepEqual(JSON.parse(shown.tools[0].output), tool.output);

    const user = page.locator('[data-testid=message][data-role=user]');
    assert.equal(await user.count(), 1);
    assert.equal((await user.textContent()).trim(), prompt);
    await page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`).waitFor();

    await page.getByTestId('reasoning-part').locator('summary').click();
    await page.getByTestId('tool-part').locator('summary').click();
    await assertNoCspViolations(assert, page);
    await screenshot(page, 'send');

    // At phone width the sidebar folds behind a button.
    await page.setViewportSize({ width: 390, height: 844 });
    const sidebar = page.locator('aside.sidebar');
    await page.waitForFunction(() => {
      const box = document.querySelector('aside.sidebar')?.getBoundingClientRect();
      return box && box.right <= 0;
    });
    await page.getByTestId('open-sidebar').click();
    await page.waitForFunction(() => {
      const box = document.querySelector('aside.sidebar')?.getBoundingClientRect();
      return box && box.left >= 0 && box.right > 200;
    });
    assert.ok(await sidebar.getByTestId('new-chat').isVisible());
    await screenshot(page, 'send-phone-sidebar');
    await page.keyboard.press('Escape');
    await page.waitForFunction(
      () => document.querySelector('aside.sidebar').getBoundingClientRect().right <= 0,
    );
    assert.ok(await page.getByTestId('composer').isVisible());
    await screenshot(page, 'send-phone');
    await context.close();
  },
);
