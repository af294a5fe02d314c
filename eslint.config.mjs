// Flat config: typescript-eslint's recommended rules everywhere, plus the architecture's import
// boundaries (HOUSE_STYLE.md): pure logic in src/core and the webviews' browser code never import
// `vscode`, so they run in plain Node tests and in the page.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        {
          name: 'vscode',
          message: 'No `vscode` here: pass what you need in as parameters (src/services adapts VS Code).',
        },
      ],
    },
  ],
};

// The Node globals the build, test and bench scripts use (the `globals` package is not a dependency).
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'queueMicrotask',
    'structuredClone',
    'fetch',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'performance',
    'global',
  ].map((name) => [name, 'readonly']),
);
const commonJsGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
};

export default defineConfig(
  globalIgnores([
    'dist/**',
    'out/**',
    '.cache/**',
    'node_modules/**',
    'test-results/**',
    '.vscode-test/**',
    '**/*.d.ts',
  ]),
  js.configs.recommended,
  {
    rules: {
      // Stripping control characters from file names, alt text and logs is deliberate.
      'no-control-regex': 'off',
    },
  },
  {
    // TypeScript rules (and parser) for TypeScript; the plain JS scripts keep ESLint's own parser.
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  { files: ['src/core/**'], rules: noVscode },
  // The MCP server runs in plain Node outside VS Code: core and the HTTP adapter only.
  {
    files: ['src/mcp/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'dist/mcp.js runs outside VS Code.' }],
          patterns: [
            {
              group: ['**/app/**', '**/agents/**', '**/commands/**', '**/webviews/**'],
              message: 'dist/mcp.js runs outside VS Code.',
            },
          ],
        },
      ],
    },
  },
  // The webviews' protocol files are compiled into the browser bundles too (webview-src/tsconfig.json).
  { files: ['webview-src/**', 'src/webviews/*/protocol.ts'], rules: noVscode },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, ...commonJsGlobals } },
  },
  {
    // Functions these scripts hand to Playwright run in the browser page, not in Node.
    files: ['scripts/integration.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly' } },
  },
);
