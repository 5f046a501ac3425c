import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import {
  assertNoCspViolations,
  assertSameAnswer,
  chatIdOf,
  lastAnswer,
  newContext,
  screenshot,
  send,
  signIn,
  signedInPage,
  skipReason,
  useEnvironment,
  waitForAnswerDone,
} from './harness.mjs';

// why: slow enough chunks (the answer after an approval takes about 3 s) that a tab can open or
// reload the chat while that answer is still being written.
const env = useEnvironment({ before, after, afterEach, delayMs: 200 });

const APPROVED = 'Thank you. I checked the clock';
const answerText = (page, text) =>
  page.locator('[data-testid=message][data-role=assistant] [data-testid=text-part]', {
    hasText: text,
  });
const sidebarItem = (page, chatId) =>
  page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`);

/** Sends a message that makes the offline model ask to run the clock; waits for the question. */
async function askForApproval(page, text = 'Please approve a look at the clock') {
  await send(page, text);
  await page.getByTestId('tool-approve').waitFor();
  await waitForAnswerDone(page);
  return chatIdOf(page);
}

/** Both pages show the answer of the chat's last run and the tool call as `state`, once each. */
async function assertSameFinalAnswer(pages, chatId, state) {
  await env.api.waitUntilIdle(chatId);
  const run = await env.api.replay(chatId);
  for (const page of pages) {
    const shown = await lastAnswer(page);
    assertSameAnswer(assert, shown, run);
    assert.equal(shown.count, 1, 'one answer');
    assert.equal(shown.tools.length, 1, 'the tool call shows once');
    assert.equal(shown.tools[0].state, state);
    assert.equal(await page.getByTestId('tool-approve').count(), 0, 'no question is left');
    assert.equal(
      await page.locator('[data-testid=reasoning-part]').count(),
      1,
      'the reasoning shows once',
    );
    await assertNoCspViolations(assert, page);
  }
  return run;
}

test(
  'an approval given in one tab goes on in the other tab and in a reloaded one',
  { skip: skipReason, timeout: 180_000 },
  async () => {
    const { context, page: first } = await signedInPage(env);
    const chatId = await askForApproval(first);

    // The question is a fact on the server: the chat waits, the chat list says so.
    const detail = await env.api.chat(chatId);
    assert.equal(detail.chat.isWaiting, true);
    assert.deepEqual(
      detail.waiting.map((w) => [w.kind, w.toolName]),
      [['approval', 'clock']],
    );
    await sidebarItem(first, chatId).locator('[data-testid=waiting-indicator]').waitFor();
    const question = await first.getByTestId('tool-question').textContent();
    assert.match(question, /wants to run clock/);
    assert.match(await first.getByTestId('tool-input').textContent(), /"timezone": "UTC"/);
    await screenshot(first, 'approval-requested');

    const second = await context.newPage();
    await second.goto(`${env.baseUrl}/c/${chatId}`);
    await second.getByTestId('tool-approve').waitFor();

    await first.getByTestId('tool-approve').click();
    // The answer goes on in the same message: first the clock's output.
    await first
      .locator('[data-testid=tool-part][data-state=output-available] [data-testid=tool-output]')
      .waitFor({ state: 'attached' });

    // The other tab learns of it when it looks at the chat list (on focus here; else within 5 s)
    // and follows the rest of the answer live.
    await second.evaluate(() => window.dispatchEvent(new Event('focus')));
    await second.locator('[data-testid=message][data-role=assistant][data-streaming]').waitFor();
    // A reload in the middle of it picks it up too.
    await first.reload();
    for (const page of [first, second]) {
      await answerText(page, APPROVED).waitFor();
      await waitForAnswerDone(page);
    }
    const run = await assertSameFinalAnswer([first, second], chatId, 'output-available');
    assert.match(run.text, /^Thank you\. I checked the clock: it is \S+ UTC\.$/);

    await sidebarItem(first, chatId)
      .locator('[data-testid=waiting-indicator]')
      .waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal((await env.api.chat(chatId)).chat.isWaiting, false);
    await screenshot(second, 'approval-approved-other-tab');
    await context.close();
  },
);

test(
  'a tab that answers too late is told so, and shows what the other tab started',
  { skip: skipReason, timeout: 180_000 },
  async () => {
    const { context, page: first } = await signedInPage(env);
    const chatId = await askForApproval(first, 'approve the clock, please');

    const second = await context.newPage();
    await second.goto(`${env.baseUrl}/c/${chatId}`);
    await second.getByTestId('tool-approve').waitFor();
    await sidebarItem(second, chatId).waitFor();
    // The second tab stops hearing from the chat list, so it still shows the question.
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await second.route(
      (url) => url.pathname === '/api/chats',
      async (route) => {
        await held;
        await route.continue().catch(() => {});
      },
    );

    // The first tab approves; while its answer goes on, the second tab approves too.
    await first.getByTestId('tool-approve').click();
    await first
      .locator('[data-testid=tool-part][data-state=output-available]')
      .waitFor({ state: 'attached' });
    await second.getByTestId('tool-approve').click();
    await second
      .getByTestId('chat-notice')
      .filter({ hasText: 'already answered in another tab' })
      .waitFor();
    for (const page of [first, second]) {
      await answerText(page, APPROVED).waitFor();
      await waitForAnswerDone(page);
    }
    assert.equal(await second.getByTestId('chat-error').count(), 0, 'no error is shown');
    await assertSameFinalAnswer([first, second], chatId, 'output-available');

    // Once the chat list is heard from again, it no longer says the chat needs the user.
    release();
    await second.evaluate(() => window.dispatchEvent(new Event('focus')));
    await sidebarItem(second, chatId)
      .locator('[data-testid=waiting-indicator]')
      .waitFor({ state: 'detached', timeout: 15_000 });
    await screenshot(second, 'approval-answered-elsewhere');
    await context.close();
  },
);

test(
  'a denial, with its reason, is part of the answer and stays after a reload',
  { skip: skipReason, timeout: 180_000 },
  async () => {
    const { context, page } = await signedInPage(env);
    const chatId = await askForApproval(page, 'approve reading the clock');

    await page.getByTestId('tool-deny').click();
    await page.getByTestId('tool-deny-reason').fill('not today');
    await screenshot(page, 'approval-deny-reason');
    await page.getByTestId('tool-deny-reason').press('Enter');

    const said = 'You did not let me check the clock (not today)';
    await answerText(page, said).waitFor();
    await waitForAnswerDone(page);
    await assertSameFinalAnswer([page], chatId, 'output-denied');
    assert.equal(await page.getByTestId('tool-status').textContent(), 'Denied: not today');

    await page.reload();
    await answerText(page, said).waitFor();
    await waitForAnswerDone(page);
    await assertSameFinalAnswer([page], chatId, 'output-denied');
    assert.equal(await page.getByTestId('tool-status').textContent(), 'Denied: not today');
    await screenshot(page, 'approval-denied');
    await context.close();
  },
);

test(
  'the local time is shared only when the user says so, or declined',
  { skip: skipReason, timeout: 180_000 },
  async () => {
    const context = await newContext(env.browser, { timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    await signIn(page, env.baseUrl, env.key);

    await send(page, 'ask the client what time it is');
    const question = page
      .getByTestId('tool-question')
      .filter({ hasText: 'The assistant asks for your local time' });
    await question.waitFor();
    await waitForAnswerDone(page);
    const chatId = chatIdOf(page);
    // Nothing went out by itself: the call still waits on the server.
    const detail = await env.api.chat(chatId);
    assert.deepEqual(
      detail.waiting.map((w) => [w.kind, w.toolName]),
      [['client-tool', 'local_time']],
    );
    await screenshot(page, 'client-tool-question');

    await page.getByTestId('tool-share').click();
    await answerText(page, 'Your browser answered').waitFor();
    await waitForAnswerDone(page);
    let shown = await lastAnswer(page);
    assert.equal(shown.tools[0].state, 'output-available');
    const output = JSON.parse(shown.tools[0].output);
    assert.equal(output.timezone, 'Asia/Tokyo');
    assert.match(output.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    let run = await env.api.replay(chatId);
    assertSameAnswer(assert, shown, run);
    assert.match(run.text, /Asia\/Tokyo/);

    // Declined: the tool call fails with the user's no, and the answer says so.
    await send(page, 'ask the client again');
    await question.waitFor();
    await waitForAnswerDone(page);
    await page.getByTestId('tool-decline').click();
    await answerText(page, 'Your browser could not answer').waitFor();
    await waitForAnswerDone(page);
    shown = await lastAnswer(page);
    assert.equal(shown.count, 2);
    assert.equal(shown.tools[0].state, 'output-error');
    assert.match(shown.tools[0].error, /declined/);
    run = await env.api.replay(chatId);
    assertSameAnswer(assert, shown, run);
    await assertNoCspViolations(assert, page);
    await context.close();
  },
);

test(
  'a question survives a reload and is answered from the keyboard at phone width',
  { skip: skipReason, timeout: 180_000 },
  async () => {
    const { context, page } = await signedInPage(env);
    const chatId = await askForApproval(page, 'approve this: what time is it?');

    await page.reload();
    await page.getByTestId('tool-approve').waitFor();
    await sidebarItem(page, chatId).locator('[data-testid=waiting-indicator]').waitFor();
    await screenshot(page, 'approval-after-reload');

    await page.setViewportSize({ width: 390, height: 844 });
    const approve = page.getByRole('button', { name: 'Approve clock' });
    await approve.scrollIntoViewIfNeeded();
    const box = await page
      .locator('[data-testid=tool-part][data-state=approval-requested]')
      .boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the question fits the phone width');
    await screenshot(page, 'approval-phone');

    await approve.focus();
    await page.keyboard.press('Enter');
    await answerText(page, APPROVED).waitFor();
    await waitForAnswerDone(page);
    await assertSameFinalAnswer([page], chatId, 'output-available');
    await context.close();
  },
);
