// Starts test/fixtures' image server (out/test/fixtures/cli.js) in a child process and waits for
// the line that names its base URL. Shared by `npm start` (the demo provider) and `npm run bench`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { projectRoot } from './runtime.mjs';

const FIXTURE_CLI = path.join(projectRoot, 'out', 'test', 'fixtures', 'cli.js');

/**
 * @param {string[]} args CLI arguments (`--port N`, `--latency ms`, `--image-bytes N`, …)
 * @param {{ spawnFn?: typeof spawn, name?: string }} [options] `spawnFn` e.g. to start it in its own process group
 * @returns {Promise<{ baseUrl: string, child: import('node:child_process').ChildProcess, stop(): Promise<void> }>}
 */
export async function startFixtureProvider(args, { spawnFn = spawn, name = 'the fixture server' } = {}) {
  const child = spawnFn(process.execPath, [FIXTURE_CLI, ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 15 s`)), 15_000);
    lines.on('line', (line) => {
      const match = /^Image Gen demo provider: (\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited while starting (${code})`)));
  });
  child.stdout.resume();
  return {
    baseUrl,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
