// `npm run test:electron`: the integration tests in desktop VS Code through @vscode/test-cli, for
// machines that can download VS Code (these cannot: `npm test` runs them in code-server instead).
// Same test files as the `main` suite of scripts/integration.mjs; the untrusted suite needs a
// trust prompt setup that only that driver makes. Browser-bridge tests skip themselves here.
import { defineConfig } from '@vscode/test-cli';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUITES, suiteFiles } from './scripts/integration.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
// Tests write into the workspace: give them a fresh copy of the fixture, never the fixture itself.
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'image-gen-electron-'));
fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });

export default defineConfig({
  label: 'integration',
  files: suiteFiles(SUITES.find((s) => s.name === 'main')),
  extensionDevelopmentPath: root,
  workspaceFolder: workspace,
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  env: {
    IMAGE_GEN_TEST_HOOKS: '1',
    IMAGE_GEN_WORKSPACE: workspace,
    IMAGE_GEN_ARTIFACTS: path.join(root, 'test-results'),
    IMAGE_GEN_SUITE: 'electron',
  },
  mocha: { ui: 'tdd', timeout: 60_000, color: true },
});
