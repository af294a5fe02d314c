// `npm test`: every check in order, continuing past failures so one run reports everything:
//   lint → type check (extension + tests, webviews) → build → unit tests (mocha, plain Node)
//   → integration runtime (Node 24 + code-server) → each integration suite (real VS Code)
// It ends with one line `N passed, N failed` (tests of both kinds; a failed lint, type check,
// build or runtime stage counts as one failure) and exits non-zero on any failure.
//
//   node scripts/test.mjs [--only unit|integration] [--grep pattern] [--suite main|untrusted]...
//   --only unit          build + unit tests          --only integration   build + runtime + suites
//   --grep pattern       passed to mocha (unit and integration)
//   --suite name         only that integration suite (repeatable)
//
// On a fresh clone it first installs what it needs (scripts/setup.mjs): the npm dependencies,
// then, for the integration tests, the Debian packages and the runtime. It imports only Node's
// built-ins and scripts that do, until node_modules is there.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRuntime } from './runtime.mjs';
import { PrerequisiteError, ensureNodeModules, projectRoot } from './setup.mjs';

const bin = (name) => path.join(projectRoot, 'node_modules', '.bin', name);
const UNIT_TESTS = 'out/test/unit/**/*.test.js';
const UNIT_TIMEOUT_MS = 10_000;

function parseArgs(argv) {
  const options = { only: undefined, grep: undefined, suites: [], unitWorker: false, results: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--only') options.only = value();
    else if (arg === '--grep') options.grep = value();
    else if (arg === '--suite') options.suites.push(value());
    else if (arg === '--unit-worker') options.unitWorker = true;
    else if (arg === '--results') options.results = value();
    else throw new Error(`unknown argument ${arg}`);
  }
  if (options.only && !['unit', 'integration'].includes(options.only)) {
    throw new Error(`--only takes unit or integration, not ${options.only}`);
  }
  return options;
}

/** Runs a command with the terminal attached; resolves with its exit code. */
function run(command, args, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: projectRoot, stdio: 'inherit', env });
    child.on('error', (e) => {
      console.error(`cannot run ${command}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

// ---------------------------------------------------------------------------------------------
// Unit tests, in a child process of this script so that a test leaving handles open or crashing
// cannot take the whole run down; the child reports its counts through a JSON file.

async function unitWorker({ grep, results }) {
  const { default: Mocha } = await import('mocha');
  const { suiteFiles } = await import('./integration.mjs');
  const files = suiteFiles({ name: 'unit', include: UNIT_TESTS });
  const counts = { passed: 0, failed: 0, pending: 0, failures: [] };
  const write = () => results && fs.writeFileSync(results, JSON.stringify(counts));
  if (files.length === 0) {
    console.log(`no unit test files match ${UNIT_TESTS}`);
    write();
    return 0;
  }
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', timeout: UNIT_TIMEOUT_MS, grep });
  mocha.files = files;
  try {
    await mocha.loadFilesAsync();
  } catch (e) {
    console.error(e);
    counts.failed = 1;
    write();
    return 1;
  }
  return new Promise((resolve) => {
    const runner = mocha.run((failures) => {
      write();
      resolve(failures > 0 ? 1 : 0);
    });
    runner.on('pass', () => counts.passed++);
    runner.on('pending', () => counts.pending++);
    runner.on('fail', (test, err) => {
      counts.failed++;
      counts.failures.push({ title: test.fullTitle(), error: String(err?.message ?? err) });
    });
  });
}

async function unitStage(grep) {
  const results = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'image-gen-unit-')), 'results.json');
  const args = [
    fileURLToPath(import.meta.url),
    '--unit-worker',
    '--results',
    results,
    ...(grep ? ['--grep', grep] : []),
  ];
  const code = await run(process.execPath, args);
  let counts;
  try {
    counts = JSON.parse(fs.readFileSync(results, 'utf8'));
  } catch {
    counts = undefined;
  }
  fs.rmSync(path.dirname(results), { recursive: true, force: true });
  if (!counts) return { passed: 0, failed: 1, note: `mocha exited with ${code} and reported nothing` };
  // A crash after some tests passed still has to fail the stage.
  if (code !== 0 && counts.failed === 0) return { ...counts, failed: 1, note: `mocha exited with ${code}` };
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Stages

async function main(options) {
  // Ctrl+C ends the run through process.exit, which stops an install under way (setup.mjs).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));
  try {
    await ensureNodeModules();
  } catch (e) {
    console.error(`[setup] ${e instanceof Error ? e.message : e}`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const stages = [];
  const runAll = !options.only;
  const wantUnit = runAll || options.only === 'unit';
  const wantIntegration = runAll || options.only === 'integration';

  /** Runs one stage; `fn` returns an exit code or counts {passed, failed, pending?, note?}. */
  const stage = async (name, fn) => {
    console.log(`\n━━━ ${name} ━━━`);
    const started = Date.now();
    let outcome;
    try {
      const r = await fn();
      outcome =
        typeof r === 'number'
          ? { passed: 0, failed: r === 0 ? 0 : 1, counted: false }
          : { ...r, counted: true };
    } catch (e) {
      console.error(e instanceof PrerequisiteError ? e.message : (e?.stack ?? String(e)));
      outcome = {
        passed: 0,
        failed: 1,
        counted: false,
        note: e instanceof Error ? e.message.split('\n')[0] : String(e),
      };
    }
    const entry = { name, ...outcome, durationMs: Date.now() - started };
    stages.push(entry);
    return entry;
  };

  if (runAll) {
    await stage('lint', () => run(bin('eslint'), ['.']));
    await stage('typecheck', () => run(bin('tsc'), ['--noEmit', '-p', '.']));
    await stage('typecheck webviews', () => run(bin('tsc'), ['--noEmit', '-p', 'webview-src']));
  }
  await stage('build', () => run(process.execPath, ['esbuild.js']));
  if (wantUnit) await stage('unit tests', () => unitStage(options.grep));
  if (wantIntegration) {
    const { SUITES, runSuite } = await import('./integration.mjs');
    const unknown = options.suites.filter((n) => !SUITES.some((s) => s.name === n));
    if (unknown.length) {
      await stage('integration', () => {
        throw new Error(
          `unknown suite(s) ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}`,
        );
      });
    } else {
      const runtime = await stage('integration runtime', async () => {
        const r = await ensureRuntime({ systemNeeds: ['browser'] });
        console.log(`node 24: ${r.node24}\ncode-server ${r.codeServerVersion}: ${r.codeServerEntry}`);
        return 0;
      });
      const selected = options.suites.length ? SUITES.filter((s) => options.suites.includes(s.name)) : SUITES;
      for (const suite of selected) {
        if (runtime.failed) {
          stages.push({
            name: `integration: ${suite.name}`,
            passed: 0,
            failed: 0,
            skipped: true,
            durationMs: 0,
            note: 'no runtime',
          });
          continue;
        }
        await stage(`integration: ${suite.name}`, async () => {
          const r = await runSuite(suite, { grep: options.grep });
          if (r.vscodeVersion)
            console.log(`[${suite.name}] extension host reports VS Code ${r.vscodeVersion}`);
          for (const f of r.failures) console.log(`[${suite.name}] ✗ ${f.title}: ${f.error.split('\n')[0]}`);
          return {
            passed: r.passed,
            failed: r.failed,
            pending: r.pending,
            failures: r.failures,
            note: r.vscodeVersion && `VS Code ${r.vscodeVersion}`,
          };
        });
      }
    }
  }

  console.log('\n━━━ summary ━━━');
  for (const s of stages) {
    const status = s.skipped ? 'skipped' : s.failed ? 'FAILED' : 'ok';
    const counts = s.counted
      ? `${s.passed} passed, ${s.failed} failed${s.pending ? `, ${s.pending} pending` : ''}`
      : '';
    console.log(
      `${s.name.padEnd(24)} ${status.padEnd(8)} ${`${(s.durationMs / 1000).toFixed(1)} s`.padStart(8)}  ${counts}${s.note ? `  (${s.note})` : ''}`,
    );
  }
  // The failing tests once more, by name, just above the last line: a long run's log is often read
  // from its end only (CI keeps the tail), and a stage's own report may be far above.
  for (const s of stages) {
    for (const f of s.failures ?? []) console.log(`✗ ${s.name}: ${f.title}\n    ${f.error.split('\n')[0]}`);
  }
  const passed = stages.reduce((n, s) => n + s.passed, 0);
  const failed = stages.reduce((n, s) => n + s.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
// Exit explicitly: a unit test or a library may leave a handle open, which must not hang CI.
const code = options.unitWorker ? await unitWorker(options) : await main(options);
process.exit(code);
