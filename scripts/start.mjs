// `npm start`: a real VS Code (code-server, the runtime the integration tests use) with Image Gen
// loaded, a sample workspace, and a local demo image provider that accepts any key.
//
//   npm start                          demo provider on 127.0.0.1, VS Code on http://127.0.0.1:8080/
//   PORT=9000 npm start                VS Code on another port
//   IMAGE_GEN_BASE_URL=https://api.qhaigc.net/v1 npm start
//                                      a real provider instead of the demo one (set its key in VS Code)
//   npm start -- --reset               start over from a fresh copy of the sample workspace
//
// Everything lives under .cache/start/ and is reused: the sample workspace (your edits are kept;
// only files missing from it are copied again), VS Code's user data and the extensions folder.
// One Ctrl+C stops everything this script started.
//
// Imports only Node's built-ins and scripts that do: on a fresh clone node_modules comes later.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  freePort,
  killGroup,
  launchCodeServer,
  portFree,
  stripJsonc,
  writeUserSettings,
} from './codeServer.mjs';
import { startFixtureProvider } from './fixtureProvider.mjs';
import { ensureRuntime } from './runtime.mjs';
import { PrerequisiteError, ensureNodeModules, projectRoot } from './setup.mjs';

const STATE_DIR = path.join(projectRoot, '.cache', 'start');
const DIRS = {
  workspace: path.join(STATE_DIR, 'workspace'),
  userData: path.join(STATE_DIR, 'user-data'),
  extensions: path.join(STATE_DIR, 'extensions'),
  home: path.join(STATE_DIR, 'home'),
};
const PIDS_FILE = path.join(STATE_DIR, 'pids.json');
const SAMPLE_WORKSPACE = path.join(projectRoot, 'test', 'fixtures', 'sample-workspace');
const DEFAULT_PORT = 8080;
// A fixed port keeps the demo provider's origin, and so the demo key stored for it, across runs.
const DEFAULT_DEMO_PORT = 8787;
const DEMO_KEY = 'demo-key-any-value-works';
const SEED_EXTENSION = 'imagegen-demo.demo-key-0.0.0';

// Added when missing (with the launcher's quiet settings); a value the user changed is kept.
const USER_SETTINGS = {
  'workbench.startupEditor': 'readme',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.openRepositoryInParentFolders': 'never',
};

const log = (line = '') => console.log(line);

function fail(message) {
  console.error(`\n[start] ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Options

function parseOptions() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--reset');
  if (unknown.length) fail(`unknown argument(s): ${unknown.join(' ')} (known: --reset)`);
  const port = process.env.PORT ? Number(process.env.PORT) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    fail(`PORT must be a TCP port, got '${process.env.PORT}'`);
  const demoPort = process.env.IMAGE_GEN_DEMO_PORT ? Number(process.env.IMAGE_GEN_DEMO_PORT) : undefined;
  if (demoPort !== undefined && !(Number.isInteger(demoPort) && demoPort > 0 && demoPort < 65536)) {
    fail(`IMAGE_GEN_DEMO_PORT must be a TCP port, got '${process.env.IMAGE_GEN_DEMO_PORT}'`);
  }
  let baseUrl;
  if (process.env.IMAGE_GEN_BASE_URL) {
    try {
      const url = new URL(process.env.IMAGE_GEN_BASE_URL);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
      baseUrl = url.toString().replace(/\/+$/, '');
    } catch {
      fail(
        `IMAGE_GEN_BASE_URL must be an http(s) URL such as https://api.qhaigc.net/v1, got '${process.env.IMAGE_GEN_BASE_URL}'`,
      );
    }
  }
  return { reset: args.includes('--reset'), port, demoPort, baseUrl };
}

// ---------------------------------------------------------------------------------------------
// Processes: each child runs in its own process group, stopped as a whole.

/** @type {import('node:child_process').ChildProcess[]} */
const children = [];

let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  log('\n[start] stopping…');
  await Promise.all(children.map((c) => (c.pid ? killGroup(c.pid) : undefined)));
  fs.rmSync(PIDS_FILE, { force: true });
  log('[start] stopped.');
  process.exit(code);
}

function recordPids() {
  const entries = children.map((c) => ({ pid: c.pid, command: c.spawnargs.join(' ') }));
  fs.writeFileSync(PIDS_FILE, JSON.stringify(entries, null, 2));
}

/**
 * A previous run that was killed without the chance to clean up (kill -9, a closed terminal)
 * may have left its process groups behind, holding the ports. Stops them, but only when the
 * group leader is still the very command recorded.
 */
async function stopLeftovers() {
  let entries;
  try {
    entries = JSON.parse(fs.readFileSync(PIDS_FILE, 'utf8'));
  } catch {
    return;
  }
  for (const { pid, command } of entries) {
    let cmdline;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      continue;
    }
    if (cmdline === command) {
      log(`[start] stopping what a previous \`npm start\` left running (pid ${pid})`);
      await killGroup(pid);
    }
  }
  fs.rmSync(PIDS_FILE, { force: true });
}

/** Records a child started in its own process group; its unexpected exit stops everything. */
function track(child, name) {
  children.push(child);
  recordPids();
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`\n[start] ${name} exited unexpectedly (${signal ?? `exit ${code}`})`);
    void stopAll(1);
  });
  return child;
}

function spawnGroup(command, args, options) {
  return track(spawn(command, args, { ...options, detached: true }), path.basename(args[0] ?? command));
}

/** `wanted` when given (it must be free), else `preferred` if free, else any free port. */
async function choosePort(wanted, preferred, envName) {
  if (wanted !== undefined) {
    if (!(await portFree(wanted)))
      fail(`port ${wanted} (${envName}) is in use; choose another one, e.g. ${envName}=${wanted + 1}`);
    return wanted;
  }
  return (await portFree(preferred)) ? preferred : freePort();
}

// ---------------------------------------------------------------------------------------------
// Steps

function build() {
  log('[start] building the extension (node esbuild.js)');
  const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: projectRoot, stdio: 'inherit' });
  if (r.status !== 0) fail('the build failed; see the errors above');
}

/** Starts test/fixtures' image server as the demo provider; resolves with its base URL. */
async function startDemoProvider(port) {
  const provider = await startFixtureProvider(['--port', String(port), '--host', '127.0.0.1'], {
    spawnFn: spawnGroup,
    name: 'the demo provider',
  });
  return provider.baseUrl;
}

/** Copies files of the sample that the workspace lacks; never overwrites what is there. */
function prepareWorkspace(reset) {
  if (reset) fs.rmSync(DIRS.workspace, { recursive: true, force: true });
  const fresh = !fs.existsSync(DIRS.workspace);
  fs.cpSync(SAMPLE_WORKSPACE, DIRS.workspace, { recursive: true, force: false, errorOnExist: false });
  return fresh;
}

/** Sets imageGen.baseUrl in the workspace settings, keeping every other setting the user made. */
function writeWorkspaceSettings(baseUrl) {
  const file = path.join(DIRS.workspace, '.vscode', 'settings.json');
  let settings = {};
  if (fs.existsSync(file)) {
    try {
      settings = JSON.parse(stripJsonc(fs.readFileSync(file, 'utf8')));
    } catch (e) {
      log(`[start] warning: could not read ${file} (${e.message}); imageGen.baseUrl left as it is there`);
      return;
    }
  }
  if (settings['imageGen.baseUrl'] === baseUrl) return;
  settings['imageGen.baseUrl'] = baseUrl;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

/**
 * code-server cannot take --extensionDevelopmentPath. A link named like an installed extension
 * (`publisher.name-version`) to the project makes it load the freshly built dist/ as is; the
 * extensions.json that code-server keeps in that folder is dropped so it rescans every start.
 */
function linkExtension(demoBaseUrl) {
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
  const linkName = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
  fs.mkdirSync(DIRS.extensions, { recursive: true });
  for (const entry of fs.readdirSync(DIRS.extensions)) {
    const isOurs = entry.startsWith(`${manifest.publisher}.${manifest.name}-`) || entry === SEED_EXTENSION;
    if (isOurs || entry === 'extensions.json' || entry === '.obsolete') {
      fs.rmSync(path.join(DIRS.extensions, entry), { recursive: true, force: true });
    }
  }
  fs.symlinkSync(projectRoot, path.join(DIRS.extensions, linkName), 'dir');
  if (demoBaseUrl) writeDemoKeySeed(demoBaseUrl, `${manifest.publisher}.${manifest.name}`);
}

/**
 * A tiny extension, for the demo only: at startup it stores a key for the demo provider through
 * Image Gen's own `imageGen.setApiKey` (the demo provider accepts any key), so a newcomer's first
 * generation asks for nothing. It does nothing when imageGen.baseUrl points anywhere else.
 */
function writeDemoKeySeed(demoBaseUrl, extensionId) {
  const dir = path.join(DIRS.extensions, SEED_EXTENSION);
  fs.mkdirSync(dir, { recursive: true });
  const manifest = {
    name: 'demo-key',
    displayName: 'Image Gen demo key (npm start)',
    description: 'Stores a key for the local demo provider that npm start runs. Not part of Image Gen.',
    publisher: 'imagegen-demo',
    version: '0.0.0',
    engines: { vscode: '^1.90.0' },
    main: './extension.js',
    activationEvents: ['onStartupFinished'],
    extensionDependencies: [extensionId],
  };
  const source = `const vscode = require('vscode');
exports.activate = async () => {
  const baseUrl = vscode.workspace.getConfiguration('imageGen').get('baseUrl');
  if (baseUrl === ${JSON.stringify(demoBaseUrl)}) await vscode.commands.executeCommand('imageGen.setApiKey', ${JSON.stringify(DEMO_KEY)});
};
`;
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'extension.js'), source);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseOptions();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stopAll(0));
  for (const dir of [STATE_DIR, DIRS.userData, DIRS.extensions, DIRS.home])
    fs.mkdirSync(dir, { recursive: true });
  await stopLeftovers();

  let runtime;
  try {
    await ensureNodeModules({ log });
    build();
    runtime = await ensureRuntime({ log });
  } catch (e) {
    fail(e instanceof PrerequisiteError ? e.message : `could not set up: ${e.stack ?? e}`);
  }

  const port = await choosePort(options.port, DEFAULT_PORT, 'PORT');
  let baseUrl = options.baseUrl;
  if (!baseUrl) {
    const demoPort = await choosePort(options.demoPort, DEFAULT_DEMO_PORT, 'IMAGE_GEN_DEMO_PORT');
    baseUrl = await startDemoProvider(demoPort);
  }

  const freshWorkspace = prepareWorkspace(options.reset);
  writeWorkspaceSettings(baseUrl);
  writeUserSettings(DIRS.userData, USER_SETTINGS);
  linkExtension(options.baseUrl ? undefined : baseUrl);

  const logFile = path.join(STATE_DIR, 'code-server.log');
  log('[start] starting code-server (about 5 s)');
  const { origin } = await launchCodeServer({
    runtime,
    port,
    dirs: DIRS,
    logFile,
    openFolder: true,
    onSpawn: (child) => track(child, 'code-server'),
  });

  const url = `${origin}/?folder=${encodeURIComponent(DIRS.workspace)}`;
  const rel = (p) => path.relative(projectRoot, p);
  log('');
  log('  Image Gen is running in VS Code (code-server). Open:');
  log('');
  log(`    ${url}`);
  log('');
  log(
    `  workspace  ${rel(DIRS.workspace)}${freshWorkspace ? ' (fresh copy of the sample)' : ' (kept from the last run; `npm start -- --reset` starts over)'}`,
  );
  if (options.baseUrl) {
    log(`  provider   ${baseUrl}  (from IMAGE_GEN_BASE_URL)`);
    log('             run "Image Gen: Set API Key" in the Command Palette, or type the key when asked');
  } else {
    log(
      `  provider   ${baseUrl}  (local demo provider: a patterned picture per prompt, no real AI; any key works:`,
    );
    log('             a demo key is already stored for it)');
  }
  log(`  log        ${rel(logFile)}`);
  log('');
  log('  Select a sentence in prompts.md, right-click → "Generate Image from Selection".');
  log('  Press Ctrl+C to stop.');
}

main().catch((e) => {
  console.error(`[start] ${e.stack ?? e}`);
  void stopAll(1);
});
