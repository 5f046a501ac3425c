// Makes docs/images/chat-page.png (the page at 1280×800, saved 1024 wide) and a phone-width
// screenshot beside the test screenshots, against a fresh server started by the harness.
// Run from web/: node e2e/readme-screenshot.mjs (same REPRISE_* variables as the tests).
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiClient, launchBrowser, startServer } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const phoneDir = resolve(
  here,
  '..',
  process.env.REPRISE_SCREENSHOT_DIR ?? '../target/browser-screenshots',
);
const PROMPT =
  'What time is it in UTC? Use the clock tool, then tell me in one line why **durable streams** ' +
  'matter: a reload, a lost network or a restarted server never costs you the `answer`.';

const server = await startServer({ delayMs: 20 });
try {
  const key = await server.createKey('demo');
  const api = apiClient(server.baseUrl, key);
  for (const prompt of [
    'Draft release notes for the 0.4 milestone',
    'Summarise how resumable streams work',
    'Plan a weekend in Lisbon with a small budget',
  ]) {
    const { chatId } = await api.startHeadlessRun({ prompt });
    await api.waitUntilIdle(chatId);
  }
  const browser = await launchBrowser();
  const shots = [
    {
      file: join(here, '..', '..', 'docs', 'images', 'chat-page.png'),
      viewport: { width: 1280, height: 800 },
      scale: 0.8,
    },
    { file: join(phoneDir, 'phone.png'), viewport: { width: 390, height: 844 }, scale: 2 },
  ];
  for (const { file, viewport, scale } of shots) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: scale });
    await context.addInitScript((k) => localStorage.setItem('reprise.credential', k), key);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('composer').fill(PROMPT);
    await page.getByTestId('composer').press('Enter');
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid=connection-status]')?.getAttribute('data-status') ===
          'ready' && document.querySelector('[data-role=assistant]'),
      null,
      { timeout: 60_000 },
    );
    if (viewport.width > 700) {
      await page.getByTestId('reasoning-part').locator('summary').click();
      await page.getByTestId('tool-part').locator('summary').click();
    }
    // why: let the sidebar's refresh and the folding animations settle before the picture.
    await page.waitForTimeout(1_500);
    mkdirSync(dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
    await context.close();
  }
  await browser.close();
} finally {
  await server.stop();
}
