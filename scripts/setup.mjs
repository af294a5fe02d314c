// First-run set-up shared by `npm start` and `npm test`: the npm dependencies and the Debian
// packages. Imports only Node's built-ins (and the pure setupPlan.js): it runs before
// node_modules exists.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import setupPlan from './setupPlan.js';

const { nodeModulesState, planSystemPackages } = setupPlan;

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A problem the user fixes on the machine (missing Debian package, wrong platform). */
export class PrerequisiteError extends Error {}

/**
 * Prints `[tag] what (detail; about estimate)` now, a short line every 30 s while `work` runs and
 * one when it is done, so a first run that downloads and compiles for minutes never leaves a
 * silent terminal.
 * @template T
 * @param {{ tag: string, what: string, detail?: string, estimate: string, log?: (line: string) => void }} step
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function withProgress({ tag, what, detail, estimate, log = console.log }, work) {
  const started = Date.now();
  const elapsed = () => {
    const s = Math.round((Date.now() - started) / 1000);
    return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
  };
  log(`[${tag}] ${what} (${detail ? `${detail}; ` : ''}about ${estimate})`);
  const timer = setInterval(() => log(`[${tag}] … still ${what}: ${elapsed()} so far`), 30_000);
  try {
    const result = await work();
    log(`[${tag}] done ${what} in ${elapsed()}`);
    return result;
  } finally {
    clearInterval(timer);
  }
}

/** A path as the user best reads it: relative inside the project, absolute elsewhere. */
export function shownPath(p) {
  const rel = path.relative(projectRoot, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const installs = new Set();
// SIGKILL: on SIGTERM or SIGINT npm finishes its current step (minutes of unpacking or compiling)
// before it rolls back, and a re-run meanwhile would install into the same folder beside it.
// Whatever it leaves is started over by the next run.
function stopInstalls() {
  for (const child of installs) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Runs an install command with the terminal's output, resolving when it succeeds. `ownGroup`
 * starts it in its own process group that is stopped when this process exits, so Ctrl+C (or a
 * kill of this process alone) never leaves an npm install writing behind our back; the next run
 * starts that install over.
 */
export function runInstall(command, args, { ownGroup = true, ...options } = {}) {
  return new Promise((resolve, reject) => {
    if (ownGroup && installs.size === 0) process.once('exit', stopInstalls);
    const child = spawn(command, args, { stdio: 'inherit', ...options, detached: ownGroup });
    if (ownGroup) installs.add(child);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      installs.delete(child);
      if (installs.size === 0) process.off('exit', stopInstalls);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/**
 * `npm ci` when node_modules is missing, incomplete (an interrupted install leaves no
 * node_modules/.package-lock.json) or not what package-lock.json lists.
 * @returns {Promise<boolean>} whether it installed
 */
export async function ensureNodeModules({ log = console.log } = {}) {
  const lock = readJson(path.join(projectRoot, 'package-lock.json'));
  const hiddenFile = path.join(projectRoot, 'node_modules', '.package-lock.json');
  // Fast path: npm's record is newer than the lock file, so nothing changed since the install.
  const newer = (() => {
    try {
      return (
        fs.statSync(hiddenFile).mtimeMs >= fs.statSync(path.join(projectRoot, 'package-lock.json')).mtimeMs
      );
    } catch {
      return false;
    }
  })();
  const state = newer ? { upToDate: true } : nodeModulesState(lock, readJson(hiddenFile));
  if (state.upToDate) return false;
  log(`[setup] ${state.reason}: running npm ci`);
  await withProgress(
    { tag: 'setup', what: 'installing the npm dependencies (npm ci)', estimate: '30 s to 4 min', log },
    () => runInstall('npm', ['ci', '--no-audit', '--no-fund'], { cwd: projectRoot }),
  );
  return true;
}

function onPath(command) {
  if (command.includes('/')) return fs.existsSync(command);
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, command), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Makes sure the Debian packages for `needs` are there: as root with apt-get, installs them
 * (printing what it installs); otherwise throws a PrerequisiteError naming the one command to run.
 * IMAGE_GEN_TEST_PRETEND_MISSING=pkg,pkg treats packages as absent: for testing this path only.
 * @param {Array<'build' | 'browser'>} needs
 */
export async function ensureSystemPackages(needs, { log = console.log, purpose } = {}) {
  const pretendMissing = (process.env.IMAGE_GEN_TEST_PRETEND_MISSING ?? '').split(',').filter(Boolean);
  const probe = () =>
    planSystemPackages({
      needs,
      has: onPath,
      isRoot: process.getuid?.() === 0,
      hasAptGet: onPath('apt-get'),
      pretendMissing,
    });
  const plan = probe();
  if (plan.action === 'none') return;
  const list = plan.missing.map((m) => `  ${m.package.padEnd(10)} ${m.why}`).join('\n');
  if (plan.action === 'stop') {
    throw new PrerequisiteError(
      `Missing Debian packages, needed for ${purpose ?? 'this'}:\n${list}\n` +
        `Install them with this one command, then run the same npm command again:\n\n    ${plan.command}\n`,
    );
  }
  log(`[setup] installing Debian packages with apt-get: ${plan.packages.join(' ')}\n${list}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await withProgress(
    {
      tag: 'setup',
      what: `installing ${plan.packages.join(' ')}`,
      detail: 'apt-get update && apt-get install -y',
      estimate: '1 to 3 min',
      log,
    },
    async () => {
      // In the terminal's process group: Ctrl+C reaches apt-get itself, which stops cleanly.
      await runInstall('apt-get', ['update'], { env, ownGroup: false });
      await runInstall('apt-get', ['install', '-y', ...plan.packages], { env, ownGroup: false });
    },
  );
  const still = planSystemPackages({ needs, has: onPath, isRoot: true, hasAptGet: true });
  if (still.action !== 'none')
    throw new PrerequisiteError(`apt-get finished but these are still missing: ${still.packages.join(', ')}`);
}
