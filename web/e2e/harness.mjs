// The browser tests' harness: it starts and owns a reprise server (so that a test can SIGKILL and
// restart it), drives the system Chromium with playwright-core, and reads a run's log through the
// API as the ground truth that the page is compared with.
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = process.env.REPRISE_CHROMIUM ?? '/usr/bin/chromium';
export const CHUNK_DELAY_MS = Number(process.env.REPRISE_E2E_DELAY_MS ?? 25);
const SCREENSHOT_DIR = resolve(
  WEB_DIR,
  process.env.REPRISE_SCREENSHOT_DIR ?? '../target/browser-screenshots',
);

/** Why the browser tests cannot run here (undefined when they can). With CI=true this fails instead. */
export const skipReason = (() => {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `Chromium not found at ${CHROMIUM} (apt-get install chromium); skipping the browser tests`;
  if (process.env.CI === 'true') throw new Error(`${reason.split(';')[0]}: CI needs it`);
  console.log(`# ${reason}`);
  return reason;
})();

// ---------------------------------------------------------------------------------------------
// The server

function javaCommand() {
  const java = process.env.REPRISE_JAVA ?? 'java';
  const classPath = process.env.REPRISE_CLASSPATH;
  // why: C1 only and the serial collector start a JVM in about a third of the time on a small
  // machine; the tests start a server and a key command in every file.
  const base = [
    '--enable-native-access=ALL-UNNAMED',
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
  ];
  return classPath
    ? { java, args: [...base, '-cp', classPath, 'dev.reprise.cli.RepriseCli'] }
    : { java, args: [...base, '-jar', resolve(WEB_DIR, '../target/reprise.jar')] };
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntil(condition, { timeout, interval = 100, message }) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(message ?? 'timed out');
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Starts reprise on a free port with a fresh data dir. `kill()` SIGKILLs it, `restart()` starts it
 * again on the same port and data dir, `stop()` ends it and removes the data dir.
 */
export async function startServer({ delayMs = CHUNK_DELAY_MS } = {}) {
  const { java, args } = javaCommand();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'reprise-e2e-'));
  const logFile = join(dataDir, 'server.log');
  const env = {
    ...process.env,
    REPRISE_DATA_DIR: dataDir,
    REPRISE_HOST: '127.0.0.1',
    REPRISE_OFFLINE_DELAY_MS: String(delayMs),
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  let child = null;

  const health = async () => {
    try {
      return (await fetch(`${baseUrl}/health`)).status === 200;
    } catch {
      return false;
    }
  };

  const launch = async () => {
    const out = openSync(logFile, 'a');
    child = spawn(java, [...args, 'serve', '--port', String(port)], {
      env,
      stdio: ['ignore', out, out],
    });
    const started = child;
    let exited = false;
    started.once('exit', () => (exited = true));
    try {
      await waitUntil(async () => exited || (await health()), { timeout: 90_000 });
    } catch {
      started.kill('SIGKILL');
      throw new Error(
        `reprise did not answer /health on ${baseUrl} within 90 s; its log:\n${tail()}`,
      );
    }
    if (exited) throw new Error(`reprise exited at start-up; its log:\n${tail()}`);
  };

  const tail = () => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    } catch {
      return '(no log)';
    }
  };

  const kill = async () => {
    const victim = child;
    if (!victim || victim.exitCode !== null || victim.signalCode !== null) return;
    const gone = new Promise((r) => victim.once('exit', r));
    victim.kill('SIGKILL');
    await gone;
  };

  // why: a test file that dies (a timeout, Ctrl-C) must not leave its server running.
  process.once('exit', () => child?.kill('SIGKILL'));
  await launch();
  return {
    baseUrl,
    port,
    dataDir,
    log: tail,
    kill,
    async restart() {
      await kill();
      await launch();
    },
    async stop() {
      const victim = child;
      if (victim && victim.exitCode === null && victim.signalCode === null) {
        const gone = new Promise((r) => victim.once('exit', r));
        victim.kill('SIGTERM');
        const timer = setTimeout(() => victim.kill('SIGKILL'), 15_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
    /** A new API key for `account`; the key is the last line the command prints. */
    async createKey(account = 'e2e') {
      const { stdout } = await promisify(execFile)(
        java,
        [...args, 'keys', 'create', '--account', account],
        {
          env,
          timeout: 60_000,
        },
      );
      const key = stdout.trim().split('\n').pop()?.trim();
      if (!key?.startsWith('rpr_sk_')) throw new Error(`keys create printed no key:\n${stdout}`);
      return key;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The API, as ground truth

export function apiClient(baseUrl, key) {
  const headers = { Authorization: `Bearer ${key}` };
  const json = async (path, init = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { ...headers, ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
    });
    const body = await response.text();
    if (!response.ok)
      throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${body}`);
    return body ? JSON.parse(body) : null;
  };
  return {
    chat: (chatId) => json(`/api/chats/${chatId}`),
    chats: () => json('/api/chats').then((r) => r.chats),
    startHeadlessRun: (body) =>
      json('/api/chat/runs', { method: 'POST', body: JSON.stringify(body) }),
    async waitUntilIdle(chatId, timeout = 60_000) {
      await waitUntil(async () => !(await json(`/api/chats/${chatId}`)).isStreaming, {
        timeout,
        interval: 200,
        message: `chat ${chatId} was still streaming after ${timeout} ms`,
      });
    },
    /** The chat's latest run, replayed from chunk 0 and assembled the way a client would. */
    async replay(chatId) {
      const response = await fetch(`${baseUrl}/api/chat/${chatId}/stream?startIndex=0`, {
        headers,
      });
      if (response.status !== 200) throw new Error(`replay of ${chatId}: ${response.status}`);
      return assemble(parseSse(await response.text()));
    },
  };
}

export function parseSse(text) {
  const events = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let id;
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('id:')) id = line.slice(3).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0 || data.join('\n') === '[DONE]') continue;
    events.push({
      id: id === undefined ? undefined : Number(id),
      chunk: JSON.parse(data.join('\n')),
    });
  }
  return events;
}

/** What a run's chunks say: the message id, the text, the reasoning, the tool calls and the ending. */
export function assemble(events) {
  const run = {
    messageId: undefined,
    text: '',
    reasoning: '',
    tools: new Map(),
    errorText: undefined,
    aborted: false,
    finishReason: undefined,
    count: events.length,
  };
  for (const { chunk } of events) {
    switch (chunk.type) {
      case 'start':
        run.messageId = chunk.messageId;
        break;
      case 'text-delta':
        run.text += chunk.delta;
        break;
      case 'reasoning-delta':
        run.reasoning += chunk.delta;
        break;
      case 'tool-input-available':
        run.tools.set(chunk.toolCallId, { name: chunk.toolName, input: chunk.input });
        break;
      case 'tool-output-available':
        Object.assign(run.tools.get(chunk.toolCallId) ?? {}, { output: chunk.output });
        break;
      case 'tool-output-error':
        Object.assign(run.tools.get(chunk.toolCallId) ?? {}, { errorText: chunk.errorText });
        break;
      case 'error':
        run.errorText = chunk.errorText;
        break;
      case 'abort':
        run.aborted = true;
        break;
      case 'finish':
        run.finishReason = chunk.finishReason;
        break;
    }
  }
  return run;
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/** `count` distinct words (`prefix001 prefix002 …`), easy to count on the page. */
export function words(prefix, count) {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}`).join(
    ' ',
  );
}

export const normalize = (text) => text.replace(/\s+/g, ' ').trim();

/** Words of the form prefixNNN that occur more than once in `text`. */
export function repeatedWords(text, prefix) {
  const counts = new Map();
  for (const word of text.match(new RegExp(`\\b${prefix}\\d{3}\\b`, 'g')) ?? []) {
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([w]) => w);
}

// ---------------------------------------------------------------------------------------------
// The browser

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A Chromium with a fresh profile (launch() always uses a temporary user data dir). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: 60_000,
  });
}

/** A browser context whose pages report their errors to the test log. */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  context.setDefaultTimeout(30_000);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window.__cspViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  context.on('page', (page) => {
    page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
  });
  return context;
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

// ---------------------------------------------------------------------------------------------
// The page

export async function signIn(page, baseUrl, key, path = '/') {
  await page.goto(`${baseUrl}${path}`);
  await page.getByTestId('api-key-input').fill(key);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('composer').waitFor();
}

/** A fresh browser context with one page, signed in. */
export async function signedInPage(env) {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signIn(page, env.baseUrl, env.key);
  return { context, page };
}

/**
 * A signed-in page in the middle of an answer: it sent `count` words starting with `prefix`, and
 * shows the first `shown` of them in the answer.
 */
export async function pageMidAnswer(env, prefix, count, shown = 40) {
  const { context, page } = await signedInPage(env);
  await send(page, words(prefix, count));
  await waitForWords(page, prefix, shown);
  return { context, page, chatId: chatIdOf(page) };
}

export function chatIdOf(page) {
  const match = /\/c\/([0-9a-f-]{36})/.exec(page.url());
  if (!match) throw new Error(`no chat id in ${page.url()}`);
  return match[1];
}

export async function send(page, text) {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

export const status = (page) => page.getByTestId('connection-status').getAttribute('data-status');

export async function waitForStatus(page, wanted, timeout = 60_000) {
  await page.waitForFunction(
    (w) =>
      document.querySelector('[data-testid=connection-status]')?.getAttribute('data-status') === w,
    wanted,
    { timeout, polling: 50 },
  );
}

/** Waits until the last assistant message shows at least `count` words of the form prefixNNN. */
export async function waitForWords(page, prefix, count, timeout = 60_000) {
  await page.waitForFunction(
    ([p, n]) => {
      const answers = document.querySelectorAll('[data-testid=message][data-role=assistant]');
      const last = answers[answers.length - 1];
      const text = last?.querySelector('[data-testid=text-part]')?.textContent ?? '';
      return (text.match(new RegExp(`\\b${p}\\d{3}\\b`, 'g')) ?? []).length >= n;
    },
    [prefix, count],
    { timeout, polling: 20 },
  );
}

/** Waits for the last answer to be finished (the chat ready, the answer not streaming). */
export async function waitForAnswerDone(page, timeout = 60_000) {
  await page.waitForFunction(
    () => {
      const answers = document.querySelectorAll('[data-testid=message][data-role=assistant]');
      const last = answers[answers.length - 1];
      const ready =
        document.querySelector('[data-testid=connection-status]')?.getAttribute('data-status') ===
        'ready';
      return ready && last && !last.hasAttribute('data-streaming');
    },
    null,
    { timeout, polling: 50 },
  );
}

/** What the page shows of its last assistant message. */
export async function lastAnswer(page) {
  return page.evaluate(() => {
    const answers = document.querySelectorAll('[data-testid=message][data-role=assistant]');
    const last = answers[answers.length - 1];
    if (!last) return null;
    const all = (selector) => [...last.querySelectorAll(selector)];
    return {
      id: last.getAttribute('data-message-id'),
      count: answers.length,
      text: all('[data-testid=text-part]')
        .map((e) => e.textContent)
        .join(' '),
      reasoning: all('[data-testid=reasoning-part] .reasoning-text')
        .map((e) => e.textContent)
        .join(''),
      tools: all('[data-testid=tool-part]').map((e) => ({
        name: e.getAttribute('data-tool-name'),
        state: e.getAttribute('data-state'),
        input: e.querySelector('[data-testid=tool-input]')?.textContent ?? null,
        output: e.querySelector('[data-testid=tool-output]')?.textContent ?? null,
        error: e.querySelector('[data-testid=tool-error]')?.textContent ?? null,
      })),
      finishReason: last.querySelector('[data-testid=finish-reason]')?.textContent ?? null,
      error: last.querySelector('[data-testid=chat-error]')?.textContent ?? null,
    };
  });
}

/** Whether the Content-Security-Policy the server sends blocked anything on the page. */
export async function assertNoCspViolations(assert, page) {
  assert.deepEqual(await page.evaluate(() => window.__cspViolations ?? []), [], 'no CSP violation');
}

/** The page's last answer against the run's log: same message id, same text, every word once. */
export function assertSameAnswer(assert, shown, run, prefix) {
  assert.ok(shown, 'the page shows an answer');
  assert.equal(shown.id, run.messageId, 'the page shows the message id of the run');
  assert.equal(
    normalize(shown.text),
    normalize(run.text),
    'the page shows exactly the text of the run',
  );
  if (prefix) assert.deepEqual(repeatedWords(shown.text, prefix), [], 'no word is shown twice');
}

// ---------------------------------------------------------------------------------------------
// One server, one key and one browser per test file

/**
 * Registers before/after hooks that start a server, create a key and launch Chromium; the
 * returned object is filled in by the time the tests run. On failure the server's log is printed.
 * `delayMs` paces the offline model's chunks (default REPRISE_E2E_DELAY_MS or 25 ms).
 */
export function useEnvironment({ before, after, afterEach, delayMs }) {
  const env = {};
  let failed = false;
  before(
    async () => {
      if (skipReason) return;
      const browser = launchBrowser();
      try {
        env.server = await startServer(delayMs === undefined ? {} : { delayMs });
        env.baseUrl = env.server.baseUrl;
        env.key = await env.server.createKey();
        env.api = apiClient(env.baseUrl, env.key);
      } catch (e) {
        failed = true;
        throw e;
      } finally {
        env.browser = await browser;
      }
    },
    { timeout: 180_000 },
  );
  afterEach((t) => {
    if (t.passed === false) failed = true;
  });
  after(
    async () => {
      if (failed && env.server)
        console.log(`# reprise log (last lines):\n${env.server.log().replace(/^/gm, '#   ')}`);
      await env.browser?.close().catch(() => {});
      await env.server?.stop().catch(() => {});
    },
    { timeout: 60_000 },
  );
  return env;
}
