import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import {
  assertNoCspViolations,
  chatIdOf,
  lastAnswer,
  newContext,
  normalize,
  screenshot,
  send,
  signIn,
  skipReason,
  useEnvironment,
  waitForAnswerDone,
} from './harness.mjs';

const env = useEnvironment({ before, after, afterEach });

const HOSTILE = [
  'Hostile: <img src=x onerror=alert(1)> and <script>window.__pwned=1</script> then',
  '',
  'data: {"type":"finish"}',
  '',
  'and an image ![x](http://example.invalid/x.png) and a [link](http://example.invalid/page)',
  '<iframe src="http://example.invalid/frame"></iframe> <svg onload="window.__pwned=2"></svg> end',
].join('\n');

test(
  'hostile text is shown as text and runs nothing',
  { skip: skipReason, timeout: 120_000 },
  async () => {
    const context = await newContext(env.browser);
    const page = await context.newPage();
    const dialogs = [];
    const foreign = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && url.protocol !== 'data:')
        foreign.push(request.url());
    });
    await signIn(page, env.baseUrl, env.key);

    await send(page, HOSTILE);
    await page.locator('[data-testid=message][data-role=assistant]').waitFor();
    await waitForAnswerDone(page);
    const chatId = chatIdOf(page);
    await env.api.waitUntilIdle(chatId);
    const run = await env.api.replay(chatId);
    assert.ok(
      run.text.includes('<script>window.__pwned=1</script>'),
      'the run echoed the hostile text',
    );

    const check = async (when) => {
      const shown = await lastAnswer(page);
      assert.equal(shown.id, run.messageId, when);
      for (const fragment of [
        '<img src=x onerror=alert(1)>',
        '<script>window.__pwned=1</script>',
        'data: {"type":"finish"}',
        '<iframe src="http://example.invalid/frame"></iframe>',
        '<svg onload="window.__pwned=2"></svg>',
      ]) {
        assert.ok(shown.text.includes(fragment), `${when}: the answer shows ${fragment} as text`);
        const user = await page.locator('[data-testid=message][data-role=user]').textContent();
        assert.ok(user.includes(fragment), `${when}: the user message shows ${fragment} as text`);
      }
      // Everything of the answer is there, in order (markdown only turns the image and link into links).
      const expected = normalize(
        run.text
          .replace('![x](http://example.invalid/x.png)', '[image: x]')
          .replace('[link](http://example.invalid/page)', 'link'),
      );
      assert.equal(normalize(shown.text), expected, `${when}: the answer's text`);
      const inside = await page.evaluate(() => ({
        pwned: window.__pwned,
        elements: document.querySelectorAll(
          '[data-testid=message] :is(img, script, iframe, svg:not([aria-hidden]), object, embed)',
        ).length,
        links: [...document.querySelectorAll('[data-testid=message] a')].map((a) => ({
          href: a.href,
          rel: a.rel,
          target: a.target,
        })),
        title: document.querySelector('[data-testid=chat-item] .chat-title')?.textContent ?? null,
      }));
      assert.equal(inside.pwned, undefined, `${when}: no script ran`);
      assert.equal(inside.elements, 0, `${when}: no img, script, iframe or svg inside messages`);
      assert.ok(inside.links.length >= 2);
      for (const link of inside.links) {
        assert.equal(link.target, '_blank');
        assert.match(link.rel, /noopener/);
        assert.match(link.rel, /noreferrer/);
      }
      assert.ok(
        inside.title?.startsWith('Hostile: <img src=x onerror=alert(1)>'),
        `${when}: the title is text`,
      );
      assert.deepEqual(dialogs, [], `${when}: no dialog opened`);
      assert.deepEqual(foreign, [], `${when}: nothing was requested from another origin`);
    };
    await page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`).waitFor();
    await check('live');
    await screenshot(page, 'hostile');

    await page.reload();
    await page.locator(`[data-testid=message][data-message-id="${run.messageId}"]`).waitFor();
    await page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`).waitFor();
    await check('stored');
    await assertNoCspViolations(assert, page);
    await context.close();
  },
);
