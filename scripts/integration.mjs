// Runs the integration test suites inside a real VS Code: code-server 1.139 (scripts/runtime.mjs)
// driven by Debian's Chromium through playwright-core. One code-server launch per suite, each
// with a fresh copy of test/fixtures/workspace and its own HOME, user data and extensions dirs.
// Why it works this way: shared/notes/real-vscode-offline.md (payload query, smoke-test driver).
//
//   node scripts/integration.mjs [--suite main|untrusted] [--grep pattern] [--keep]
//   import { runIntegration, SUITES } from './integration.mjs'
//
// Tests reach the page through a "browser bridge": a loopback HTTP server here that executes
// Playwright operations for test/integration/support/bridge.ts.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { freePort, killGroup, launchCodeServer, writeUserSettings } from './codeServer.mjs';
import { CHROMIUM_PATH, ensureRuntime, projectRoot } from './runtime.mjs';

/**
 * @typedef {{ name: string, include: string, exclude?: string[], workspaceTrust: boolean }} Suite
 *   `workspaceTrust`: false passes --disable-workspace-trust; true leaves trust on and the folder untrusted.
 * @typedef {{ title: string, error: string }} Failure
 * @typedef {{ suite: string, passed: number, failed: number, pending: number, failures: Failure[],
 *   durationMs: number, vscodeVersion?: string }} SuiteResult  vscodeVersion: `vscode.version` in the host
 */

/** @type {Suite[]} */
export const SUITES = [
  {
    name: 'main',
    include: 'out/test/integration/**/*.test.js',
    exclude: ['out/test/integration/untrusted/**'],
    workspaceTrust: false,
  },
  { name: 'untrusted', include: 'out/test/integration/untrusted/**/*.test.js', workspaceTrust: true },
];

// A whole-suite guard against a hang, far above a normal run (the main suite takes 7–11 min on 2 busy
// cores); each test has its own 60 s mocha timeout, so failures never need this one.
const SUITE_TIMEOUT_MS = 35 * 60_000;
// Workbench chatter forwarded by codeAutomationLog that says nothing about the tests; shown with
// IMAGE_GEN_VERBOSE=1. Anything else, errors included, is always shown.
const QUIET = [
  /^Ignoring fetching additional builtin extensions from gallery/,
  /^Updating additional builtin extensions cache/,
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket \(/,
  /^\[reconnection-grace-time\]/,
  /^\[Service Worker\] registered/,
  /^\[AgentHost:remote\] Initializing/,
  /^\[AccountPolicyGate\] apply: state=inactive/,
];
const WEBVIEW_FIND_TIMEOUT_MS = 15_000;
const ACTION_TIMEOUT_MS = 10_000;
const FIXTURE_WORKSPACE = path.join(projectRoot, 'test', 'fixtures', 'workspace');
const ARTIFACTS_DIR = path.join(projectRoot, 'test-results');
// Flags that work for Debian's Chromium on these machines (closed network, root, no GPU).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
// With the launcher's quiet settings: deterministic, and the trust prompt must not block the run.
const USER_SETTINGS = {
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'workbench.startupEditor': 'none',
  'git.enabled': false,
};

// ---------------------------------------------------------------------------------------------
// Test files

function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more folders, a trailing `**` anything.
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/**
 * The suite's compiled test files (absolute). out/ is never cleaned, so a file whose test/…ts
 * source is gone is skipped rather than run stale.
 * @param {Suite} suite
 */
export function suiteFiles(suite) {
  const include = globToRegExp(suite.include);
  const exclude = (suite.exclude ?? []).map(globToRegExp);
  return walk(path.join(projectRoot, 'out'))
    .map((abs) => path.relative(projectRoot, abs).split(path.sep).join('/'))
    .filter((rel) => include.test(rel) && !exclude.some((re) => re.test(rel)))
    .filter((rel) => fs.existsSync(path.join(projectRoot, rel.replace(/^out\//, '').replace(/\.js$/, '.ts'))))
    .sort()
    .map((rel) => path.join(projectRoot, rel));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Browser bridge

// Webview frames are served from the workbench's webview/browser/pre/ folder; their own
// resources (scripts, styles) come through vscode-resource URLs.
const WEBVIEW_URL = /\/webview\/browser\/pre\//;
const isWebviewUrl = (url) => WEBVIEW_URL.test(url) || /vscode-resource|vscode-cdn\.net/.test(url);

/** `(fn)(arg)` as an expression: CDP evaluates it regardless of the page's CSP, unlike eval(). */
function callExpression(fnSource, arg) {
  return `(${fnSource})(${arg === undefined ? '' : JSON.stringify(arg)})`;
}

async function frameView(frame) {
  try {
    return await frame.evaluate('document.body ? document.body.dataset.imageGenView ?? null : null');
  } catch {
    return null; // detached or navigating
  }
}

/** The content frame of a webview of this extension (the newest, when several are open). */
async function findWebviewFrame(page, view, timeoutMs = WEBVIEW_FIND_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const candidates = page.frames().filter((f) => WEBVIEW_URL.test(f.url()) && !f.isDetached());
    let found;
    for (const frame of candidates) if ((await frameView(frame)) === view) found = frame;
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no webview with <body data-image-gen-view="${view}"> appeared within ${timeoutMs} ms`);
    }
    await sleep(100);
  }
}

/** Polls an expression in a frame until it is truthy; re-finds the frame each time (reloads). */
async function poll(getFrame, expression, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await (await getFrame()).evaluate(expression);
      if (value) return value;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${lastError.message}` : ''}`);
    }
    await sleep(100);
  }
}

function safeName(name) {
  return (
    String(name)
      .replace(/[^\w.-]+/g, '_')
      .slice(0, 120) || 'screenshot'
  );
}

/** Serves the bridge operations for one page. Returns { url, close }. */
async function startBridge(page, problems, suiteName) {
  const ops = {
    evalWebview: async (r) =>
      (await findWebviewFrame(page, r.view, r.timeoutMs)).evaluate(callExpression(r.fn, r.arg)),
    waitWebview: (r) =>
      poll(
        () => findWebviewFrame(page, r.view, r.timeoutMs),
        callExpression(r.fn, r.arg),
        r.timeoutMs ?? 15_000,
      ),
    clickWebview: async (r) =>
      (await findWebviewFrame(page, r.view)).click(r.selector, { timeout: r.timeoutMs ?? ACTION_TIMEOUT_MS }),
    fillWebview: async (r) =>
      (await findWebviewFrame(page, r.view)).fill(r.selector, r.text, {
        timeout: r.timeoutMs ?? ACTION_TIMEOUT_MS,
      }),
    pressWebview: async (r) =>
      (await findWebviewFrame(page, r.view)).press(r.selector, r.key, {
        timeout: r.timeoutMs ?? ACTION_TIMEOUT_MS,
      }),
    dragWebview: async (r) => {
      const element = (await findWebviewFrame(page, r.view)).locator(r.selector);
      await element.waitFor({ state: 'visible', timeout: r.timeoutMs ?? ACTION_TIMEOUT_MS });
      // The box is in the top page's coordinates, where page.mouse moves: a real pointer, frames and all.
      const box = await element.boundingBox();
      if (!box) throw new Error(`${r.selector} has no box`);
      const at = ([fx, fy]) => [box.x + fx * box.width, box.y + fy * box.height];
      const [first, ...rest] = r.points.map(at);
      await page.mouse.move(first[0], first[1]);
      await page.mouse.down();
      for (const [x, y] of rest) await page.mouse.move(x, y, { steps: 4 });
      await page.mouse.up();
    },
    dragToWorkbench: async (r) => {
      const element = (await findWebviewFrame(page, r.view)).locator(r.selector);
      await element.waitFor({ state: 'visible', timeout: r.timeoutMs ?? ACTION_TIMEOUT_MS });
      const box = await element.boundingBox();
      if (!box) throw new Error(`${r.selector} has no box`);
      const to = await page.evaluate(callExpression(r.target, r.arg));
      if (!to) throw new Error('the workbench named no point to drop on');
      const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      // Playwright intercepts the drag Chromium starts in the webview's frame and replays its
      // data (the page's own DataTransfer types) as dragenter/dragover/drop where the mouse is.
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(from.x + 12, from.y + 6, { steps: 3 });
      await page.mouse.move(to.x, to.y, { steps: 12 });
      await page.mouse.up();
      // The workbench stops the source webview from taking pointer events while a drag runs out of
      // it, and lets go on the window's dragend or a mouse move over the webview. The emulated drag
      // ends inside the webview's frame, so say both, or later clicks in that view never land.
      await page.evaluate("window.dispatchEvent(new DragEvent('dragend', { bubbles: true }))");
      await page.mouse.move(from.x, from.y, { steps: 2 });
    },
    evalWorkbench: (r) => page.evaluate(callExpression(r.fn, r.arg)),
    waitWorkbench: (r) =>
      poll(async () => page.mainFrame(), callExpression(r.fn, r.arg), r.timeoutMs ?? 15_000),
    clickWorkbench: (r) => page.click(r.selector, { timeout: r.timeoutMs ?? ACTION_TIMEOUT_MS }),
    screenshot: async (r) => {
      const file = path.join(ARTIFACTS_DIR, 'screenshots', `${suiteName}-${safeName(r.name)}.png`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (r.view)
        await (await (await findWebviewFrame(page, r.view)).frameElement()).screenshot({ path: file });
      else await page.screenshot({ path: file });
      return file;
    },
    errors: async () => problems,
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      let answer;
      try {
        const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const op = Object.hasOwn(ops, request.op) ? ops[request.op] : undefined;
        if (!op) throw new Error(`unknown operation ${request.op}`);
        const result = await op(request);
        answer = { ok: true, result: result ?? null };
      } catch (e) {
        answer = { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
      const body = JSON.stringify(answer);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Collects uncaught errors and console errors from every frame of the page. CSP violations are
 * console errors that Chromium itself logs in the violating frame ("… violates the following
 * Content Security Policy directive …"); a `securitypolicyviolation` listener would not do, since
 * VS Code writes each webview's document into a fresh inner frame that init scripts never see.
 */
function collectProblems(page) {
  /** @type {import('../test/integration/support/bridgeProtocol').PageProblem[]} */
  const problems = [];
  page.on('pageerror', (error) => {
    // Playwright names no frame here. The stack does: a webview's bundled scripts load from
    // vscode-resource URLs, and inline (nonce) scripts, which only webviews have, from no URL.
    const stack = error.stack ?? `${error.name}: ${error.message}`;
    const url = /\b(?:https?|vscode-[\w-]+):\/\/[^\s)]+/.exec(stack)?.[0] ?? '';
    problems.push({
      kind: 'pageerror',
      text: stack.slice(0, 2000),
      url,
      webview: url === '' || isWebviewUrl(url),
      time: Date.now(),
    });
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const url = msg.location()?.url ?? '';
    problems.push({
      kind: /Content Security Policy/.test(text) ? 'csp' : 'console',
      text: text.slice(0, 2000),
      url,
      webview: isWebviewUrl(url),
      time: Date.now(),
    });
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// One suite

function prefixLines(prefix, text) {
  return String(text)
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

/**
 * Launches code-server + Chromium for one suite and runs its tests in the extension host.
 * @param {Suite} suite
 * @param {{ grep?: string, log?: (line: string) => void, keep?: boolean, timeoutMs?: number }} [options]
 * @returns {Promise<SuiteResult>}
 */
export async function runSuite(
  suite,
  { grep, log = console.log, keep = false, timeoutMs = SUITE_TIMEOUT_MS } = {},
) {
  const started = Date.now();
  const files = suiteFiles(suite);
  const result = { suite: suite.name, passed: 0, failed: 0, pending: 0, failures: [], durationMs: 0 };
  if (files.length === 0) {
    log(`[${suite.name}] no test files match ${suite.include}`);
    return { ...result, durationMs: Date.now() - started };
  }

  const runtime = await ensureRuntime({ log, systemNeeds: ['browser'] });
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), `image-gen-${suite.name}-`));
  const dirs = Object.fromEntries(
    ['workspace', 'home', 'user-data', 'extensions', 'chromium'].map((d) => [d, path.join(temp, d)]),
  );
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.cpSync(FIXTURE_WORKSPACE, dirs.workspace, { recursive: true });
  writeUserSettings(dirs['user-data'], USER_SETTINGS);
  const logDir = path.join(ARTIFACTS_DIR, 'integration', suite.name);
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  const resultsFile = path.join(temp, 'results.json');
  const serverLog = path.join(logDir, 'code-server.log');

  let server;
  let context;
  let bridge;
  let timer;
  // Interrupted (Ctrl+C, CI stop): the detached code-server group would outlive us, so kill it now.
  const onSignal = (signal) => {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('SIGHUP', onSignal);
    process.kill(process.pid, signal);
  };
  try {
    const port = await freePort();
    const { origin } = await launchCodeServer({
      runtime,
      port,
      dirs: {
        userData: dirs['user-data'],
        extensions: dirs.extensions,
        home: dirs.home,
        workspace: dirs.workspace,
      },
      logFile: serverLog,
      workspaceTrust: suite.workspaceTrust,
      // Without it the workbench ignores the `payload` query parameter and runs no tests.
      smokeTestDriver: true,
      onSpawn: (child) => {
        server = child;
        process.on('SIGINT', onSignal).on('SIGTERM', onSignal).on('SIGHUP', onSignal);
      },
    });
    log(
      `[${suite.name}] code-server on ${origin} (pid ${server.pid}), ${files.length} test file(s), workspace ${dirs.workspace}`,
    );

    context = await chromium.launchPersistentContext(dirs.chromium, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const problems = collectProblems(page);
    bridge = await startBridge(page, problems, suite.name);

    let exitCode;
    let onExit;
    const exited = new Promise((resolve) => (onExit = resolve));
    // Both must exist before the workbench loads: the extension host reports through them.
    await page.exposeFunction('codeAutomationExit', (code) => {
      exitCode = code;
      onExit(code);
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      // The raw console arguments: mocha's spec reporter passes format strings ('%s%s', '%d passing').
      const text = Array.isArray(args) ? format(...args) : String(args);
      if (!process.env.IMAGE_GEN_VERBOSE && QUIET.some((re) => re.test(text))) return;
      log(prefixLines(type === 'error' ? `[${suite.name}!] ` : `[${suite.name}] `, text));
    });

    const extensionEnvironment = {
      IMAGE_GEN_TEST_RESULTS: resultsFile,
      IMAGE_GEN_TEST_FILES: JSON.stringify(files),
      IMAGE_GEN_TEST_HOOKS: '1',
      IMAGE_GEN_BRIDGE_URL: bridge.url,
      IMAGE_GEN_ARTIFACTS: ARTIFACTS_DIR,
      IMAGE_GEN_WORKSPACE: dirs.workspace,
      IMAGE_GEN_SUITE: suite.name,
      // The log is not a terminal, but mocha 12 colours its ✔/✖ with picocolors despite
      // `color: false` whenever CI or FORCE_COLOR is set; NO_COLOR is what picocolors obeys.
      NO_COLOR: '1',
      ...(grep ? { IMAGE_GEN_TEST_GREP: grep } : {}),
    };
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(projectRoot)],
      ['extensionTestsPath', remote(path.join(projectRoot, 'out', 'test', 'integration', 'index.js'))],
      ['extensionEnvironment', JSON.stringify(extensionEnvironment)],
    ];
    const url = `${origin}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

    const timedOut = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`suite timed out after ${Math.round(timeoutMs / 1000)} s`)),
        timeoutMs,
      );
    });
    // Fail fast instead of waiting for the timeout when the server or the browser dies.
    const crashed = new Promise((_, reject) => {
      server.once('exit', (code, signal) =>
        reject(new Error(`code-server exited (${signal ?? code}) during the run`)),
      );
      page.once('crash', () => reject(new Error('the workbench page crashed')));
    });
    // Settle quietly once nothing races them any more (teardown kills the server on purpose).
    crashed.catch(() => undefined);
    timedOut.catch(() => undefined);
    // Playwright's default 30 s is not enough for a first load on 2 cores busy with other runs.
    await Promise.race([
      page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 }),
      timedOut,
      crashed,
    ]);
    const served = await codeServerVersion(page).catch(() => undefined);
    log(`[${suite.name}] workbench served by code-server ${served ?? '(unknown)'}`);
    await Promise.race([exited, timedOut, crashed]);

    if (!fs.existsSync(resultsFile)) throw new Error(`the test run wrote no results (exit code ${exitCode})`);
    const fromHost = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    Object.assign(result, {
      vscodeVersion: fromHost.vscodeVersion,
      passed: fromHost.passed,
      failed: fromHost.failed,
      pending: fromHost.pending ?? 0,
      failures: fromHost.failures,
    });
    // A non-zero exit with no failing test (e.g. run() threw) must still fail the suite.
    if (exitCode !== 0 && result.failed === 0) {
      result.failed = 1;
      result.failures.push({
        title: `${suite.name}: extension host`,
        error: `tests exited with code ${exitCode}`,
      });
    }
  } catch (e) {
    // The host writes its results after every test: keep what ran before the run was cut short.
    const partial = readResults(resultsFile);
    if (partial) {
      Object.assign(result, {
        vscodeVersion: partial.vscodeVersion,
        passed: partial.passed,
        failed: partial.failed,
        pending: partial.pending ?? 0,
        failures: partial.failures,
      });
    }
    result.failed += 1;
    result.failures.push({
      title: `${suite.name}: harness`,
      error: e instanceof Error ? e.message : String(e),
    });
    log(
      `[${suite.name}!] ${e instanceof Error ? e.message : e}; code-server log: ${path.relative(projectRoot, serverLog)}`,
    );
  } finally {
    clearTimeout(timer);
    await context?.close().catch(() => undefined);
    await bridge?.close();
    await killGroup(server?.pid);
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('SIGHUP', onSignal);
    if (keep) log(`[${suite.name}] kept ${temp}`);
    else fs.rmSync(temp, { recursive: true, force: true });
  }
  result.durationMs = Date.now() - started;
  return result;
}

/** The results the host wrote so far, or undefined when there are none (yet). */
function readResults(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The code-server version in the page's embedded configuration (VS Code's own comes from the host). */
async function codeServerVersion(page) {
  return page.evaluate(() => {
    const settings = document
      .getElementById('vscode-workbench-web-configuration')
      ?.getAttribute('data-settings');
    return settings ? JSON.parse(settings).productConfiguration?.codeServerVersion : undefined;
  });
}

/**
 * Runs suites one after the other (never two launches at once on 2 cores).
 * @param {{ suites?: string[], grep?: string, log?: (line: string) => void, keep?: boolean }} [options]
 * @returns {Promise<SuiteResult[]>}
 */
export async function runIntegration({ suites, grep, log = console.log, keep = false } = {}) {
  const selected = suites?.length ? SUITES.filter((s) => suites.includes(s.name)) : SUITES;
  const unknown = (suites ?? []).filter((n) => !SUITES.some((s) => s.name === n));
  if (unknown.length)
    throw new Error(
      `unknown suite(s): ${unknown.join(', ')} (known: ${SUITES.map((s) => s.name).join(', ')})`,
    );
  const results = [];
  for (const suite of selected) {
    const r = await runSuite(suite, { grep, log, keep });
    if (r.vscodeVersion) log(`[${suite.name}] extension host reports VS Code ${r.vscodeVersion}`);
    log(
      `[${suite.name}] ${r.passed} passed, ${r.failed} failed${r.pending ? `, ${r.pending} pending` : ''} in ${(r.durationMs / 1000).toFixed(1)} s`,
    );
    for (const f of r.failures) log(`[${suite.name}!]   ✗ ${f.title}: ${f.error.split('\n')[0]}`);
    results.push(r);
  }
  return results;
}

export function parseArgs(argv) {
  const options = { suites: [], grep: undefined, keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--suite') options.suites.push(argv[++i]);
    else if (argv[i] === '--grep') options.grep = argv[++i];
    else if (argv[i] === '--keep') options.keep = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return options;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const results = await runIntegration(parseArgs(process.argv.slice(2)));
    const passed = results.reduce((n, r) => n + r.passed, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}
