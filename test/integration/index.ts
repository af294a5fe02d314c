// The extensionTestsPath entry: VS Code's extension host calls run() once the window is up.
// scripts/integration.mjs passes the suite's files and where to write the machine-readable
// result through extensionEnvironment (the console output reaches the driver pre-split, so
// counts are not parsed from it). Launched without them (desktop "Extension Tests"), it runs
// every *.test.js beside this file except untrusted/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

type MochaConstructor = typeof import('mocha');

interface Failure {
  title: string;
  error: string;
}

export interface TestRunResult {
  /** `vscode.version` as the extension host reports it. */
  vscodeVersion: string;
  passed: number;
  failed: number;
  pending: number;
  failures: Failure[];
}

/** mocha 12 is ESM; require(esm) yields the constructor on Node 24 but a namespace on Node 20. */
function loadMocha(): MochaConstructor {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('mocha') as MochaConstructor | { default: MochaConstructor };
  return typeof mod === 'function' ? mod : mod.default;
}

function findTestFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'untrusted' ? [] : findTestFiles(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

function testFiles(): string[] {
  const fromDriver = process.env.IMAGE_GEN_TEST_FILES;
  if (fromDriver) return JSON.parse(fromDriver) as string[];
  return findTestFiles(__dirname).sort();
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

export function run(): Promise<void> {
  const Mocha = loadMocha();
  const mocha = new Mocha({
    ui: 'tdd',
    timeout: 60_000,
    color: false,
    reporter: 'spec',
    grep: process.env.IMAGE_GEN_TEST_GREP || undefined,
  });
  const files = testFiles();
  for (const file of files) mocha.addFile(file);

  console.log(
    `[host] VS Code ${vscode.version} (${vscode.env.appName}, uiKind ${vscode.UIKind[vscode.env.uiKind]}, ` +
      `remote ${vscode.env.remoteName ?? 'none'}, trusted ${vscode.workspace.isTrusted}), ` +
      `Node ${process.version}, suite ${process.env.IMAGE_GEN_SUITE ?? '(default)'}, ${files.length} file(s)`,
  );

  const result: TestRunResult = {
    vscodeVersion: vscode.version,
    passed: 0,
    failed: 0,
    pending: 0,
    failures: [],
  };
  const writeResult = () => {
    const target = process.env.IMAGE_GEN_TEST_RESULTS;
    if (target) fs.writeFileSync(target, JSON.stringify(result, null, 2));
  };

  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        writeResult();
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
      runner.on('pass', () => result.passed++);
      runner.on('pending', () => result.pending++);
      // Also fires for failing hooks, which then count as one failure each. Said at once (the spec
      // reporter lists failures only at the end, which a cut-short run never reaches) and written
      // after every test, so the driver can report what ran if the suite is stopped.
      runner.on('fail', (test, err) => {
        result.failed++;
        result.failures.push({ title: test.fullTitle(), error: errorText(err) });
        console.log(`[failed] ${test.fullTitle()}\n${errorText(err).split('\n').slice(0, 6).join('\n')}`);
        writeResult();
      });
      runner.on('test end', writeResult);
    } catch (err) {
      // A test file that throws while loading: report it as a failure rather than hang.
      result.failed++;
      result.failures.push({ title: 'loading test files', error: errorText(err) });
      writeResult();
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
