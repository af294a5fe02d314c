// The one launcher of code-server, for `npm start` (scripts/start.mjs), the integration tests
// (scripts/integration.mjs) and through them the bench: user settings, spawn in its own process
// group with its own HOME, health wait, and stopping the whole group.
// Why these flags: shared/notes/real-vscode-offline.md.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const HEALTH_TIMEOUT_MS = 60_000;

// What every launch wants: no tips, experiments, update checks, telemetry or AI features.
const QUIET_SETTINGS = {
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Removes // and /* *\/ comments and trailing commas outside strings (settings.json is JSONC). */
export function stripJsonc(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/**
 * Writes `<userData>/User/settings.json`: the quiet settings plus `extra`, each added only when
 * missing, so a value the user changed in a kept user-data folder stays.
 */
export function writeUserSettings(userDataDir, extra = {}) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  let settings = {};
  if (fs.existsSync(file)) {
    try {
      settings = JSON.parse(stripJsonc(fs.readFileSync(file, 'utf8')));
    } catch {
      return; // the user's own file, which VS Code reports on itself
    }
  }
  const missing = Object.entries({ ...QUIET_SETTINGS, ...extra }).filter(([key]) => !(key in settings));
  if (!missing.length) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...settings, ...Object.fromEntries(missing) }, null, 2)}\n`);
}

export function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a process group (code-server spawns several processes): TERM, then KILL after 5 s. */
export async function killGroup(pid) {
  if (!pid) return;
  for (const [signal, waitMs] of [
    ['SIGTERM', 5_000],
    ['SIGKILL', 2_000],
  ]) {
    if (!groupAlive(pid)) return;
    try {
      process.kill(-pid, signal);
    } catch {
      return;
    }
    const deadline = Date.now() + waitMs;
    while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
  }
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode)
      throw new Error(`code-server exited while starting (${child.signalCode ?? `exit ${child.exitCode}`})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs / 1000} s`);
}

/**
 * Starts code-server on 127.0.0.1:`port` in its own process group and waits until it answers.
 * @param {{
 *   runtime: { node24: string, codeServerEntry: string },
 *   port: number,
 *   dirs: { userData: string, extensions: string, home: string, workspace: string },
 *   logFile: string,
 *   openFolder?: boolean,       pass the workspace as the folder to open (npm start)
 *   workspaceTrust?: boolean,   leave workspace trust on (else --disable-workspace-trust)
 *   smokeTestDriver?: boolean,  let the page's `payload` query run extension tests
 *   onSpawn?: (child: import('node:child_process').ChildProcess) => void,
 *   healthTimeoutMs?: number,
 * }} options
 * @returns {Promise<{ child: import('node:child_process').ChildProcess, origin: string, stop: () => Promise<void> }>}
 */
export async function launchCodeServer({
  runtime,
  port,
  dirs,
  logFile,
  openFolder = false,
  workspaceTrust = false,
  smokeTestDriver = false,
  onSpawn,
  healthTimeoutMs = HEALTH_TIMEOUT_MS,
}) {
  const args = [
    runtime.codeServerEntry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(openFolder ? [dirs.workspace] : []),
  ];
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'w');
  const home = dirs.home;
  const child = spawn(runtime.node24, args, {
    cwd: dirs.workspace,
    detached: true, // own process group, stopped as a whole
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      XDG_STATE_HOME: path.join(home, '.local', 'state'),
      // code-server would inherit these from an outer VS Code terminal and act on them.
      VSCODE_IPC_HOOK_CLI: '',
      VSCODE_PROXY_URI: '',
      // No marketplace: the default (open-vsx.org) is unreachable here and only adds log noise.
      EXTENSIONS_GALLERY: '{}',
    },
  });
  fs.closeSync(out);
  onSpawn?.(child);
  const stop = () => killGroup(child.pid);
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(`${origin}/healthz`, child, healthTimeoutMs);
  } catch (e) {
    await stop();
    throw new Error(`${e instanceof Error ? e.message : e}; its log: ${logFile}`, { cause: e });
  }
  return { child, origin, stop };
}
